import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';

/** The address other instances reach this one at: INSTANCE_URL, else where it listens. */
export function instanceUrlOf(app: FastifyInstance, configured?: string): string {
  if (configured) return configured.replace(/\/+$/, '');
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the server is not listening yet');
  const host = address.address === '0.0.0.0' || address.address === '::' ? hostname() : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}
