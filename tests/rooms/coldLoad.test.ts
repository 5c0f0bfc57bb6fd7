import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mergeMany } from '../../server/src/rooms/mergeUpdates';
import { Room } from '../../server/src/rooms/Room';
import type { Storage } from '../../server/src/storage/port';

function typed(count: number): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  const text = doc.getText('t');
  for (let i = 0; i < count; i++) text.insert(i, 'a');
  return updates;
}

const compacted: Uint8Array[] = [];
const storage = {
  appendUpdate() {},
  pendingLogLength: () => 20_000,
  logMark: async () => 20_000,
  compactRoom: async (_room: string, state: Uint8Array) => {
    compacted.push(state);
  },
} as unknown as Storage;

describe('loading a long update log', () => {
  it('merges many one-character updates into one that holds them all', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, mergeMany(typed(20_000)));
    expect(doc.getText('t').length).toBe(20_000);
  });

  it('a room loads 20,000 updates without holding the event loop, then compacts them', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const room = await Room.load('r', storage, typed(20_000));
    clearInterval(timer);
    expect(room.doc.getText('t').length).toBe(20_000);
    // Other rooms' work ran while this one loaded.
    expect(ticks).toBeGreaterThan(0);
    await room.compact();
    const replay = new Y.Doc();
    Y.applyUpdate(replay, compacted.at(-1)!);
    expect(replay.getText('t').length).toBe(20_000);
    await room.unload();
  });
});
