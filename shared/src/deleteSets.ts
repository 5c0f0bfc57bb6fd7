import * as Y from 'yjs';

/**
 * Yjs delete sets (what a change deleted: per client id, runs of clocks), as the authorship log
 * keeps them and as a page names the deletions it made itself (MESSAGE_WRITER_DELETIONS). Yjs
 * merges them but has no intersection or difference: those are here.
 */
export type DeleteSet = ReturnType<typeof Y.createDeleteSet>;
type Run = { clock: number; len: number };

/** Bytes of a delete set (Yjs's snapshot encoding, with an empty state vector, as the authorship room stores them). */
export function encodeDeleteSet(ds: DeleteSet): Uint8Array {
  return Y.encodeSnapshot(Y.createSnapshot(ds, new Map()));
}

/** The delete set `bytes` hold, sorted and merged. Throws on malformed bytes. */
export function decodeDeleteSet(bytes: Uint8Array): DeleteSet {
  return Y.mergeDeleteSets([Y.decodeSnapshot(bytes).ds]);
}

export function isEmptyDeleteSet(ds: DeleteSet): boolean {
  for (const runs of ds.clients.values()) if (runs.length > 0) return false;
  return true;
}

/** How many runs it holds (what its size grows with). */
export function deleteSetRuns(ds: DeleteSet): number {
  let runs = 0;
  for (const list of ds.clients.values()) runs += list.length;
  return runs;
}

/** At most `maxRuns` runs: whole clients are dropped, first kept first (a merged set keeps the order clients were first seen in). */
export function newestRuns(ds: DeleteSet, maxRuns: number): DeleteSet {
  let total = deleteSetRuns(ds);
  if (total <= maxRuns) return ds;
  const kept = Y.createDeleteSet();
  for (const [client, runs] of ds.clients) {
    if (total > maxRuns) total -= runs.length;
    else kept.clients.set(client, runs);
  }
  return kept;
}

/** What both sets deleted. Both must be sorted and merged (see {@link decodeDeleteSet}; `Y.mergeDeleteSets` answers such). */
export function intersectDeleteSets(a: DeleteSet, b: DeleteSet): DeleteSet {
  const both = Y.createDeleteSet();
  for (const [client, left] of a.clients) {
    const right = b.clients.get(client);
    if (!right) continue;
    const runs: Run[] = [];
    let i = 0;
    let j = 0;
    while (i < left.length && j < right.length) {
      const start = Math.max(left[i].clock, right[j].clock);
      const end = Math.min(left[i].clock + left[i].len, right[j].clock + right[j].len);
      if (start < end) runs.push({ clock: start, len: end - start });
      if (left[i].clock + left[i].len < right[j].clock + right[j].len) i++;
      else j++;
    }
    if (runs.length > 0) both.clients.set(client, runs as typeof left);
  }
  return both;
}

/** What `a` deleted and `b` did not. Both sorted and merged. */
export function subtractDeleteSets(a: DeleteSet, b: DeleteSet): DeleteSet {
  const rest = Y.createDeleteSet();
  for (const [client, left] of a.clients) {
    const right = b.clients.get(client) ?? [];
    const runs: Run[] = [];
    let j = 0;
    for (const run of left) {
      let clock = run.clock;
      const end = run.clock + run.len;
      while (j < right.length && right[j].clock + right[j].len <= clock) j++;
      for (let k = j; k < right.length && right[k].clock < end; k++) {
        if (right[k].clock > clock) runs.push({ clock, len: right[k].clock - clock });
        clock = Math.max(clock, right[k].clock + right[k].len);
      }
      if (clock < end) runs.push({ clock, len: end - clock });
    }
    if (runs.length > 0) rest.clients.set(client, runs as typeof left);
  }
  return rest;
}
