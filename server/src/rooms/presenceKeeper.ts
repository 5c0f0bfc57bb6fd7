import { parseRoom } from '#shared/rooms';
import type { RoomExtension } from './extension';
import type { PresenceBindings } from './presence';
import { PresenceMemory, mapBindings } from './presenceMemory';
import type { Room } from './Room';

/**
 * Where each room keeps whose presence each awareness id has been, past its unload: a text's
 * bindings with the agreement, where every instance reads them (`stored`); a records or caucus
 * room's in this instance's memory (the app shows no presence there).
 */
export class PresenceKeeper implements RoomExtension {
  private readonly memory = new PresenceMemory();

  constructor(private readonly stored: (agreementId: string) => PresenceBindings) {}

  afterLoad(room: Room): void {
    const ref = parseRoom(room.name);
    // Server-private rooms (no websocket opens them) have no presence.
    if (!ref) return;
    room.keepPresenceIn(ref.kind === 'content' ? this.stored(ref.agreementId) : mapBindings(this.memory.of(room.name)));
  }

  /** A room nobody was present in leaves nothing behind in the memory. */
  beforeUnload(room: Room): void {
    this.memory.closed(room.name);
  }

  /** Rooms whose presence ids this instance's memory keeps (for tests). */
  get roomsRemembered(): number {
    return this.memory.size;
  }
}
