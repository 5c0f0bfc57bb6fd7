import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { prosemirrorJSONToYXmlFragment, ySyncPlugin } from '@tiptap/y-tiptap';
import { anchorAt, contentFragment, resolveAnchor } from '#shared/anchors';
import type { AgreementView } from '#shared/protocol';
import { RecordsKey } from '#shared/records';
import { documentSchema } from '#shared/schema';
import type { Thread } from '#shared/threads';
import { CommentsController } from '../../client/src/comments/CommentsController';
import { commentHighlightsPlugin, commentsPluginKey } from '../../client/src/comments/highlights';
import { HeadlessView, numberedClauses } from './headlessView';
import { waitFor } from '../support/poll';

/**
 * Comment highlights on a long agreement (client/src/comments/highlights.ts): they follow
 * every edit through ProseMirror's mapping, and after edits only the threads the mapping lost
 * are resolved again from their anchors, so a keystroke does not cost one pass over all threads.
 */

const BLOCKS = 200;
const THREADS = 30;

let frames: FrameRequestCallback[] = [];
/** Runs the animation frames requested so far, as the browser would before its next paint. */
function runFrames() {
  const due = frames;
  frames = [];
  for (const callback of due) callback(0);
}

beforeEach(() => {
  frames = [];
  vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => frames.push(callback));
  vi.stubGlobal('cancelAnimationFrame', () => {});
});
afterEach(() => vi.unstubAllGlobals());

async function setup({ waitForAll = true } = {}) {
  const writer = new Y.Doc();
  const reader = new Y.Doc();
  /** Updates the reader has not been given yet (while `hold` is set). */
  const held: Uint8Array[] = [];
  let hold = false;
  writer.on('update', (update: Uint8Array) => (hold ? held.push(update) : Y.applyUpdate(reader, update, 'remote')));
  prosemirrorJSONToYXmlFragment(documentSchema(), numberedClauses(BLOCKS), writer.getXmlFragment('content'));

  const records = new Y.Doc();
  const threads = records.getMap<Thread>(RecordsKey.threads);
  const view0 = { id: 'a', title: 'A', parties: [], me: { personId: 'p', role: 'broker', name: 'B' } } as unknown as AgreementView;
  const controller = new CommentsController(view0);
  controller.setContentDoc(reader);
  controller.followRoom('shared', records);
  const view = new HeadlessView(documentSchema(), [ySyncPlugin(contentFragment(reader)), commentHighlightsPlugin(controller, reader)]);
  // A long text is shown a slice per task (patches/@tiptap+y-tiptap): wait until all of it is.
  if (waitForAll) await waitFor(() => view.state.doc.childCount === BLOCKS, { what: 'the whole text shown' });

  // Block starts in the whole text (the view may still show only its first blocks).
  const whole = documentSchema().nodeFromJSON(numberedClauses(BLOCKS));
  const blockStart = (index: number) => {
    let pos = 0;
    for (let i = 0; i < index; i++) pos += whole.child(i).nodeSize;
    return pos;
  };
  /** A thread on the word "Clause" of block `index`, anchored in the writer's text. */
  const addThread = (id: string, index: number) => {
    const from = blockStart(index) + 1;
    const thread: Thread = {
      id,
      anchor: anchorAt(contentFragment(writer), from, from + 6),
      createdBy: { personId: 'p', name: 'B', role: 'broker' },
      createdAt: new Date(0).toISOString(),
      resolved: false,
      comments: [],
      mentions: [],
    } as Thread;
    threads.set(id, thread);
  };
  const text = (index: number) => (contentFragment(writer).get(index) as Y.XmlElement).get(0) as Y.XmlText;
  const highlights = () => commentsPluginKey.getState(view.state)!;
  const highlighted = () =>
    highlights()
      .decorations.find()
      .map((d) => view.state.doc.textBetween(d.from, d.to))
      .sort();
  const release = () => {
    hold = false;
    for (const update of held.splice(0)) Y.applyUpdate(reader, update, 'remote');
  };
  const destroy = () => (view.destroy(), writer.destroy(), reader.destroy(), records.destroy());
  return {
    writer,
    reader,
    view,
    controller,
    threads,
    addThread,
    text,
    highlights,
    highlighted,
    blockStart,
    setHold: (on: boolean) => (hold = on),
    release,
    destroy,
  };
}

