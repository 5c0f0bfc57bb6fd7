import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { followRecords } from '../../client/src/objectives/useRecords';

// Issue 17: the 20 stance bars of a long agreement share one JSON copy of the records' maps
// (client/src/objectives/useRecords.ts) instead of copying them 40 times on each change.

it('every follower of a records map gets the same copy, made once per change, and the latest after a pause', () => {
  const doc = new Y.Doc();
  const stances = doc.getMap<unknown>('stances');
  stances.set('o1:ngo', 'agree');
  let copies = 0;
  const toJSON = stances.toJSON.bind(stances);
  stances.toJSON = () => {
    copies++;
    return toJSON();
  };

  const seen: unknown[][] = [[], [], []];
  const followers = seen.map((into) => followRecords(stances, (value) => into.push(value)));
  expect(copies).toBe(1);
  expect(followers.map((f) => f.value)).toEqual([{ 'o1:ngo': 'agree' }, { 'o1:ngo': 'agree' }, { 'o1:ngo': 'agree' }]);
  expect(new Set(followers.map((f) => f.value)).size).toBe(1);

  stances.set('o1:biz', 'object');
  expect(copies).toBe(2);
  expect(seen.map((s) => s.at(-1))).toEqual([
    { 'o1:ngo': 'agree', 'o1:biz': 'object' },
    { 'o1:ngo': 'agree', 'o1:biz': 'object' },
    { 'o1:ngo': 'agree', 'o1:biz': 'object' },
  ]);
  expect(seen[0].at(-1)).toBe(seen[2].at(-1));

  // One stops: the others still follow.
  followers[0].stop();
  stances.set('o2:ngo', 'not_yet');
  expect(seen.map((s) => s.length)).toEqual([1, 2, 2]);

  // Nobody follows: changes cost nothing, and the next follower starts from the current map.
  followers[1].stop();
  followers[2].stop();
  stances.delete('o1:ngo');
  expect(copies).toBe(3);
  const later = followRecords(stances, () => undefined);
  expect(later.value).toEqual({ 'o1:biz': 'object', 'o2:ngo': 'not_yet' });
  later.stop();
});
