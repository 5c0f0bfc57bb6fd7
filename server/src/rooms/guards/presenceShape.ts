import * as decoding from 'lib0/decoding';
import { ProtocolError } from '../socket';

/** Largest presence state one client may hold, as JSON bytes: a cursor, a name and a little UI state. */
export const MAX_PRESENCE_BYTES = 4096;

/**
 * Fields a presence state may have: `user` (the server stamps who it is), `cursor` (y-prosemirror's
 * anchor and head), `selection` and `ui` (small client state).
 */
const FIELDS = new Set(['user', 'cursor', 'selection', 'ui']);

/**
 * Most entries one awareness message may hold. A stock client sends its own state alone, and
 * re-sends the ids of each change it receives (at most everyone present: a few ids per
 * connection, presence.ts). Parsing 200,000 made-up states held the event loop 150 ms a message.
 */
export const MAX_PRESENCE_ENTRIES = 2000;

/** Refused presence is dropped, the connection kept: closing would only make the client resend its state. */
const DROP = { close: false };

/**
 * Refuses (drops, see DROP) an awareness update holding a state that is too big or has unknown
 * fields, before anything parses it: a 6 MB state would otherwise be kept and sent to every newcomer.
 */
export function checkPresenceUpdate(update: Uint8Array): void {
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    if (count > MAX_PRESENCE_ENTRIES) throw new ProtocolError(`presence refused: ${count} entries in one message (limit ${MAX_PRESENCE_ENTRIES})`, DROP);
    for (let i = 0; i < count; i++) {
      decoding.readVarUint(decoder); // client id
      decoding.readVarUint(decoder); // clock
      const bytes = decoding.readVarUint8Array(decoder);
      if (bytes.byteLength > MAX_PRESENCE_BYTES) throw new ProtocolError(`presence refused: ${bytes.byteLength} bytes (limit ${MAX_PRESENCE_BYTES})`, DROP);
      const state: unknown = JSON.parse(new TextDecoder().decode(bytes));
      if (state === null) continue;
      if (typeof state !== 'object' || Array.isArray(state)) throw new ProtocolError('presence refused: a state must be an object or null', DROP);
      for (const [field, value] of Object.entries(state)) {
        if (!FIELDS.has(field)) throw new ProtocolError(`presence refused: unknown field ${JSON.stringify(field).slice(0, 40)}`, DROP);
        if (value !== null && typeof value !== 'object') throw new ProtocolError(`presence refused: ${field} must be an object or null`, DROP);
      }
    }
  } catch (err) {
    if (err instanceof ProtocolError) throw err;
    // Unreadable: dropped like any other unreadable awareness update.
    throw new ProtocolError(`malformed awareness update: ${(err as Error).message}`, DROP);
  }
}
