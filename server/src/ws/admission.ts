import { ACCESS_REVOKED_REASON, CloseCode, type Identity } from '#shared/protocol';
import { parseRoom, type RoomRef } from '#shared/rooms';
import { NEUTRAL_COLOR, partyColor } from '#shared/colors';
import type { AppContext } from '../context';
import { roomAccess } from '../auth/permissions';
import type { AgreementRecord, PersonRecord } from '../storage/port';
import type { RateLimitCooldown } from './rateLimit';

/** A websocket let into a room: who holds it, and what it may do there. */
export interface Admitted {
  ok: true;
  identity: Identity;
  agreement: AgreementRecord;
  person: PersonRecord;
  ref: RoomRef;
  access: 'write' | 'read';
  /** The person in this room, as the flooding cooldown knows them. */
  personKey: string;
}

/** A websocket refused: the close its client is sent. */
export interface Refused {
  ok: false;
  code: number;
  reason: string;
}

/**
 * Decides whether a websocket may open `roomParam` with `token`: the token is valid and not revoked
 * or expired, it is for this agreement, its holder may open this room, their access did not change
 * while this was read, and they are not cooling down after flooding. Each refusal names a close code
 * the stock client acts on: 4401 and 4403 stop it for good, 1013 has it retry with backoff.
 */
export async function admit(ctx: AppContext, roomParam: string, token: string | undefined, cooldown: RateLimitCooldown): Promise<Admitted | Refused> {
  const ref = parseRoom(roomParam);
  const accessMark = ctx.access.connections.mark();
  const result = await ctx.access.authenticate(token);
  if (!result.ok) {
    if (result.reason === 'unknown-agreement') return refused(CloseCode.NotFound, 'no such agreement');
    if (result.reason === 'invalid') return refused(CloseCode.Unauthorized, 'a valid token is required');
    if (result.reason === 'expired') return refused(CloseCode.AccessEnded, 'this link has expired');
    return refused(CloseCode.AccessEnded, result.personRevoked ? ACCESS_REVOKED_REASON : 'this link was revoked');
  }
  const { identity, agreement, person } = result;
  if (!ref || ref.agreementId !== identity.agreementId) return refused(CloseCode.Forbidden, 'this token is not for this agreement');
  const access = roomAccess(identity, ref);
  if (access === 'none') return refused(CloseCode.Forbidden, 'this room is not open to you');
  // Revoked or given another role while it read who it is: that change closed nothing of it yet. Read again.
  if (ctx.access.connections.changedSince(identity.agreementId, identity.personId, accessMark)) {
    return refused(CloseCode.AccessChanged, 'your access changed while connecting; reconnect');
  }
  const personKey = `${identity.personId} ${roomParam}`;
  // Cut off for flooding a moment ago: refused before it costs a sync, so the client's backoff grows.
  if (cooldown.active(personKey)) return refused(CloseCode.TryAgainLater, 'too many messages: try again later');
  return { ok: true, identity, agreement, person, ref, access, personKey };
}

function refused(code: number, reason: string): Refused {
  return { ok: false, code, reason };
}

/** Who this connection is, as the others see it in presence: taken from the token, not the client. */
export function presenceOf(identity: Identity, agreement: AgreementRecord): Record<string, unknown> {
  const partyIndex = agreement.parties.findIndex((p) => p.id === identity.party);
  return {
    name: identity.name,
    role: identity.role,
    personId: identity.personId,
    party: identity.party ?? null,
    partyName: partyIndex >= 0 ? agreement.parties[partyIndex].name : null,
    color: partyIndex >= 0 ? partyColor(partyIndex) : NEUTRAL_COLOR,
  };
}
