import type { Identity } from '#shared/protocol';
import type { RoomRef } from '#shared/rooms';
import { can } from '#shared/permissions';

export type RoomAccess = 'write' | 'read' | 'none';

/**
 * What a person may do with a room's Y.Doc. The records and caucus rooms are written
 * by the server alone; a caucus is readable only by its party's negotiators.
 */
export function roomAccess(identity: Identity, room: RoomRef): RoomAccess {
  if (identity.agreementId !== room.agreementId) return 'none';
  switch (room.kind) {
    case 'content':
      return can(identity.role, 'writeText') ? 'write' : 'read';
    case 'records':
      return 'read';
    case 'caucus':
      // A party's caucus is its negotiators' alone: not the broker, not an observer or legal reviewer.
      return identity.role === 'negotiator' && identity.party !== undefined && identity.party === room.partyId ? 'read' : 'none';
  }
}
