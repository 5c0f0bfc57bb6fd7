import type * as awarenessProtocol from 'y-protocols/awareness';
import type { Connection } from './connection';
import type { RoomSocket } from './socket';
import { awarenessMessage } from './messages';

/** The stamped identity of a connection (`JoinOptions.presence`), or undefined when it has none. */
export type Stamp = Record<string, unknown> | undefined;

/**
 * Who sees whose presence in full while a rule of the room's feature holds (a caucus break): a
 * viewer who may not see a state gets it veiled instead, under the same awareness clock.
 */
export interface PresenceScreen {
  /** Whether the connection stamped `viewer` sees in full the presence of the one stamped `owner` (undefined: nobody speaks for it). */
  shows(viewer: Stamp, owner: Stamp): boolean;
  /** What a viewer who may not see `state` gets of it instead (null: nothing, as if that person were gone). */
  veil(state: Record<string, unknown>): Record<string, unknown> | null;
}

/**
 * Sends each of `viewers` the presence of `clients` as `screen` lets it see them: one message per
 * distinct set of veiled ids (viewers of one party share it), so a room encodes a handful, not one per connection.
 */
export function sendScreened(
  awareness: awarenessProtocol.Awareness,
  screen: PresenceScreen,
  clients: number[],
  owners: ReadonlyMap<number, Connection>,
  viewers: Iterable<[RoomSocket, Connection]>,
): void {
  const messages = new Map<string, Uint8Array>();
  for (const [socket, viewer] of viewers) {
    // A removal (no state) tells nothing: it goes to everyone as it is.
    const veiled = clients.filter((id) => awareness.states.has(id) && !screen.shows(viewer.presence, owners.get(id)?.presence));
    const key = veiled.join(',');
    let message = messages.get(key);
    if (!message) {
      const states = new Map<number, unknown>();
      for (const id of clients) if (awareness.states.has(id)) states.set(id, awareness.states.get(id));
      for (const id of veiled) {
        const shown = screen.veil(awareness.states.get(id)!);
        if (shown) states.set(id, shown);
        else states.delete(id);
      }
      message = awarenessMessage(awareness, clients, states);
      messages.set(key, message);
    }
    socket.send(message);
  }
}

/** Each awareness id a connection of the room speaks for, with that connection. */
export function ownersIn(connections: ReadonlyMap<RoomSocket, Connection>): Map<number, Connection> {
  const owners = new Map<number, Connection>();
  for (const connection of connections.values()) for (const id of connection.awarenessIds) owners.set(id, connection);
  return owners;
}

/**
 * The connections of others whose presence `screen` shows otherwise to a viewer now stamped `now`
 * than when it was stamped `before` (its person was given another party or role meanwhile).
 */
export function seenOtherwise(
  screen: PresenceScreen,
  before: Stamp,
  now: Stamp,
  viewer: Connection,
  connections: Iterable<[RoomSocket, Connection]>,
): [RoomSocket, Connection][] {
  const others: [RoomSocket, Connection][] = [];
  for (const entry of connections) {
    const owner = entry[1];
    if (owner === viewer || (owner.personId !== undefined && owner.personId === viewer.personId)) continue;
    if (screen.shows(before, owner.presence) !== screen.shows(now, owner.presence)) others.push(entry);
  }
  return others;
}
