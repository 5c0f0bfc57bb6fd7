import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { splitUpdate, splitUpdateParts } from '#shared/splitUpdate';

function applyAll(parts: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const part of parts) Y.applyUpdate(doc, part);
  return doc;
}

function sameDocs(a: Y.Doc, b: Y.Doc): void {
  expect(b.getXmlFragment('content').toString()).toBe(a.getXmlFragment('content').toString());
  expect(b.getText('t').toString()).toBe(a.getText('t').toString());
  expect(b.getMap('m').toJSON()).toEqual(a.getMap('m').toJSON());
  expect(Y.encodeStateVector(b)).toEqual(Y.encodeStateVector(a));
  expect(b.store.pendingStructs).toBeNull();
  expect(b.store.pendingDs).toBeNull();
}

describe('splitting an update under a size limit', () => {
  it('returns an update that fits unchanged', () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'small');
    const update = Y.encodeStateAsUpdate(doc);
    expect(splitUpdate(update, 1024)).toEqual([update]);
  });

  it('cuts one huge paste (a single string item) by clock range, multi-byte text and surrogate pairs included', () => {
    const doc = new Y.Doc();
    const paragraph = new Y.XmlElement('paragraph');
    doc.getXmlFragment('content').insert(0, [paragraph]);
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    text.insert(0, 'Clause 🌊 é '.repeat(20_000), { bold: true });
    const update = Y.encodeStateAsUpdate(doc);
    const limit = 16 * 1024;
    const parts = splitUpdate(update, limit);
    expect(parts.length).toBeGreaterThan(update.length / limit);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(limit);
    sameDocs(doc, applyAll(parts));
  });

  it('splits many clients, deletions and map entries, applied in order into the same document', () => {
    const docs = Array.from({ length: 5 }, () => new Y.Doc());
    docs.forEach((d, i) => {
      for (let k = 0; k < 300; k++) d.getText('t').insert(0, `client ${i} line ${k}\n`);
      d.getText('t').delete(10, 2000);
      for (let k = 0; k < 50; k++) d.getMap('m').set(`k${i}-${k}`, { v: k, s: 'x'.repeat(40) });
    });
    const merged = Y.mergeUpdates(docs.map((d) => Y.encodeStateAsUpdate(d)));
    const whole = new Y.Doc();
    Y.applyUpdate(whole, merged);
    const limit = 4096;
    const parts = splitUpdate(merged, limit);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(limit);
    sameDocs(whole, applyAll(parts));
  });
});

describe('splitting an update under the server’s counts', () => {
  it('keeps each part within the structs and delete ranges one update may hold, and says the work of each', () => {
    const doc = new Y.Doc();
    const text = doc.getText('t');
    // 3,000 separate insertions by two writers and 2,000 separate deletions: small in bytes, many in count.
    for (let i = 0; i < 3_000; i++) {
      doc.clientID = 1 + (i % 2);
      text.insert(text.length, i % 3 === 0 ? 'ab' : 'c');
    }
    for (let at = text.length - 2; at > 0 && at > text.length - 4_000; at -= 2) text.delete(at, 1);
    const update = Y.encodeStateAsUpdate(doc);
    const counts = { maxStructs: 700, maxDeleteRanges: 400 };
    const parts = splitUpdateParts(update, 8 * 1024 * 1024, counts);
    expect(parts.length).toBeGreaterThan(5);
    for (const { update: part, work } of parts) {
      const { structs, ds } = Y.decodeUpdate(part);
      const ranges = [...ds.clients.values()].reduce((n, list) => n + list.length, 0);
      expect(structs.length).toBeLessThanOrEqual(counts.maxStructs);
      expect(ranges).toBeLessThanOrEqual(counts.maxDeleteRanges);
      expect(work).toBeGreaterThanOrEqual(structs.length + ranges);
    }
    sameDocs(doc, applyAll(parts.map((part) => part.update)));
    // Without counts, the same update fits its byte limit whole.
    expect(splitUpdate(update, 8 * 1024 * 1024)).toEqual([update]);
  });
});
