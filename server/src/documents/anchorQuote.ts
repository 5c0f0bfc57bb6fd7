import { contentFragment, resolveAnchor, textBetween } from '#shared/anchors';
import { ErrorCode } from '#shared/errors';
import { contentRoom } from '#shared/rooms';
import { MAX_QUOTE_LENGTH, type ThreadAnchor } from '#shared/threads';
import { badRequest } from '../errors';
import { readRoom } from '../records/write';
import type { RoomManager } from '../rooms/RoomManager';

/**
 * Checks an anchor (two relative positions) against the live text and answers the
 * passage's text, or 400: what a thread or a parked point quotes.
 */
export function readAnchorQuote(rooms: RoomManager, agreementId: string, anchor: ThreadAnchor): Promise<string> {
  return readRoom(rooms, contentRoom(agreementId), (doc) => {
    const fragment = contentFragment(doc);
    const resolved = resolveAnchor(doc, fragment, anchor);
    if (!resolved) throw badRequest(ErrorCode.AnchorUnresolved, 'the anchor does not resolve in the agreement text (not sent yet, or not a position)');
    if (resolved.detached) throw badRequest(ErrorCode.AnchorEmpty, 'the anchor covers no text');
    const quote = textBetween(fragment, resolved.from, resolved.to);
    return quote.length > MAX_QUOTE_LENGTH ? `${quote.slice(0, MAX_QUOTE_LENGTH - 1)}…` : quote;
  });
}
