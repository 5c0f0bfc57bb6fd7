import { expect, it } from 'vitest';
import { contentRoom } from '#shared/rooms';
import { ErrorCode } from '#shared/errors';
import type { VerifiedSnapshot } from '#shared/snapshots';
import { synced } from '../support/clients';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { api, createAgreement } from '../support/server';
import { holdCalls } from '../support/heldCalls';
import { LowdbStorage } from '../../server/src/storage/lowdbStorage';
import { RESTORE_KEEP_BEFORE_MS } from '../../server/src/features/snapshots/restoreBound';

// A restore stores (and relays) no change until the text it replaces is kept as a snapshot
// (crashDuringRestore.test.ts). With a storage slow to keep that snapshot (a big insert into a
// loaded database, a disk that stalls), every other person's words were held as long as it took:
// the whole live session froze because one person pressed restore.

const h = useHarness();

/** What "within the bound" may take on this loaded 2-core machine: the bound, plus a generous margin. */
const ANSWER_BOUND_MS = RESTORE_KEEP_BEFORE_MS + 4000;

it(
  'a restore whose "before" snapshot is slow to store gives up within its bound: typing goes on for everyone, nothing is restored, no word is lost',
  { timeout: 60_000 },
  async () => {
    const dataDir = await h.tempDir('cg-restore-slow-');
    const storage = await LowdbStorage.open({ dataDir });
    const s = await h.start({ dataDir }, storage);
    const f = await createAgreement(s);
    const id = f.agreement.id;
    const path = (rest: string) => `/api/agreements/${id}${rest}`;
    const nia = h.connect(s, contentRoom(id), await f.invite({ role: 'negotiator', name: 'Nia', party: f.ngoId }));
    const ben = h.connect(s, contentRoom(id), await f.invite({ role: 'negotiator', name: 'Ben', party: f.businessId }));
    await Promise.all([synced(nia), synced(ben)]);
    nia.text.insert(0, 'Version one.');
    await waitFor(async () => (await api(s, 'POST', path('/snapshots'), { label: 'One' }, f.brokerToken)).status === 201, { what: 'snapshot one' });
    const one = (await api<VerifiedSnapshot[]>(s, 'GET', path('/snapshots'), undefined, f.brokerToken)).body[0];
    nia.text.insert(nia.text.length, ' Later work.');
    await waitFor(() => ben.text.toString() === 'Version one. Later work.', { what: 'Ben sees the later work' });

    // The restore's "before restoring" snapshot waits at the storage's door as long as the test says.
    const held = holdCalls(storage, 'saveSnapshot', 1);
    h.defer(() => held.release());
    const started = Date.now();
    const restoring = api<{ error: string; code: string }>(s, 'POST', path(`/snapshots/${one.id}/restore`), undefined, f.brokerToken).then((answer) => ({
      ...answer,
      ms: Date.now() - started,
    }));
    await waitFor(() => held.waiting === 1, { what: 'the restore to keep the text before it' });

    // Both typists go on while the snapshot is still not stored: each one's words reach the other.
    nia.text.insert(nia.text.length, ' Nia types on.');
    ben.text.insert(0, 'Ben too. ');
    const both = 'Ben too. Version one. Later work. Nia types on.';
    await waitFor(() => ben.text.toString() === both && nia.text.toString() === both, {
      timeoutMs: ANSWER_BOUND_MS,
      what: `each typist's words at the other while a restore waits on storage (Nia: "${nia.text.toString()}", Ben: "${ben.text.toString()}")`,
    });

    // The restore gave up within its bound and says so: nothing was restored, the text is as it was.
    const answer = await restoring;
    expect(answer.ms).toBeLessThan(ANSWER_BOUND_MS);
    expect(answer.status).toBe(503);
    expect(answer.body.code).toBe(ErrorCode.StorageUnavailable);
    expect(answer.body.error).toMatch(/nothing was restored/);

    // Once the slow write lands, the chain of snapshots is still one line, and the same restore works.
    await held.release();
    const again = await api<{ before: { label: string } }>(s, 'POST', path(`/snapshots/${one.id}/restore`), undefined, f.brokerToken);
    expect(again.status).toBe(200);
    await waitFor(() => ben.text.toString() === 'Version one.' && nia.text.toString() === 'Version one.', { what: 'the restored text at both typists' });
    const listed = (await api<VerifiedSnapshot[]>(s, 'GET', path('/snapshots'), undefined, f.brokerToken)).body;
    expect(listed.every((snapshot) => snapshot.verified && snapshot.chainValid)).toBe(true);
    // The text each typist had before the restore that went through is kept, with both typists' words.
    const before = await api<{ content: unknown }>(s, 'GET', path(`/snapshots/${listed.at(-1)!.id}`), undefined, f.brokerToken);
    expect(JSON.stringify(before.body.content)).toContain(both);
  },
);
