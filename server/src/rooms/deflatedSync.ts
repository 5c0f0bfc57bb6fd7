import { deflateRaw } from 'node:zlib';
import { promisify } from 'node:util';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { MESSAGE_DEFLATED_SYNC_STEP2 } from '#shared/protocol';
import { syncMessage } from './messages';

const deflateRawAsync = promisify(deflateRaw);

/**
 * A newcomer's copy is sent deflated from this size on. Below it the bytes saved are a fraction of
 * one round trip, and the client's decompression adds a task before the text shows.
 */
export const DEFLATE_FROM_BYTES = 16 * 1024;

/** Level 6 (zlib's default): 1.1 MB in about 40 ms, on libuv's thread pool; level 9 took five times that for 0 % more. */
const LEVEL = 6;

/** Deflated answers by the state they carry: a room's kept newcomer state is deflated once, for every newcomer after. */
const deflated = new WeakMap<Uint8Array, Promise<Uint8Array>>();

/**
 * The SyncStep2 that carries `state` (a whole text, for a client holding nothing), deflated, as a
 * {@link MESSAGE_DEFLATED_SYNC_STEP2} message. The work runs off the event loop. If deflating fails
 * the plain SyncStep2 is answered instead: the client reads both.
 */
export function deflatedSyncStep2(state: Uint8Array): Promise<Uint8Array> {
  let message = deflated.get(state);
  if (!message) {
    message = deflateRawAsync(state, { level: LEVEL }).then(
      (bytes) => {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MESSAGE_DEFLATED_SYNC_STEP2);
        encoding.writeVarUint8Array(encoder, bytes);
        return encoding.toUint8Array(encoder);
      },
      () => syncMessage(syncProtocol.messageYjsSyncStep2, state),
    );
    deflated.set(state, message);
  }
  return message;
}
