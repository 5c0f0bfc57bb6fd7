import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { addressKey } from './addressKey';
import type { TrustedProxies } from './trustedProxy';

/**
 * TCP connections one remote address (an IPv6 /64 counting as one: addressKey.ts) may hold open at once, plain requests and websockets together.
 * An office behind one NAT address, a dozen people with a tab each, holds about a hundred (Chromium
 * keeps up to 6 HTTP connections per origin, plus the tab's websockets); one machine holding more is
 * hoarding. Behind a reverse proxy every client is the proxy's address: raise it or set 0 there.
 */
export const DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 128;

/**
 * The cap in force: the one configured, else the default for one instance alone. With several
 * instances (a database shared) none by default: each instance forwards the websockets and requests
 * of its clients of another's agreements from its own one address (cluster/forwardSocket.ts), so a
 * cap of 128 would refuse the 129th person an instance forwards; such instances sit behind a load
 * balancer, which is where each client is capped. Behind a trusted proxy (`TRUST_PROXY`) none either: every
 * connection comes from the proxy, which caps its clients.
 */
export function connectionsPerAddressCap(config: { maxConnectionsPerAddress?: number; databaseUrl?: string; trustProxy?: TrustedProxies }): number {
  return config.maxConnectionsPerAddress ?? (config.databaseUrl || config.trustProxy !== undefined ? 0 : DEFAULT_MAX_CONNECTIONS_PER_ADDRESS);
}

/**
 * Caps the connections each remote address holds open; `max` 0 lifts the cap. A connection over the
 * cap is destroyed as it is accepted, before a byte of it is read: answering it 503 would mean
 * parsing its request, the very work (and the lingering socket) the cap exists to refuse. The
 * stock client and browsers see a failed connection and retry with backoff. The address is the
 * socket's own (a proxy's header is read later, with the request), counted by its
 * {@link addressKey}: a client holding a whole IPv6 /64 is one client, not 2^64.
 */
export function capConnectionsPerAddress(app: FastifyInstance, max: number): void {
  if (max <= 0) return;
  const open = new Map<string, number>();
  // Logged once per address until it lets go of all its connections, not per refused one: a flood would flood the log too.
  const refusing = new Set<string>();
  app.server.on('connection', (socket: Socket) => {
    const remoteAddress = socket.remoteAddress;
    // Reset by the client before it was accepted: nothing to count.
    if (remoteAddress === undefined) return void socket.destroy();
    const address = addressKey(remoteAddress);
    const count = open.get(address) ?? 0;
    if (count >= max) {
      if (!refusing.has(address)) {
        refusing.add(address);
        app.log.warn({ remoteAddress, addressKey: address, max }, 'an address holds as many connections as allowed: refusing more from it');
      }
      return void socket.destroy();
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) return void open.set(address, left);
      open.delete(address);
      refusing.delete(address);
    });
  });
}
