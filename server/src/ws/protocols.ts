import type { IncomingMessage } from 'node:http';
import { COLLAB_PROTOCOL, DEFLATED_SYNC_PROTOCOL, TEXT_STRUCTS_PROTOCOL, TOKEN_PROTOCOL_PREFIX } from '#shared/protocol';

/**
 * ws's `handleProtocols`: answers with our protocol name, never with the token the client
 * offered beside it (a browser refuses a handshake that picks none of the offered protocols).
 */
export function chooseProtocol(offered: Set<string>, _request: IncomingMessage): string | false {
  return offered.has(COLLAB_PROTOCOL) ? COLLAB_PROTOCOL : false;
}

/** The token a client offered as `cg-token.<token>` in `Sec-WebSocket-Protocol`, if any. */
export function tokenFromProtocols(header: string | undefined): string | undefined {
  for (const value of header?.split(',') ?? []) {
    const protocol = value.trim();
    if (protocol.startsWith(TOKEN_PROTOCOL_PREFIX)) return protocol.slice(TOKEN_PROTOCOL_PREFIX.length);
  }
  return undefined;
}

/** Whether the client offered to read a newcomer's copy of the text deflated. */
export function offersDeflatedSync(header: string | undefined): boolean {
  return offers(header, DEFLATED_SYNC_PROTOCOL);
}

/** Whether the client offered to be told a newcomer's copy's struct count first. */
export function offersTextStructs(header: string | undefined): boolean {
  return offers(header, TEXT_STRUCTS_PROTOCOL);
}

function offers(header: string | undefined, protocol: string): boolean {
  return header?.split(',').some((value) => value.trim() === protocol) ?? false;
}
