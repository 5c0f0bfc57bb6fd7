import type * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { ClientOrigin } from './origin';
import type { RoomSocket } from './socket';
import type { Connection } from './connection';
import { ProtocolError } from './socket';
import { awarenessMessage } from './messages';
import { stampPresence } from './awarenessGuard';
import { MAX_GONE_PRESENCE_CLOCKS, admitPresence, type PresenceBindings, type PresenceBook, type PresenceHolder } from './presence';
import { mapBindings } from './presenceMemory';
import { checkPresenceUpdate } from './guards/presenceShape';
import { announcedWriter } from './namedWriters';
import { ownersIn, seenOtherwise, sendScreened, type PresenceScreen, type Stamp } from './presenceScreen';

/** What a room's presence tells the room. */
export interface PresenceHooks {
  /** Sends a message to every connection of the room. */
  broadcast(message: Uint8Array): void;
  /** A connection that may write named client ids as its person's (its presence id: namedWriters.ts). */
  writersNamed(origin: ClientOrigin, clientIds: number[]): void;
}

/**
 * Who is present in a room: its awareness, which connection speaks for which awareness id, and whose
 * presence each id has been (nobody else may take it). The server stamps each state and takes no part
 * in presence itself.
 */
export class RoomPresence {
  readonly awareness: awarenessProtocol.Awareness;
  /** Whose presence each awareness id has been: nobody else may take it over (presence.ts). In this room's life unless kept elsewhere ({@link keepIn}). */
  private bindings: PresenceBindings = mapBindings(new Map());
  /** While set, whose presence each connection sees in full (presenceScreen.ts). */
  private screen: PresenceScreen | undefined;
  /** The stamp each person last joined with (one per person of the agreement), to tell when one comes back as another party or role. */
  private readonly stampsSeen = new Map<string, Stamp>();
  private readonly book: PresenceBook = {
    holderOf: (clientId) => this.ownerOf(clientId),
    personOf: (clientId) => this.bindings.personOf(clientId) ?? this.writerOf(clientId),
    bind: (clientId, personId) => {
      this.bindings.bind(clientId, personId);
      this.forgetGoneClocks();
    },
  };

  constructor(
    doc: Y.Doc,
    private readonly connections: ReadonlyMap<RoomSocket, Connection>,
    /** The person who wrote the text with a Yjs client id (the authorship log): their presence id too. */
    private readonly writerOf: (clientId: number) => string | undefined,
    private readonly hooks: PresenceHooks,
  ) {
    this.awareness = new awarenessProtocol.Awareness(doc);
    // The server takes no part in presence itself.
    this.awareness.setLocalState(null);
  }

  /** Keeps whose presence each id has been in `bindings`, so it outlives this load. */
  keepIn(bindings: PresenceBindings): void {
    this.bindings = bindings;
  }

  /** The person whose presence `clientId` has been in this room, now or earlier. */
  personOf(clientId: number): string | undefined {
    return this.bindings.personOf(clientId);
  }

  /** Presence clocks kept (a test of the bound reads it). */
  get clocksKept(): number {
    return this.awareness.meta.size;
  }

  /** Starts telling every connection what changes (once the room is loaded). */
  listen(): void {
    this.awareness.on('update', this.onAwarenessUpdate);
  }

