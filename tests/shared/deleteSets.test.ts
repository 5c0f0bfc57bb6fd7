import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { decodeDeleteSet, deleteSetRuns, encodeDeleteSet, intersectDeleteSets, newestRuns, subtractDeleteSets, type DeleteSet } from '#shared/deleteSets';

/** A seeded generator, so a failure can be replayed. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** A sorted and merged set of random runs over two clients and clocks 0 to 60. */
function randomSet(random: () => number): DeleteSet {
  const ds = Y.createDeleteSet();
  for (const client of [1, 2]) {
    const runs: { clock: number; len: number }[] = [];
    for (let n = Math.floor(random() * 6); n > 0; n--) runs.push({ clock: Math.floor(random() * 50), len: 1 + Math.floor(random() * 10) });
    // Never an empty list: Yjs's merge turns one into a list holding `undefined`.
    if (runs.length > 0) ds.clients.set(client, runs as never);
  }
  return Y.mergeDeleteSets([ds]);
}

/** Every (client, clock) the set deletes. */
function points(ds: DeleteSet): string[] {
  const all: string[] = [];
  for (const [client, runs] of ds.clients) for (const run of runs) for (let c = run.clock; c < run.clock + run.len; c++) all.push(`${client}:${c}`);
  return all.sort();
}

it('intersects and subtracts delete sets as sets of (client, clock), and encodes them both ways', () => {
  const random = seeded(20261205);
  for (let round = 0; round < 500; round++) {
    const a = randomSet(random);
    const b = randomSet(random);
    const inB = new Set(points(b));
    expect(points(intersectDeleteSets(a, b))).toEqual(points(a).filter((p) => inB.has(p)));
    expect(points(subtractDeleteSets(a, b))).toEqual(points(a).filter((p) => !inB.has(p)));
    expect(points(decodeDeleteSet(encodeDeleteSet(a)))).toEqual(points(a));
  }
});

it('keeps at most a number of runs, dropping the clients seen first', () => {
  const ds = Y.createDeleteSet();
  ds.clients.set(7, [
    { clock: 0, len: 1 },
    { clock: 5, len: 1 },
  ] as never);
  ds.clients.set(9, [{ clock: 0, len: 2 }] as never);
  expect(deleteSetRuns(newestRuns(ds, 3))).toBe(3);
  expect([...newestRuns(ds, 2).clients.keys()]).toEqual([9]);
});
