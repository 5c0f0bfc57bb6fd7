import { afterEach, beforeEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import { contentString, paragraphText, synced } from '../support/clients';
import { createAgreement } from '../support/server';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { batchIncoming } from '../../client/src/session/frameBatch';

// Issue 17: other people's edits and carets are applied once a frame (client/src/session/frameBatch.ts).
const harness = useHarness();

/** Animation frames run by the test, as a browser runs them before drawing. */
let frames: FrameRequestCallback[] = [];
const runFrame = () => frames.splice(0).forEach((callback) => callback(0));
beforeEach(() => {
  frames = [];
  globalThis.requestAnimationFrame = (callback) => frames.push(callback);
  globalThis.cancelAnimationFrame = (id) => {
    frames[id - 1] = () => {};
  };
});
afterEach(() => {
  delete (globalThis as { requestAnimationFrame?: unknown }).requestAnimationFrame;
  delete (globalThis as { cancelAnimationFrame?: unknown }).cancelAnimationFrame;
});

it('edits and carets that arrive between two frames are applied together before the next one, as one change', async () => {
  const s = await harness.start();
  const f = await createAgreement(s);
  const writer = harness.connect(s, f.agreement.id, f.brokerToken);
  const reader = harness.connect(s, f.agreement.id, f.brokerToken, { connect: false });
  const batch = batchIncoming(reader.provider, { hiddenFlushMs: 60_000 });
  harness.defer(() => batch.destroy());
  reader.provider.connect();
  await synced(writer);
  await synced(reader);
  runFrame();

  const changes: Y.Transaction[] = [];
  reader.doc.on('afterTransaction', (tr: Y.Transaction) => {
    if (tr.origin === reader.provider) changes.push(tr);
  });
  // Three keystrokes sent as three messages, and the writer's caret.
  for (const key of 'abc') {
    paragraphText(writer.doc).insert(paragraphText(writer.doc).length, key);
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  writer.provider.awareness.setLocalStateField('cursor', { at: 3 });
  await waitFor(() => batch.waiting >= 4, { timeoutMs: 10_000, what: 'three updates and a caret waiting' });
  expect(contentString(reader.doc)).not.toContain('abc');
  expect(reader.provider.awareness.getStates().get(writer.doc.clientID)?.cursor).toBeUndefined();

  runFrame();
  expect(contentString(reader.doc)).toContain('abc');
  expect(changes).toHaveLength(1);
  expect(reader.provider.awareness.getStates().get(writer.doc.clientID)?.cursor).toEqual({ at: 3 });
  expect(batch.waiting).toBe(0);
});

it('a tab that draws no frames (hidden) still applies what arrived, on a timer', async () => {
  const s = await harness.start();
  const f = await createAgreement(s);
  const writer = harness.connect(s, f.agreement.id, f.brokerToken);
  const reader = harness.connect(s, f.agreement.id, f.brokerToken, { connect: false });
  const batch = batchIncoming(reader.provider, { hiddenFlushMs: 100 });
  harness.defer(() => batch.destroy());
  reader.provider.connect();
  await synced(writer);
  await synced(reader);

  paragraphText(writer.doc).insert(0, 'while hidden');
  await waitFor(() => contentString(reader.doc).includes('while hidden'), { timeoutMs: 10_000, what: 'the edit applied without a frame' });
  expect(frames.length).toBeGreaterThan(0);
});
