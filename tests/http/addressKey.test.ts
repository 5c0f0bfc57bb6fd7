import { expect, it } from 'vitest';
import { addressKey } from '../../server/src/http/addressKey';

// Limits kept per address counted each IPv6 address apart, but one home or one cloud VM holds a
// whole /64 of them: a client could take a fresh address for each connection and never meet a cap.

it('an IPv4 address is its own key', () => {
  expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
  expect(addressKey('127.0.0.2')).not.toBe(addressKey('127.0.0.1'));
});

it('an IPv4-mapped IPv6 address counts as its IPv4 address, dotted or in hex', () => {
  expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
  expect(addressKey('::FFFF:203.0.113.7')).toBe('203.0.113.7');
  expect(addressKey('::ffff:cb00:7107')).toBe('203.0.113.7');
  expect(addressKey('0:0:0:0:0:ffff:203.0.113.7')).toBe('203.0.113.7');
});

it('IPv6 addresses in one /64 share a key, however they are written; another /64 has its own', () => {
  const key = addressKey('2001:db8:1:2::1');
  expect(key).toBe('2001:db8:1:2::/64');
  for (const same of [
    '2001:db8:1:2:ffff:ffff:ffff:ffff',
    '2001:0db8:0001:0002:0000:0000:0000:0002',
    '2001:DB8:1:2:a:b:c:d',
    '2001:db8:1:2::',
    '2001:db8:1:2::10.0.0.1',
  ]) {
    expect(addressKey(same)).toBe(key);
  }
  expect(addressKey('2001:db8:1:3::1')).not.toBe(key);
  expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
  expect(addressKey('::1')).toBe('0:0:0:0::/64');
  expect(addressKey('::')).toBe('0:0:0:0::/64');
  // IPv4-compatible (deprecated) is not mapped: it is an IPv6 address like any other.
  expect(addressKey('::203.0.113.7')).toBe('0:0:0:0::/64');
});

it('a zone id stays in the key: the same link-local prefix on two interfaces is two links', () => {
  expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64%eth0');
  expect(addressKey('fe80::2%eth0')).toBe(addressKey('fe80::1%eth0'));
  expect(addressKey('fe80::1%eth1')).not.toBe(addressKey('fe80::1%eth0'));
  expect(addressKey('fe80::1')).toBe('fe80:0:0:0::/64');
});

it('what is not an address comes back as it is', () => {
  expect(addressKey('')).toBe('');
  expect(addressKey('not an address')).toBe('not an address');
});