  /** Sends a connection that just joined everyone present. */
  greet(socket: RoomSocket): void {
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0) this.sendTo(socket, states);
    this.reshowToRestamped(socket);
  }

  /**
   * A person given another party or role reconnects at once (the server closes their sockets), but
   * their stock client refuses the states it is greeted with at the clocks it already holds (it
   * forgot the states, not the clocks, on the close): during a screen, it would show none of the
   * people it now sees otherwise (its new party's carets) until each moved. Each of those is asked to
   * announce itself again, under a newer clock that every client takes, as the screen lets it see it.
   */
  private reshowToRestamped(socket: RoomSocket): void {
    const viewer = this.connections.get(socket);
    if (viewer?.personId === undefined) return;
    const before = this.stampsSeen.get(viewer.personId);
    this.stampsSeen.set(viewer.personId, viewer.presence);
    if (!this.screen || !before) return;
    for (const [ownerSocket, owner] of seenOtherwise(this.screen, before, viewer.presence, viewer, this.connections))
      this.askToAnnounceAgain(ownerSocket, owner);
  }

  /**
   * Sends a connection the removal of its own live ids at their clocks: a stock client answers by
   * announcing itself again under a newer clock (as after a server timeout), which reaches everyone.
   */
  private askToAnnounceAgain(socket: RoomSocket, owner: Connection): void {
    const ids = [...owner.awarenessIds].filter((id) => this.awareness.states.has(id));
    if (ids.length > 0) socket.send(awarenessMessage(this.awareness, ids, new Map()));
  }

  /**
   * Screens presence with `next` from now on (undefined: everyone sees everyone in full). Whoever now
   * sees a state differently is told at once: a state now veiled from a viewer is removed from its
   * view, and the state's owner is sent the removal of its own id at its clock, which makes a stock
   * client announce itself again under a newer one (as after a server timeout), so everyone gets it
   * as they may now see it without waiting for its next move.
   */
  screenWith(next: PresenceScreen | undefined): void {
    const before = this.screen;
    if (before === next) return;
    this.screen = next;
    for (const [ownerSocket, owner] of this.connections) {
      const ids = [...owner.awarenessIds].filter((id) => this.awareness.states.has(id));
      if (ids.length === 0) continue;
      let changed = false;
      for (const [socket, viewer] of this.connections) {
        const was = !before || before.shows(viewer.presence, owner.presence);
        const is = !next || next.shows(viewer.presence, owner.presence);
        if (was === is) continue;
        changed = true;
        if (!is) socket.send(awarenessMessage(this.awareness, ids, new Map()));
      }
      if (changed) this.askToAnnounceAgain(ownerSocket, owner);
    }
  }

  /** A connection left: the ids it spoke for are nobody's presence now. */
  left(connection: Connection): void {
    if (connection.awarenessIds.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...connection.awarenessIds], null);
    }
  }

  /** Applies a connection's awareness update, stamped, once checked. Throws {@link ProtocolError} for a bad one. */
  receive(socket: RoomSocket, connection: Connection, update: Uint8Array): void {
    // A state too big or of unknown shape is dropped before anything parses it (the client is told why in the log only: closing would make it resend).
    checkPresenceUpdate(update);
    const announced = announcedWriter(connection, update);
    if (announced !== undefined && connection.canWrite) this.hooks.writersNamed(connection.origin, [announced]);
    let admitted;
    try {
      admitted = admitPresence(this.awareness, update, connection, this.book);
    } catch (err) {
      // Nothing was applied: dropping it is safe, and closing would only make the client resend it.
      throw new ProtocolError(`malformed awareness update: ${(err as Error).message}`, { close: false });
    }
    if (admitted.update) {
      const stamped = connection.presence ? stampPresence(admitted.update, connection.presence) : admitted.update;
      awarenessProtocol.applyAwarenessUpdate(this.awareness, stamped, socket);
    }
    // The server's removal (clock and null state) makes the sender bump its clock and re-announce.
    if (admitted.behindRemoval.length > 0) socket.send(awarenessMessage(this.awareness, admitted.behindRemoval));
  }

  /** Answers a QueryAwareness: everyone present. */
  answerQuery(socket: RoomSocket): void {
    this.sendTo(socket, [...this.awareness.getStates().keys()]);
  }

  /** Sends one connection the presence of `clients`, as the screen lets it see them. */
  private sendTo(socket: RoomSocket, clients: number[]): void {
    const viewer = this.connections.get(socket);
    if (!this.screen || !viewer) return socket.send(awarenessMessage(this.awareness, clients));
    sendScreened(this.awareness, this.screen, clients, ownersIn(this.connections), [[socket, viewer]]);
  }

  destroy(): void {
    this.awareness.destroy();
  }

  /**
   * Past {@link MAX_GONE_PRESENCE_CLOCKS}, forgets the presence clocks of the ids nobody shows now,
   * oldest first. The awareness kept one for every id it ever saw, for the room's life: each page
   * load is a new id, and a person reconnecting in a loop under fresh ids grew it as fast as they
   * liked. Whose an id was stays in the bindings, so a forgotten clock lets nobody else take it.
   */
  private forgetGoneClocks(): void {
    const meta = this.awareness.meta;
    let over = meta.size - this.awareness.states.size - MAX_GONE_PRESENCE_CLOCKS;
    for (const clientId of meta.keys()) {
      if (over <= 0) return;
      if (this.awareness.states.has(clientId)) continue;
      meta.delete(clientId);
      over--;
    }
  }

  private ownerOf(clientId: number): PresenceHolder | undefined {
    for (const connection of this.connections.values()) {
      if (connection.awarenessIds.has(clientId)) return connection;
    }
    return undefined;
  }

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    // Awareness changes come from a socket (its messages), from nobody (a connection leaving) or from the 30 s 'timeout'.
    origin: RoomSocket | null | 'timeout',
  ): void => {
    const connection = origin !== null && origin !== 'timeout' ? this.connections.get(origin) : undefined;
    if (connection) {
      for (const id of added) connection.awarenessIds.add(id);
      for (const id of removed) connection.awarenessIds.delete(id);
      // A stock client's presence id is the id it writes with: words the server holds under it and credits to nobody are its person's.
      if (connection.canWrite && added.length > 0) this.hooks.writersNamed(connection.origin, added);
    } else {
      // A removal the server made: nobody speaks for the id until its person announces it again.
      for (const id of removed) this.ownerOf(id)?.awarenessIds.delete(id);
    }
    const changed = [...added, ...updated, ...removed];
    if (changed.length === 0) return;
    if (this.screen) sendScreened(this.awareness, this.screen, changed, ownersIn(this.connections), this.connections);
    else this.hooks.broadcast(awarenessMessage(this.awareness, changed));
  };
}
