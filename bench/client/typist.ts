import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { childTypes, contentFragment } from '../../shared/src/anchors';

/**
 * Another person typing, through a stock y-websocket client: one character at a time at the
 * end of the paragraph that starts with `mark`, moving their caret (awareness) as they go,
 * like y-prosemirror's cursor plugin does. Each keystroke's send time is kept so the page
 * can tell how late it showed it.
 */
export interface Typist {
  /** Epoch ms at which the paragraph reached each length (index = characters typed). */
  sentAt: number[];
  /** Paragraph length before typing. */
  baseLength: number;
  start(intervalMs: number): void;
  stop(): void;
  destroy(): void;
}

const now = () => performance.timeOrigin + performance.now();
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz ';

export async function connectTypist(ws: string, room: string, token: string, mark: string): Promise<Typist> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(ws, room, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
  let text: Y.XmlText | undefined;
  for (const block of childTypes(contentFragment(doc))) {
    const first = block instanceof Y.XmlElement ? block.get(0) : null;
    if (first instanceof Y.XmlText && first.toString().startsWith(mark)) text = first;
  }
  if (!text) throw new Error(`no paragraph starting with "${mark}"`);
  const target = text;
  const baseLength = target.length;
  const sentAt: number[] = [];
  let timer: ReturnType<typeof setInterval> | undefined;
  const type = () => {
    const at = target.length;
    target.insert(at, ALPHABET[sentAt.length % ALPHABET.length]);
    sentAt.push(now());
    const caret = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(target, at + 1));
    provider.awareness.setLocalStateField('cursor', { anchor: caret, head: caret });
  };
  return {
    sentAt,
    baseLength,
    start(intervalMs) {
      timer = setInterval(type, intervalMs);
    },
    stop() {
      clearInterval(timer);
    },
    destroy() {
      clearInterval(timer);
      provider.destroy();
      doc.destroy();
    },
  };
}
