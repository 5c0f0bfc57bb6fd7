import type { Author } from '#shared/records';

/** What a room needs of a client connection: the transport stays outside the room. */
export interface RoomSocket {
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
  /** Bytes queued for sending but not yet written (for backpressure). */
  readonly bufferedAmount: number;
}

/** A connection's rights in its room, decided by auth before it joins. */
export interface JoinOptions {
  /** May change the document. Without it, sync updates are dropped and only awareness passes. */
  canWrite: boolean;
  /** The person behind the connection: their new connection may take over their old presence. */
  personId?: string;
  /** Fields the server stamps into this connection's awareness `user`, so nobody can pose as someone else. */
  presence?: Record<string, unknown>;
  /** The person behind this connection, so changes can be attributed to them. */
  author?: Author;
  /** The client reads a newcomer's copy of the text deflated (it offered DEFLATED_SYNC_PROTOCOL). */
  deflatedSync?: boolean;
  /** The client reads MESSAGE_TEXT_STRUCTS before a newcomer's copy (it offered TEXT_STRUCTS_PROTOCOL). */
  textStructs?: boolean;
}

/**
 * Thrown for a message that does not follow the protocol. With `close` (the default) the
 * connection is closed with a code the client reconnects after (4500); without, the message
 * is dropped and logged.
 */
export class ProtocolError extends Error {
  readonly close: boolean;

  constructor(message: string, { close = true }: { close?: boolean } = {}) {
    super(message);
    this.close = close;
  }
}
