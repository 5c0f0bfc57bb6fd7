import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { walkStructsInSlices } from '../../server/src/rooms/structWalk';
import { longAgreement, reword, writeDocument } from '../support/document';

// What a room counts from every struct as it loads (the text guard's tally, the kept delete set) is
// walked between yields: a long walk in one go held every room on the server.

/** Holds the thread for `ms` (a visit as costly as a long text's walk makes it). */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

it('visits every struct once, in clock order per writer, yielding to the event loop between slices', async () => {
  const doc = new Y.Doc();
  writeDocument(doc, longAgreement(3));
  reword(doc, 2);
  const expected = [...doc.store.clients].flatMap(([client, structs]) => structs.map((struct) => `${client}:${struct.id.clock}`));
  expect(expected.length).toBeGreaterThan(1024);
  const visited: string[] = [];
  // Timers run only when the walk yields: the walk's visits take far longer than a slice.
  let turns = 0;
  const ticking = setInterval(() => turns++, 1);
  try {
    const whole = await walkStructsInSlices(
      doc,
      (client, struct) => {
        busy(0.02);
        visited.push(`${client}:${struct.id.clock}`);
      },
      () => 'whole',
    );
    expect(whole).toBe('whole');
  } finally {
    clearInterval(ticking);
  }
  expect(visited).toEqual(expected);
  expect(turns).toBeGreaterThan(1);
});

it('answers undefined, having stopped, when the doc changes between slices', async () => {
  const doc = new Y.Doc();
  writeDocument(doc, longAgreement(3));
  reword(doc, 2);
  let finished = false;
  const walking = walkStructsInSlices(
    doc,
    () => busy(0.02),
    () => (finished = true),
  );
  doc.getXmlFragment('content').insert(0, [new Y.XmlElement('paragraph')]);
  expect(await walking).toBeUndefined();
  expect(finished).toBe(false);
});
