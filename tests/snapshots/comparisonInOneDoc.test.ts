import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CONTENT_FIELD } from '#shared/rooms';
import { computeDiff, diffVersions } from '../../server/src/features/snapshots/diff/computeDiff';
import { openVersions, openVersionsSeparately, type VersionParts } from '../../server/src/features/snapshots/diff/openVersions';
import type { AuthorshipData } from '../../server/src/features/snapshots/authorship';
import { longAgreement, reword, setTextFact, writeDocument } from '../support/document';

// A legal reviewer compares a version of a long, much-reworded agreement with the live text. The
// comparison used to apply the text three times (each version in a doc of its own for its
// snapshot, then both in one) after a job of its own had made the room's kept state and its
// changes since one update. Now both go into one doc once: the answer must not change by a
// character, and a `to` that does not hold all of `from` (an odd state) must still read right.

const people = { amina: 'Amina', joseph: 'Joseph', wanjiru: 'Wanjiru' } as const;
type Person = keyof typeof people;
const writers: Record<number, Person> = { 1: 'amina', 900_000: 'joseph', 900_001: 'wanjiru', 900_002: 'wanjiru', 7: 'joseph' };

/** A text written by Amina and reworded for months, recording who wrote and deleted what, as the server's authorship log does. */
function negotiatedText() {
  const doc = new Y.Doc();
  const deleted: Record<string, Y.Transaction['deleteSet'][]> = {};
  doc.on('afterTransaction', (transaction: Y.Transaction) => {
    (deleted[writers[doc.clientID]] ??= []).push(transaction.deleteSet);
  });
  doc.clientID = 1;
  writeDocument(doc, longAgreement(6, { objectiveEvery: 2 }));
  reword(doc, 3);
  const authorship = (): AuthorshipData => ({
    clients: Object.fromEntries(Object.entries(writers).map(([client, person]) => [client, person])),
    people: Object.fromEntries(
      Object.entries(people).map(([personId, name]) => [
        personId,
        { personId, name, role: 'negotiator' as const, party: personId === 'amina' ? 'ngo' : 'biz' },
      ]),
    ),
    deletions: Object.fromEntries(
      Object.entries(deleted).map(([person, sets]) => [person, Y.encodeSnapshot(Y.createSnapshot(Y.mergeDeleteSets(sets), new Map()))]),
    ),
  });
  return { doc, authorship };
}

/** More changes of every kind a comparison shows: words, a heading's level, a block removed, an objective's owners. */
function negotiateFurther(doc: Y.Doc): void {
  reword(doc, 2);
  doc.clientID = 900_001;
  const content = doc.getXmlFragment(CONTENT_FIELD);
  doc.transact(() => {
    (content.get(0) as Y.XmlElement).setAttribute('level', 3 as unknown as string);
    content.delete(3, 1);
    const objective = content.toArray().find((block): block is Y.XmlElement => block instanceof Y.XmlElement && block.nodeName === 'objective')!;
    setTextFact(objective, 'owners', 'Wanjiru and Joseph');
  });
}

/** The live text as a room holds it: a state kept for newcomers (after `from`) and the changes relayed since. */
function roomParts(doc: Y.Doc, changesSince: (doc: Y.Doc) => void): Uint8Array[] {
  const kept = Y.encodeStateAsUpdate(doc);
  const since: Uint8Array[] = [];
  const relay = (update: Uint8Array) => since.push(update);
  doc.on('update', relay);
  changesSince(doc);
  doc.off('update', relay);
  return [kept, ...since];
}

function oldAndNew(from: VersionParts, to: VersionParts, authorship: AuthorshipData, objectiveId?: string) {
  // Before, the live text came to the diff as one update, merged in a doc that drops deleted content.
  const merged = new Y.Doc();
  Y.applyUpdate(merged, Y.mergeUpdates(to instanceof Uint8Array ? [to] : to));
  const before = diffVersions(openVersionsSeparately(from, Y.encodeStateAsUpdate(merged)), authorship, objectiveId);
  return { before: JSON.stringify(before), after: JSON.stringify(computeDiff(from, to, authorship, objectiveId)) };
}

