import { isIPv4, isIPv6 } from 'node:net';

/**
 * What a client's address counts as, for every limit kept per address (connections held, agreements
 * created). An IPv4 address is one client. An IPv6 address is not: one home, or one cloud VM, is
 * given a whole /64 (2^64 addresses), so a client could take a fresh address for every connection;
 * its /64 prefix is the client. An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, what a dual-stack
 * listener sees of an IPv4 client) is that IPv4 address. A zone id (`fe80::1%eth0`) stays: the same
 * link-local prefix on two interfaces is two different links. Anything else comes back as it is.
 */
export function addressKey(address: string): string {
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return address;
  const zoneAt = address.indexOf('%');
  const zone = zoneAt === -1 ? '' : address.slice(zoneAt);
  const groups = ipv6Groups(zoneAt === -1 ? address : address.slice(0, zoneAt));
  if (isIPv4Mapped(groups)) return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join('.');
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64${zone}`;
}

/** The eight 16-bit groups of a valid IPv6 address (no zone), `::` expanded and a dotted IPv4 tail turned into two groups. */
function ipv6Groups(address: string): number[] {
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  const hex = dotted
    ? address.slice(0, dotted.index) + [0, 2].map((i) => ((Number(dotted[i + 1]) << 8) | Number(dotted[i + 2])).toString(16)).join(':')
    : address;
  const [head, tail] = hex.split('::');
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const front = parse(head);
  const back = parse(tail);
  // Without `::` the address already has its eight groups; with it, zeros fill the gap.
  return tail === undefined ? front : [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}

/** `::ffff:0:0/96`: 80 zero bits, then 16 one bits, then the IPv4 address. */
function isIPv4Mapped(groups: number[]): boolean {
  return groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
}
