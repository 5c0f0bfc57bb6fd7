import type { PresenceBindings } from './presence';

/** Bindings kept in `bindings`: the first person bound to an id keeps it. */
export function mapBindings(bindings: Map<number, string>): PresenceBindings {
  return {
    personOf: (clientId) => bindings.get(clientId),
    bind: (clientId, personId) => {
      if (!bindings.has(clientId)) bindings.set(clientId, personId);
    },
  };
}

/**
 * Whose presence each awareness id has been, per room, kept past the room's unload, for the rooms
 * whose bindings are not stored (records and caucus rooms: the app shows no presence there; a
 * text's are stored with its authorship, features/snapshots/presenceBindings.ts). Bounded: the
 * rooms opened longest ago are forgotten first. Per instance: a room that moves to another
 * instance starts afresh.
 */
export class PresenceMemory {
  /** In the order the rooms were last opened, the most recent last. */
  private readonly rooms = new Map<string, Map<number, string>>();

  constructor(private readonly maxEntries = 200_000) {}

  /** The bindings of `room`: the same map each time it is opened, until forgotten. */
  of(room: string): Map<number, string> {
    const bindings = this.rooms.get(room) ?? new Map<number, string>();
    this.rooms.delete(room);
    this.rooms.set(room, bindings);
    this.forgetOldest();
    return bindings;
  }

  /** The room unloaded: with no id to remember (a room nobody was present in), it is forgotten at once. */
  closed(room: string): void {
    if (this.rooms.get(room)?.size === 0) this.rooms.delete(room);
  }

  /** How many rooms it remembers ids of. */
  get size(): number {
    return this.rooms.size;
  }

  private forgetOldest(): void {
    let total = 0;
    for (const bindings of this.rooms.values()) total += bindings.size;
    for (const [room, bindings] of this.rooms) {
      if (total <= this.maxEntries || this.rooms.size === 1) return;
      total -= bindings.size;
      this.rooms.delete(room);
    }
  }
}
