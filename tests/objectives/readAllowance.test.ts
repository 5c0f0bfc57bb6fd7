import { describe, expect, it } from 'vitest';
import { DEFAULT_READ_ALLOWANCE_MS_PER_MINUTE, ReadAllowance } from '../../server/src/documents/readAllowance';
import { readConfig } from '../../server/src/config';

// Each person's reads of the text a click waits on run at the server's own priority while their
// minute's allowance lasts, and in the background beyond it (server/src/documents/readAllowance.ts).
describe("a person's allowance of reads at the server's priority", () => {
  function clocked(msPerMinute: number) {
    let now = 1_000;
    const allowance = new ReadAllowance(msPerMinute, () => now);
    return { allowance, advance: (ms: number) => (now += ms) };
  }

  it('allows reads until the minute’s time is spent, then again once the minute is over', () => {
    const { allowance, advance } = clocked(100);
    expect(allowance.allows('nia')).toBe(true);
    allowance.spend('nia', 60);
    expect(allowance.allows('nia')).toBe(true);
    allowance.spend('nia', 40);
    expect(allowance.allows('nia')).toBe(false);
    advance(59_999);
    expect(allowance.allows('nia')).toBe(false);
    advance(1);
    expect(allowance.allows('nia')).toBe(true);
  });

  it('counts each person on their own: one who reads in a loop leaves the others theirs', () => {
    const { allowance, advance } = clocked(100);
    allowance.spend('loop', 500);
    expect(allowance.allows('loop')).toBe(false);
    expect(allowance.allows('ben')).toBe(true);
    allowance.spend('ben', 99);
    expect(allowance.allows('ben')).toBe(true);
    advance(30_000);
    // Ben's minute began with his first read, not with the loop's.
    allowance.spend('ben', 1);
    expect(allowance.allows('ben')).toBe(false);
  });

  it('with none to give, every read is in the background', () => {
    const { allowance } = clocked(0);
    expect(allowance.allows('nia')).toBe(false);
  });

  it('is set by the operator (READ_ALLOWANCE_MS_PER_MINUTE; 0 sends every read to the background)', () => {
    expect(readConfig({}, 'dist').readAllowanceMsPerMinute).toBeUndefined();
    expect(DEFAULT_READ_ALLOWANCE_MS_PER_MINUTE).toBe(5_000);
    expect(readConfig({ READ_ALLOWANCE_MS_PER_MINUTE: '0' }, 'dist').readAllowanceMsPerMinute).toBe(0);
    expect(readConfig({ READ_ALLOWANCE_MS_PER_MINUTE: '2500' }, 'dist').readAllowanceMsPerMinute).toBe(2500);
    expect(() => readConfig({ READ_ALLOWANCE_MS_PER_MINUTE: 'lots' }, 'dist')).toThrow(/READ_ALLOWANCE_MS_PER_MINUTE/);
  });
});
