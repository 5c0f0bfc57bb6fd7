import { expect, it } from 'vitest';
import { ApiError } from '../../client/src/api';
import { recheckDelayMs } from '../../client/src/history/useCheckedSnapshots';

// The History panel tries a failed fingerprint check again by itself only when the failure passes
// (tests/e2e/history.test.ts drives it in the browser), and waits longer each time.

it('only failures that pass are tried again by themselves: no connection, overload, a restarting or busy server', () => {
  const temporary = [0, 429, 502, 503, 504].map((status) => new ApiError(status, 'x').isTemporary);
  const lasting = [400, 401, 403, 404, 413, 500].map((status) => new ApiError(status, 'x').isTemporary);
  expect(temporary).toEqual([true, true, true, true, true]);
  expect(lasting).toEqual([false, false, false, false, false, false]);
});

it('waits 2 s after the first failure, twice as long after each next one, and never more than a minute', () => {
  expect([1, 2, 3, 4, 5, 6, 7, 20].map(recheckDelayMs)).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
});
