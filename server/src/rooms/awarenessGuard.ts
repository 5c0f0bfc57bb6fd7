import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  removes: boolean;
  /** The state as sent (JSON text), kept so a filtered update carries it unchanged. */
  json: string;
}

/** The entries of an awareness update (throws on a malformed one). */
export function awarenessEntries(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const entries: AwarenessEntry[] = [];
  const count = decoding.readVarUint(decoder);
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const json = decoding.readVarString(decoder);
    const state: unknown = JSON.parse(json);
    if (state !== null && (typeof state !== 'object' || Array.isArray(state))) {
      throw new Error('awareness state must be an object or null');
    }
    entries.push({ clientId, clock, removes: state === null, json });
  }
  return entries;
}

/** An awareness update holding only `entries`, in y-protocols' encoding (count, then id, clock, JSON per entry). */
export function encodeAwarenessEntries(entries: AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.json);
  }
  return encoding.toUint8Array(encoder);
}

/**
 * Whether an entry would change another connection's presence. The y-websocket client
 * echoes every awareness change it receives, but with the clock it received, which
 * Awareness ignores; only a newer clock (or a removal) would take effect.
 */
export function overridesPresence(awareness: awarenessProtocol.Awareness, entry: AwarenessEntry): boolean {
  const current = awareness.meta.get(entry.clientId)?.clock ?? 0;
  return entry.clock > current || (entry.clock === current && entry.removes && awareness.states.has(entry.clientId));
}

/**
 * Whether an entry is a state the server would ignore because its clock is not newer than a
 * removal the server made (a timeout, or the sender's previous connection closing). The sender
 * must hear of that removal: y-protocols then bumps its own clock and announces itself again.
 */
export function isBehindRemoval(awareness: awarenessProtocol.Awareness, entry: AwarenessEntry): boolean {
  const meta = awareness.meta.get(entry.clientId);
  return !entry.removes && meta !== undefined && entry.clock <= meta.clock && !awareness.states.has(entry.clientId);
}

/**
 * Overwrites the identity fields of each state's `user` with what the server knows
 * from the token, so a client cannot show itself under another name, role or party.
 */
export function stampPresence(update: Uint8Array, presence: Record<string, unknown>): Uint8Array {
  return awarenessProtocol.modifyAwarenessUpdate(update, (state: Record<string, unknown> | null) => {
    if (state === null) return null;
    const user = typeof state.user === 'object' && state.user !== null ? state.user : {};
    return { ...state, user: { ...user, ...presence } };
  });
}
