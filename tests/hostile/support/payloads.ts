import WebSocket from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { paragraphText, rawSocket, type TestClient } from '../../support/clients';
import { waitFor } from '../../support/poll';

/**
 * Frames a hand-made client sends: built with lib0 and y-protocols, the way a hostile
 * participant holding a valid token would build them.
 */

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export function updateFrame(update: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, 0);
    syncProtocol.writeUpdate(e, update);
  });
}

/** Four bytes: "send me everything" (SyncStep1 with an empty state vector). */
export function syncStep1Frame(): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep1);
    encoding.writeVarUint8Array(e, Y.encodeStateVector(new Y.Doc()));
  });
}

/** One byte: "send me everyone's presence". */
export function queryAwarenessFrame(): Uint8Array {
  return new Uint8Array([3]);
}

/** An awareness frame setting one client's presence to `state` (any JSON). */
export function awarenessFrame(clientId: number, clock: number, state: unknown): Uint8Array {
  const inner = frame((e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, clientId);
    encoding.writeVarUint(e, clock);
    encoding.writeVarString(e, JSON.stringify(state));
  });
  return frame((e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint8Array(e, inner);
  });
}

export type Poison = 'map' | 'bareText' | 'nested';

/** A few-kB update that broke every reader of the text before the server checked updates. */
export function poisonUpdate(kind: Poison): Uint8Array {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment('content');
  if (kind === 'map') {
    const map = new Y.Map<string>();
    map.set('x', 'y');
    fragment.insert(0, [map as unknown as Y.XmlElement]);
  } else if (kind === 'bareText') {
    fragment.insert(0, [new Y.XmlText('bare')]);
  } else {
    // About 6,000 blockquotes inside each other, inserted 500 levels at a time (a prepared tree
    // of 6,000 levels would overflow the stack as it is integrated; one level per transaction
    // takes quadratic time).
    let parent: Y.XmlFragment | Y.XmlElement = fragment;
    for (let chunk = 0; chunk < 12; chunk++) {
      const top = new Y.XmlElement('blockquote');
      let bottom = top;
      for (let i = 1; i < 500; i++) {
        const quote = new Y.XmlElement('blockquote');
        bottom.insert(0, [quote]);
        bottom = quote;
      }
      if (chunk === 11) {
        const paragraph = new Y.XmlElement('paragraph');
        paragraph.insert(0, [new Y.XmlText('deep')]);
        bottom.insert(0, [paragraph]);
      }
      parent.insert(0, [top]);
      for (let i = 0; i < 500; i++) parent = parent.get(0) as Y.XmlElement;
    }
  }
  return Y.encodeStateAsUpdate(doc);
}

/**
 * One paragraph of `chars` characters, typed in `parts` updates of one struct each; answers
 * the updates and the text's first id (its characters have consecutive clocks from there).
 */
export function bigParagraph(chars: number, parts = 1): { updates: Uint8Array[]; client: number; clock: number } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const paragraph = new Y.XmlElement('paragraph');
  const text = new Y.XmlText();
  doc.transact(() => {
    paragraph.insert(0, [text]);
    doc.getXmlFragment('content').insert(0, [paragraph]);
    text.insert(0, 'x'.repeat(chars / parts));
  });
  for (let i = 1; i < parts; i++) text.insert(text.length, 'x'.repeat(chars / parts));
  const first = text._start!.id;
  return { updates, client: first.client, clock: first.clock };
}

/**
 * An update that only deletes: every other character of a run, one delete range each
 * (encoded by hand: making it with Yjs would take this process as long as applying it).
 */
export function everyOtherDeleted(client: number, clock: number, count: number): Uint8Array {
  const ranges = Math.floor(count / 2);
  return frame((e) => {
    encoding.writeVarUint(e, 0); // no structs
    encoding.writeVarUint(e, 1); // one client in the delete set
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, ranges);
    for (let i = 0; i < ranges; i++) {
      encoding.writeVarUint(e, clock + i * 2);
      encoding.writeVarUint(e, 1);
    }
  });
}

/** A raw socket; resolves once open. `closed` resolves with the close code the client saw. */
export async function hostileSocket(url: string): Promise<{ socket: WebSocket; closed: Promise<number> }> {
  const socket = new WebSocket(url);
  socket.on('error', () => {});
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { socket, closed };
}

/** Sends frames in slices, letting this process breathe between them. */
export async function sendAll(socket: WebSocket, frames: Uint8Array[], slice = 50): Promise<void> {
  for (let i = 0; i < frames.length && socket.readyState === socket.OPEN; i += slice) {
    for (const f of frames.slice(i, i + slice)) socket.send(f);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Whether a top-level paragraph of the text holds at least `length` characters (where it lands
 * among others depends on client ids, and the honest editor may be typing into it).
 */
export function holdsTextOf(doc: Y.Doc, length: number): boolean {
  return doc
    .getXmlFragment('content')
    .toArray()
    .some((node) => node instanceof Y.XmlElement && node.get(0) instanceof Y.XmlText && (node.get(0) as Y.XmlText).length >= length);
}

/**
 * Sends `frames` on a hand-made connection, then waits until the server has handled them: it
 * answers a sync request sent after them (messages are handled in order), or has closed the
 * connection for them. The socket is closed before this returns.
 */
export async function sendHandled(url: string, frames: Uint8Array[]): Promise<void> {
  const { socket, firstMessage } = await rawSocket(url);
  try {
    await firstMessage;
    let handled = false;
    socket.on('message', () => (handled = true));
    socket.on('close', () => (handled = true));
    for (const f of frames) socket.send(f);
    socket.send(syncStep1Frame());
    await waitFor(() => handled, { what: 'the server to have handled the frames' });
  } finally {
    socket.close();
  }
}

/** An update writing `text` at the start of the first paragraph of a copy of `source`, as Yjs client `clientId`. */
export function writtenAs(source: Y.Doc, clientId: number, text: string): Uint8Array {
  const forge = new Y.Doc();
  Y.applyUpdate(forge, Y.encodeStateAsUpdate(source));
  forge.clientID = clientId;
  let written: Uint8Array | undefined;
  forge.on('update', (update: Uint8Array) => (written = update));
  paragraphText(forge).insert(0, text);
  forge.destroy();
  return written!;
}

/** An update made on a copy of `source`'s text by `change`, as a hand-made client (a fresh Yjs client id) would send it. */
export function changedCopy(source: Y.Doc, change: (copy: Y.Doc) => void): Uint8Array {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(source));
  const before = Y.encodeStateVector(copy);
  change(copy);
  const update = Y.encodeStateAsUpdate(copy, before);
  copy.destroy();
  return update;
}

/** y-websocket's message type for permission-denied answers. */
const MESSAGE_AUTH = 2;

/** The reasons the server gives a stock client for refusing its changes (y-websocket's permission-denied message). */
export function refusalsTo(client: TestClient): string[] {
  const reasons: string[] = [];
  client.provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
    if (decoding.readVarUint(decoder) === 0) reasons.push(decoding.readVarString(decoder));
  };
  return reasons;
}