describe('comparing a version with a later text in one doc', () => {
  // Words typed into a paragraph in the room's kept state, the paragraph deleted in the changes since:
  // the merged text never held those words, the parts do, and they split the paragraph's items.
  it.each([0, 1])('answers exactly what the merged live text did, the room keeping its state %i rounds after the version', (roundsBeforeKept) => {
    const { doc, authorship } = negotiatedText();
    const from = Y.encodeStateAsUpdate(doc);
    reword(doc, roundsBeforeKept);
    const to = roomParts(doc, (live) => {
      reword(live, 1);
      negotiateFurther(live);
    });

    const opened = openVersions(from, to);
    const separately = openVersionsSeparately(from, to);
    expect(Y.equalSnapshots(opened.from, separately.from)).toBe(true);
    expect(Y.equalSnapshots(opened.to, separately.to)).toBe(true);
    opened.doc.destroy();
    separately.doc.destroy();

    const { before, after } = oldAndNew(from, to, authorship());
    expect(JSON.parse(after).summary.total).toBeGreaterThan(100);
    expect(after).toBe(before);
    const objectiveId = (JSON.parse(after).facts as { objectiveId: string }[])[0].objectiveId;
    const one = oldAndNew(from, to, authorship(), objectiveId);
    expect(one.after).toBe(one.before);
  });

  it('reads `to` on its own when it lacks a deletion or a word `from` has (a change lost before it was stored)', () => {
    const { doc, authorship } = negotiatedText();
    const base = Y.encodeStateAsUpdate(doc);
    const text = (d: Y.Doc) => ((d.getXmlFragment(CONTENT_FIELD).get(1) as Y.XmlElement).get(0) as Y.XmlText)!;

    // `from` deleted words that `to` never heard of (no new structs: only its delete set tells).
    const lost = new Y.Doc();
    lost.clientID = 7;
    Y.applyUpdate(lost, base);
    text(lost).delete(0, 20);
    const fromWithDeletion = Y.encodeStateAsUpdate(lost);
    // And `from` with words typed that `to` never got.
    text(lost).insert(0, 'Typed and lost ');
    const fromWithWords = Y.encodeStateAsUpdate(lost);
    const to = roomParts(doc, negotiateFurther);

    for (const from of [fromWithDeletion, fromWithWords]) {
      const opened = openVersions(from, to);
      const separately = openVersionsSeparately(from, to);
      // The doc after both is not `to`: read as `to`, the lost deletion would show as made since.
      expect(Y.equalSnapshots(Y.snapshot(opened.doc), separately.to)).toBe(false);
      expect(Y.equalSnapshots(opened.to, separately.to)).toBe(true);
      opened.doc.destroy();
      separately.doc.destroy();
      const { before, after } = oldAndNew(from, to, authorship());
      expect(after).toBe(before);
      expect(after).toContain('"deletion"');
    }
  });
});

// The answer for a reworded agreement as it was before wholeWords stopped making an object per character: a
// digest of its JSON (80 KB) and its length, so any change to a character of it shows.
const ANSWER_BEFORE = { sha256: 'c9bd56f28609f88edb4ab2b65efc9749a45e648b05d2fdacebe15407636638d4', length: 282_507 };

it('a reworded agreement compared word by word answers what it did before, to the character', () => {
  const { doc, authorship } = negotiatedText();
  const from = Y.encodeStateAsUpdate(doc);
  const to = roomParts(doc, negotiateFurther);
  const answer = JSON.stringify(computeDiff(from, to, authorship()));
  expect({ sha256: createHash('sha256').update(answer).digest('hex'), length: answer.length }).toEqual(ANSWER_BEFORE);
});