let destroy: (() => void) | undefined;
afterEach(() => destroy?.());

describe('comment highlights on a long agreement', () => {
  it('follow remote keystrokes without resolving every thread again at the next frame', async () => {
    const s = await setup();
    destroy = s.destroy;
    for (let t = 0; t < THREADS; t++) s.addThread(`t${t}`, t * 6 + 3);
    runFrames();
    expect(s.highlighted()).toEqual(Array(THREADS).fill('Clause'));

    s.text(50).insert(0, 'x');
    s.text(150).insert(3, 'y');
    s.view.transactions.length = 0;
    runFrames();

    // Nothing was lost by the mapping: no pass over the anchors, no new transaction, the same highlights.
    expect(s.view.transactions).toHaveLength(0);
    expect(s.highlighted()).toEqual(Array(THREADS).fill('Clause'));
    for (const [key, position] of s.controller.positions) {
      const resolved = resolveAnchor(s.reader, contentFragment(s.reader), s.controller.find(key)!.thread.anchor!);
      expect(position, key).toEqual({ from: resolved!.from, to: resolved!.to, detached: false });
    }
  });

  it('resolve a thread again at the next frame when an edit removed its passage', async () => {
    const s = await setup();
    destroy = s.destroy;
    s.addThread('gone', 40);
    s.addThread('kept', 80);
    runFrames();
    expect(s.highlighted()).toEqual(['Clause', 'Clause']);

    s.text(40).delete(0, 10);
    runFrames();

    expect(s.controller.positions.get('s:gone')).toMatchObject({ detached: true });
    expect(s.controller.positions.get('s:gone')?.pending).toBeFalsy();
    expect(s.controller.positions.get('s:kept')).toMatchObject({ detached: false });
    expect(s.highlighted()).toEqual(['Clause']);
  });

  it('place a thread on text that had not arrived yet once it does', async () => {
    const s = await setup();
    destroy = s.destroy;
    s.setHold(true);
    s.text(120).insert(0, 'Clause ');
    // Anchored on the writer's new text, which the reader has not received.
    const thread: Thread = {
      id: 'late',
      anchor: anchorAt(contentFragment(s.writer), s.blockStart(120) + 1, s.blockStart(120) + 7),
      createdBy: { personId: 'p', name: 'B', role: 'broker' },
      createdAt: new Date(0).toISOString(),
      resolved: false,
      comments: [],
      mentions: [],
    } as Thread;
    s.threads.set('late', thread);
    expect(s.controller.positions.get('s:late')).toMatchObject({ pending: true });
    expect(s.highlighted()).toEqual([]);

    s.release();
    runFrames();

    expect(s.controller.positions.get('s:late')).toMatchObject({ detached: false });
    expect(s.controller.positions.get('s:late')?.pending).toBeFalsy();
    expect(s.highlighted()).toEqual(['Clause']);
  });

  it('keep threads in the part of a long text still being shown as pending, and place them once it is', async () => {
    const s = await setup({ waitForAll: false });
    destroy = s.destroy;
    expect(s.view.state.doc.childCount).toBeLessThan(150);
    s.addThread('tail', 150);
    expect(s.controller.positions.get('s:tail')).toMatchObject({ pending: true });

    await waitFor(() => s.view.state.doc.childCount === BLOCKS, { what: 'the whole text shown' });
    runFrames();
    expect(s.controller.positions.get('s:tail')).toMatchObject({ detached: false });
    expect(s.highlighted()).toEqual(['Clause']);
  });
});
