import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { useHarness } from '../support/harness';
import { api, createAgreement } from '../support/server';
import { synced } from '../support/clients';
import { waitFor } from '../support/poll';
import { contentRoom } from '#shared/rooms';

const h = useHarness();

// An agreement's metadata file damaged on disk (a torn copy, a disk fault, a hand edit gone wrong)
// was answered "internal error", the same as any bug of ours: the person could not tell a damaged
// record from a passing fault, and the operator's log named a JSON parse error without its file.
it('a damaged agreement file is answered as damaged, named in the log, left as it is, and read again once put back; other agreements are served', async () => {
  const dir = await h.tempDir('cg-damaged-');
  let child = await h.child(dir);
  const damaged = await createAgreement(child);
  const intact = await createAgreement(child);
  await child.kill('SIGTERM');
  const path = join(dir, 'agreements', `${damaged.agreement.id}.json`);
  const whole = await readFile(path, 'utf8');
  await writeFile(path, whole.slice(0, 100));

  child = await h.child(dir);
  const read = await api<{ error: string; code: string }>(child, 'GET', `/api/agreements/${damaged.agreement.id}`, undefined, damaged.brokerToken);
  expect(read).toMatchObject({ status: 500, body: { code: 'storage_damaged', error: expect.stringMatching(/damaged/) } });
  // A write is refused the same way, and the damaged file is not written over with what a write made of nothing.
  const invite = await api(child, 'POST', `/api/agreements/${damaged.agreement.id}/invites`, { role: 'legal', name: 'Lena' }, damaged.brokerToken);
  expect(invite).toMatchObject({ status: 500, body: { code: 'storage_damaged' } });
  expect(await readFile(path, 'utf8')).toBe(whole.slice(0, 100));
  expect(child.output()).toContain(join('agreements', `${damaged.agreement.id}.json`));
  expect((await api(child, 'GET', `/api/agreements/${intact.agreement.id}`, undefined, intact.brokerToken)).status).toBe(200);

  // A stock client is refused without being stopped for good (no 44xx close): it tries again.
  const reader = h.connect(child, contentRoom(damaged.agreement.id), damaged.brokerToken);
  await waitFor(() => reader.closes.length >= 2, { what: 'the reader refused twice, still trying' });
  expect(reader.closes.every((close) => close.code < 4400 || close.code > 4499)).toBe(true);
  expect(reader.closes[0].reason).toMatch(/damaged/);

  // Put back from a backup: the agreement opens again without a restart, and the waiting reader syncs.
  await writeFile(path, whole);
  expect((await api(child, 'GET', `/api/agreements/${damaged.agreement.id}`, undefined, damaged.brokerToken)).status).toBe(200);
  await synced(reader);
}, 60_000);
