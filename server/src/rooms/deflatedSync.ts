import { deflateRaw } from 'node:zlib';
import { promisify } from 'node:util';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { MESSAGE_DEFLATED_SYNC_STEP2 } from '#shared/protocol';
import { syncMessage } from './messages';

const deflateRawAsync = promisify(deflateRaw);

/**
 * An answer is sent deflated from this size on. Below it the bytes saved are a fraction of one
 * round trip, and the client's decompression adds a task before the text shows.
 */
export const DEFLATE_FROM_BYTES = 16 * 1024;

/**
 * Deflated, an answer must be at most this share of its size, or it goes plain: a text deflates to
 * about a third, but an answer that is mostly a delete set (a reconnect) only to about four fifths,
 * not worth the client's extra step.
 */
export const WORTH_DEFLATING = 0.75;

/** Level 6 (zlib's default): 1.1 MB in about 40 ms, on libuv's thread pool; level 9 took five times that for 0 % more. */
const LEVEL = 6;

/** Deflated answers by the update they carry: a room's kept newcomer state is deflated once, for every newcomer after. */
const deflated = new WeakMap<Uint8Array, Promise<Uint8Array>>();

/**
 * Deflates of different answers that may run at once; past that an answer goes plain. The pool they
 * run on also writes every room's updates to disk: one participant asking again and again with made-up
 * state vectors (a different answer each time, 1 MB each) must not take it from them.
 */
const MAX_DEFLATING = 1;
let deflating = 0;

/**
 * The SyncStep2 that carries `update` (what a client lacks), deflated, as a
 * {@link MESSAGE_DEFLATED_SYNC_STEP2} message. The work runs off the event loop. If deflating fails,
 * saves too little ({@link WORTH_DEFLATING}) or must wait for another answer's ({@link MAX_DEFLATING}),
 * the plain SyncStep2 is answered instead: the client reads both.
 */
export function deflatedSyncStep2(update: Uint8Array): Promise<Uint8Array> {
  const plain = () => syncMessage(syncProtocol.messageYjsSyncStep2, update);
  let message = deflated.get(update);
  if (message) return message;
  if (deflating >= MAX_DEFLATING) return Promise.resolve(plain());
  deflating++;
  message = deflateRawAsync(update, { level: LEVEL })
    .then((bytes) => {
      if (bytes.length > update.length * WORTH_DEFLATING) return plain();
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_DEFLATED_SYNC_STEP2);
      encoding.writeVarUint8Array(encoder, bytes);
      return encoding.toUint8Array(encoder);
    }, plain)
    .finally(() => deflating--);
  deflated.set(update, message);
  return message;
}
