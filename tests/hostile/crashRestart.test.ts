import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as prng from 'lib0/prng';
import { contentString, paragraphText, synced } from '../support/clients';
import { useHarness } from '../support/harness';
import { api } from '../support/server';
import { waitFor } from '../support/poll';
import type { CreateAgreementResponse } from '#shared/protocol';

const ROUNDS = 20;
/** The durability promise: an edit the server has had this long is on disk. */
const DURABLE_AFTER_MS = 50;

interface Edit {
  token: string;
  /** The editor's clock once the edit is made: the server has it when an observer's state reaches this. */
  clockAfter: number;
  /** When the observer first saw it through the server (performance.now()). */
  seenAt?: number;
  /** When the server that had it was killed. */
  killedAt?: number;
}

/** Edits the server had long enough before its kill to owe them. */
function owed(edits: Edit[]): Edit[] {
  return edits.filter((e) => e.seenAt !== undefined && e.killedAt !== undefined && e.seenAt <= e.killedAt - DURABLE_AFTER_MS);
}

function lateness(e: Edit): string {
  return `${e.token} seen ${Math.round(e.killedAt! - e.seenAt!)} ms before the kill`;
}

const h = useHarness();

describe('kill -9 during a stream of edits', () => {
  it(`keeps every edit the server had ${DURABLE_AFTER_MS} ms before each of ${ROUNDS} kills, and every file loads`, async () => {
    const dataDir = await h.tempDir('cg-crash-');
    const gen = prng.create(42);
    let child = await h.child(dataDir);
    const { body: agreement } = await api<CreateAgreementResponse>(child, 'POST', '/api/agreements', { title: 'Crash Partnership' });
    const room = agreement.id;
    const edits: Edit[] = [];

    for (let round = 0; round < ROUNDS; round++) {
      const editor = h.connect(child, room, agreement.token);
      const observer = h.connect(child, room, agreement.token);
      await synced(editor);
      await synced(observer);

      // Everything the server had long enough before the last kill came back.
      const restored = contentString(editor.doc);
      const missing = owed(edits).filter((e) => !restored.includes(e.token));
      expect(missing.map(lateness)).toEqual([]);

      const mine: Edit[] = [];
      observer.doc.on('update', () => {
        const now = performance.now();
        const state = Y.getState(observer.doc.store, editor.doc.clientID);
        for (const e of mine) if (e.seenAt === undefined && e.clockAfter <= state) e.seenAt = now;
      });
      const text = paragraphText(editor.doc);
      const killAfter = prng.uint32(gen, 20, 250);
      let started = Infinity;
      let i = 0;
      const typing = setInterval(() => {
        const token = `[r${round}e${i++}]`;
        text.insert(text.length, token);
        const edit: Edit = { token, clockAfter: Y.getState(editor.doc.store, editor.doc.clientID) };
        mine.push(edit);
        edits.push(edit);
      }, 3);
      // The kill lands at a random moment once edits are flowing through the server.
      await waitFor(() => mine.some((e) => e.seenAt !== undefined), { what: 'the first edit through the server' });
      started = performance.now();
      await waitFor(() => performance.now() - started >= killAfter, { intervalMs: 1, what: 'the kill moment' });
      const killedAt = performance.now();
      child.process.kill('SIGKILL');
      clearInterval(typing);
      for (const e of mine) e.killedAt = killedAt;
      await child.exited;
      h.destroyClients();
      expect(mine.filter((e) => e.seenAt !== undefined).length).toBeGreaterThan(0);
      child = await h.child(dataDir);
    }

    const last = h.connect(child, room, agreement.token);
    await synced(last);
    const restored = contentString(last.doc);
    expect(
      owed(edits)
        .filter((e) => !restored.includes(e.token))
        .map(lateness),
    ).toEqual([]);
    expect(owed(edits).length).toBeGreaterThan(ROUNDS * 10);
  }, 150_000);
});
