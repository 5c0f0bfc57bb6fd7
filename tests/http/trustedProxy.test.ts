import { request } from 'node:http';
import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { useHarness } from '../support/harness';
import { readConfig } from '../../server/src/config';
import { DEFAULT_HTTP_RATE_LIMITS } from '../../server/src/http/security';
import { connectionsPerAddressCap } from '../../server/src/http/connectionsPerAddress';

// Behind a reverse proxy or a load balancer (how several instances are run, and many single ones)
// every request reaches the server from the proxy's address. The limit on creating agreements is
// counted per client address, so there it counted every client together: the thirty-first agreement
// created anywhere in a minute was refused to everyone, and every log line named the proxy.
// TRUST_PROXY names the proxy; its X-Forwarded-For then gives each client's address, and a header
// from anyone else is ignored (a client reaching the server directly cannot pick an address).
const h = useHarness();
const limits = { ...DEFAULT_HTTP_RATE_LIMITS, createPerMinute: 2 };

/** `POST /api/agreements` from `localAddress` (any of 127/8 on Linux), with an X-Forwarded-For when given: the status. */
function createFrom(http: string, localAddress: string, forwardedFor?: string): Promise<number> {
  const { hostname, port } = new URL(http);
  const body = JSON.stringify({ title: 'Coastal partnership' });
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
    if (forwardedFor) headers['x-forwarded-for'] = forwardedFor;
    const req = request({ host: hostname, port: Number(port), method: 'POST', path: '/api/agreements', localAddress, headers }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('error', reject);
    req.end(body);
  });
}

async function statuses(times: number, create: (i: number) => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < times; i++) out.push(await create(i));
  return out;
}

it('behind a trusted proxy each client has its own budget for creating agreements, and is named in the log by its own address', async () => {
  const lines: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const s = await h.start({ trustProxy: ['127.0.0.1'], httpRateLimits: limits, logLevel: 'info', logStream });
  // The proxy is 127.0.0.1; the clients behind it are documentation addresses.
  expect(await statuses(3, () => createFrom(s.http, '127.0.0.1', '203.0.113.7'))).toEqual([201, 201, 429]);
  expect(await createFrom(s.http, '127.0.0.1', '198.51.100.4')).toBe(201);
  expect(lines.some((line) => line.includes('"remoteAddress":"198.51.100.4"'))).toBe(true);
  expect(lines.some((line) => line.includes('"remoteAddress":"127.0.0.1"'))).toBe(false);
});

it('a client that is not the trusted proxy cannot choose its address with the header', async () => {
  const s = await h.start({ trustProxy: ['127.0.0.1'], httpRateLimits: limits });
  // 127.0.0.2 reaches the server directly and names a new address each time: counted as itself.
  expect(await statuses(3, (i) => createFrom(s.http, '127.0.0.2', `203.0.113.${i + 1}`))).toEqual([201, 201, 429]);
  expect(await createFrom(s.http, '127.0.0.1', '198.51.100.4')).toBe(201);
});

it('with a number of proxies, only the addresses those proxies added count: one a client wrote before them does not', async () => {
  const s = await h.start({ trustProxy: 1, httpRateLimits: limits });
  // The client writes its own X-Forwarded-For; the one proxy appends the address it saw.
  expect(await statuses(3, (i) => createFrom(s.http, '127.0.0.1', `198.51.100.${i + 1}, 203.0.113.7`))).toEqual([201, 201, 429]);
});

it('without TRUST_PROXY the header is ignored: every request counts for the address it came from', async () => {
  const s = await h.start({ httpRateLimits: limits });
  expect(await statuses(3, (i) => createFrom(s.http, '127.0.0.1', `203.0.113.${i + 1}`))).toEqual([201, 201, 429]);
});

it('reads TRUST_PROXY as a number of proxies or a list of addresses, subnets and named ranges, and refuses anything else', () => {
  const read = (value: string) => readConfig({ TRUST_PROXY: value }, 'dist').trustProxy;
  expect(readConfig({}, 'dist').trustProxy).toBeUndefined();
  expect(read('')).toBeUndefined();
  expect(read('2')).toBe(2);
  expect(read('10.0.0.0/8, 127.0.0.1,::1, fd00::/8')).toEqual(['10.0.0.0/8', '127.0.0.1', '::1', 'fd00::/8']);
  expect(read('loopback,uniquelocal')).toEqual(['loopback', 'uniquelocal']);
  // Trusting every address would let anyone reaching the server directly choose theirs.
  for (const wrong of ['true', 'all', '0', '-1', '1.5', '10.0.0.0/33', '::1/129', '300.1.1.1', 'proxy.example.org', '127.0.0.1,,10.0.0.1', '10.0.0.0/']) {
    expect(() => read(wrong), wrong).toThrow(/TRUST_PROXY/);
  }
});

it('behind a trusted proxy no cap on connections per address by default: every client comes from the proxy’s one address', () => {
  expect(connectionsPerAddressCap({ trustProxy: ['10.0.0.2'] })).toBe(0);
  expect(connectionsPerAddressCap({ trustProxy: 1, maxConnectionsPerAddress: 500 })).toBe(500);
  expect(connectionsPerAddressCap({})).toBe(128);
});
