import { isIP } from 'node:net';

/**
 * The reverse proxies (or load balancers) whose `X-Forwarded-For` gives a client's address: a number
 * of proxies in front of the server, or their addresses, subnets and the named ranges Fastify knows
 * (`loopback`, `linklocal`, `uniquelocal`).
 */
export type TrustedProxies = number | string[];

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * Reads `TRUST_PROXY`: unset or empty trusts no proxy (each request is its socket's address). Trusting
 * every address is refused: anyone reaching the server directly could then choose theirs, and with it
 * a fresh budget of every limit counted per address.
 */
export function readTrustedProxies(value: string | undefined): TrustedProxies | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const wrong = () =>
    new Error(
      `TRUST_PROXY must be how many proxies stand in front of the server (1 or more) or a comma-separated list of their addresses, subnets (10.0.0.0/8) or loopback, linklocal, uniquelocal; got "${value}"`,
    );
  if (/^\s*\d+\s*$/.test(value)) {
    const hops = Number(value);
    if (hops < 1) throw wrong();
    return hops;
  }
  const entries = value.split(',').map((entry) => entry.trim());
  if (!entries.every((entry) => NAMED_RANGES.has(entry) || isAddressOrSubnet(entry))) throw wrong();
  return entries;
}

function isAddressOrSubnet(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Fastify's `trustProxy` option for them. A number of proxies becomes the check Fastify makes of one
 * (the nearest `hops` addresses are proxies), since its types accept only a list or a function.
 */
export function fastifyTrustProxy(trusted: TrustedProxies): string[] | ((address: string, hop: number) => boolean) {
  return typeof trusted === 'number' ? (_address, hop) => hop < trusted : trusted;
}
