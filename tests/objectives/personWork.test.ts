import { describe, expect, it } from 'vitest';
import { PersonWork } from '../../server/src/documents/personWork';
import { ReadAllowance } from '../../server/src/documents/readAllowance';
import type { DocumentWorker } from '../../server/src/features/snapshots/diff/DocumentWorker';

/** A worker that answers at once and notes what it was asked, and in whose turn. */
function notingWorker(name: string, asked: { worker: string; kind: string; turn: string | undefined }[], workMs = 0): DocumentWorker {
  return {
    run: async (job: { kind: string }, _transfer: ArrayBuffer[], turn?: string) => {
      asked.push({ worker: name, kind: job.kind, turn });
      return job.kind === 'text' ? { objectives: [], workMs } : 'a-fingerprint';
    },
  } as unknown as DocumentWorker;
}

// What a person's click waits on runs in the worker at the server's priority within their allowance, in their turn
// unless others wait on it too (server/src/documents/personWork.ts).
describe("a person's document work", () => {
  const read = { kind: 'text' as const, parts: [] as Uint8Array[], read: 'objectives' as const };
  const fingerprint = { kind: 'hash', state: new Uint8Array(), prevHash: null } as const;

  it('runs at the server’s priority in the person’s turn until their minute’s allowance is spent, then in the background', async () => {
    const asked: { worker: string; kind: string; turn: string | undefined }[] = [];
    const work = new PersonWork({ quick: notingWorker('quick', asked, 60), background: notingWorker('background', asked) }, new ReadAllowance(100));
    await work.run(read, 'nia');
    await work.run(read, 'nia');
    await work.run(read, 'nia');
    await work.run(read, 'ben');
    expect(asked).toEqual([
      { worker: 'quick', kind: 'text', turn: 'nia' },
      { worker: 'quick', kind: 'text', turn: 'nia' },
      { worker: 'background', kind: 'text', turn: 'nia' },
      { worker: 'quick', kind: 'text', turn: 'ben' },
    ]);
  });

  it('posts work others wait on too (a restore’s fingerprint) at once, not in the person’s turn', async () => {
    const asked: { worker: string; kind: string; turn: string | undefined }[] = [];
    const work = new PersonWork({ quick: notingWorker('quick', asked), background: notingWorker('background', asked) }, new ReadAllowance());
    expect(await work.run(fingerprint, 'nia', { now: true })).toBe('a-fingerprint');
    await work.run(fingerprint, 'nia');
    expect(asked).toEqual([
      { worker: 'quick', kind: 'hash', turn: undefined },
      { worker: 'quick', kind: 'hash', turn: 'nia' },
    ]);
  });
});
