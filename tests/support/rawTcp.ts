import { connect, type Socket } from 'node:net';
import { get } from 'node:http';
import WebSocket from 'ws';

/** A raw TCP connection a test holds open, and whether the server has closed it. */
export interface Tcp {
  socket: Socket;
  closed: Promise<void>;
  isClosed: () => boolean;
}

/** A raw TCP connection to the server from `localAddress` (any of 127/8 on Linux); resolves once connected. */
export async function tcp(http: string, localAddress: string): Promise<Tcp> {
  const { hostname, port } = new URL(http);
  const socket = connect({ port: Number(port), host: hostname, localAddress });
  let closedFlag = false;
  const closed = new Promise<void>((done) =>
    socket.on('close', () => {
      closedFlag = true;
      done();
    }),
  );
  socket.on('error', () => {});
  // Read whatever comes: a paused socket never sees the server's end, and would look open for good.
  socket.resume();
  await new Promise<void>((done) => socket.once('connect', () => done()));
  return { socket, closed, isClosed: () => closedFlag };
}

/** `GET path` from `localAddress` on a connection of its own (closed after): the status, or the error's code. */
export function getFrom(http: string, path: string, localAddress: string): Promise<number | string> {
  return new Promise((done) => {
    const request = get(`${http}${path}`, { localAddress, agent: false }, (response) => {
      response.resume();
      done(response.statusCode ?? 0);
    });
    request.on('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
  });
}

/** A `ws` WebSocket class for the stock client that connects from `localAddress`. */
export function webSocketFrom(localAddress: string): new (address: string, protocols?: string | string[]) => WebSocket {
  return class extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { localAddress });
    }
  };
}

/** A request over a held connection: the first chunk of the answer. */
export function requestOver(c: Tcp, path: string): Promise<string> {
  c.socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
  return new Promise<string>((done) => c.socket.once('data', (chunk: Buffer) => done(chunk.toString())));
}
