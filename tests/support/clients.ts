import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { waitFor } from './poll';
import { collabProtocols } from '#shared/protocol';
import { writerDeletionsMessage, writerIdsMessage } from '#shared/writerIds';
import type { DeleteSet } from '#shared/deleteSets';

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  text: Y.XmlText;
  /** Every close of its connection, as the provider saw it (the server's code and reason), oldest first. */
  closes: { code: number; reason: string }[];
  destroy(): void;
}

/**
 * A stock y-websocket client (no BroadcastChannel, so only the server can relay).
 * The agreement's `content` XmlFragment holds one paragraph whose XmlText tests type into.
 */
export interface ConnectOptions {
  connect?: boolean;
  /** The websocket class the provider opens with (default: `ws`'s). */
  webSocket?: new (address: string, protocols?: string | string[]) => WebSocket;
  /** Offers to read a newcomer's copy deflated, as the app's client does (the stock provider cannot). */
  deflatedSync?: boolean;
  /** Offers to be told a newcomer's copy's struct count first (MESSAGE_TEXT_STRUCTS), as the app's client does. */
  textStructs?: boolean;
  /** Names these client ids as its writers first on each connection (MESSAGE_WRITER_IDS), as the app's client does (the stock provider sends none). */
  namesWriters?: () => number[];
  /** Names these deletions as its device's first on each connection (MESSAGE_WRITER_DELETIONS), as the app's client does. */
  namesDeletions?: () => DeleteSet;
}

/**
 * A websocket class for {@link ConnectOptions.webSocket} that counts the bytes its sockets receive (`last`: the newest
 * socket); with `keepFrames`, it also keeps them (`frames`): what the page's developer tools would show.
 */
export function countingWebSocket({ keepFrames = false } = {}): {
  counted: { bytes: number; last?: WebSocket; frames: Buffer[] };
  Counting: new (address: string, protocols?: string | string[]) => WebSocket;
} {
  const counted: { bytes: number; last?: WebSocket; frames: Buffer[] } = { bytes: 0, frames: [] };
  class Counting extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols);
      counted.last = this;
      this.on('message', (data: ArrayBuffer | Buffer) => {
        counted.bytes += data.byteLength;
        if (keepFrames) counted.frames.push(Buffer.from(data as Buffer));
      });
    }
  }
  return { counted, Counting };
}

export function connectClient(wsUrl: string, room: string, token: string, options: ConnectOptions = {}): TestClient {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(wsUrl, room, doc, {
    // The token rides in Sec-WebSocket-Protocol, as the app's own client sends it: never in the URL.
    protocols: collabProtocols(token, { deflatedSync: options.deflatedSync, textStructs: options.textStructs }),
    WebSocketPolyfill: (options.webSocket ?? WebSocket) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    connect: options.connect ?? true,
    // Keep retries quick so reconnect tests stay short.
    maxBackoffTime: 200,
  });
  const { namesWriters, namesDeletions } = options;
  // 'connected' is told before the provider's own first message: the naming goes first, as the app sends it.
  provider.on('status', ({ status }: { status: string }) => {
    if (status !== 'connected') return;
    if (namesWriters) provider.ws?.send(writerIdsMessage(namesWriters()));
    if (namesDeletions) provider.ws?.send(writerDeletionsMessage(namesDeletions()));
  });
  let destroyed = false;
  const closes: { code: number; reason: string }[] = [];
  provider.on('connection-close', (event: { code: number; reason: string } | null) => {
    if (event) closes.push({ code: event.code, reason: String(event.reason).slice(0, 200) });
  });
  return {
    doc,
    provider,
    closes,
    get text() {
      return paragraphText(doc);
    },
    destroy() {
      // Idempotent: a test may destroy a client itself before the harness does.
      if (destroyed) return;
      destroyed = true;
      provider.destroy();
      doc.destroy();
    },
  };
}

/**
 * Why `behind` does not hold all of `ahead` yet, for a failing wait: the writers (client ids) it
 * lacks changes of, whether it holds changes waiting for missing ones, and each one's closes.
 */
export function syncGap(ahead: TestClient, behind: TestClient): string {
  const theirs = Y.decodeStateVector(Y.encodeStateVector(behind.doc));
  const lacking = [...Y.decodeStateVector(Y.encodeStateVector(ahead.doc))]
    .filter(([client, clock]) => (theirs.get(client) ?? 0) < clock)
    .map(([client, clock]) => `${client} ${theirs.get(client) ?? 0}/${clock}`);
  const waiting = behind.doc.store.pendingStructs !== null || behind.doc.store.pendingDs !== null;
  const closes = (client: TestClient) => JSON.stringify(client.closes);
  return (
    `lacks changes of ${lacking.length ? lacking.join(', ') : 'no writer'}; ${waiting ? 'holds changes waiting for missing ones' : 'nothing waiting'}; ` +
    `connected ${ahead.provider.wsconnected}/${behind.provider.wsconnected}; closes ${closes(ahead)} / ${closes(behind)}`
  );
}

/** The first paragraph's text node, created on first use (concurrent creation converges). */
export function paragraphText(doc: Y.Doc): Y.XmlText {
  const fragment = doc.getXmlFragment('content');
  let paragraph = fragment.get(0) as Y.XmlElement | undefined;
  if (!paragraph) {
    paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText()]);
    fragment.insert(0, [paragraph]);
  }
  return paragraph.get(0) as Y.XmlText;
}

export function contentString(doc: Y.Doc): string {
  return doc.getXmlFragment('content').toString();
}

/** The name the server stamped on the presence under `clientId`, as `client` sees it. */
export function presenceName(client: TestClient, clientId: number): string | undefined {
  return (client.provider.awareness.getStates().get(clientId)?.user as { name?: string } | undefined)?.name;
}

export async function synced(client: TestClient, timeoutMs = 5000): Promise<void> {
  await waitFor(() => client.provider.synced, { timeoutMs, what: 'provider synced' });
}

/** A bare websocket, for frames no well-behaved client would send. */
export async function rawSocket(
  url: string,
): Promise<{ socket: WebSocket; closed: Promise<{ code: number; reason: string }>; firstMessage: Promise<Buffer | undefined> }> {
  const socket = new WebSocket(url);
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  // Listened for from the start: the server's first frame (its sync request, once the room is
  // joined) may come before a test gets to listen. Undefined when it closes first.
  const firstMessage = new Promise<Buffer | undefined>((resolve) => {
    socket.once('message', (data: Buffer) => resolve(data));
    socket.once('close', () => resolve(undefined));
  });
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('close', () => resolve());
    socket.once('error', reject);
  });
  return { socket, closed, firstMessage };
}

/**
 * Connects `client` (made with `connect: false`), writes the paragraph `line` the moment its socket
 * opens (the stock client sends it at once, before the server's first message) and disconnects at
 * once: a program that writes and leaves. Resolves once its socket is gone.
 */
export async function writeOnOpenAndLeave(client: TestClient, line: string): Promise<void> {
  const content = client.doc.getXmlFragment('content');
  client.provider.on('status', ({ status }: { status: string }) => {
    if (status !== 'connected' || content.length > 0) return;
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(line)]);
    content.insert(0, [paragraph]);
    client.provider.disconnect();
  });
  client.provider.connect();
  await waitFor(() => client.provider.ws === null, { timeoutMs: 10_000, what: 'the writer disconnected' });
}
