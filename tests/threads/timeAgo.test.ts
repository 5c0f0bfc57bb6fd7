import { afterAll, beforeAll, expect, it } from 'vitest';
import { timeAgo } from '../../client/src/comments/format';

// What a comment's "ago" says in New York: the days it counts are the reader's calendar days.
const zoneBefore = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'America/New_York';
});
afterAll(() => {
  if (zoneBefore === undefined) delete process.env.TZ;
  else process.env.TZ = zoneBefore;
});

const at = (local: string) => new Date(`${local}-05:00`).toISOString();

it('a comment of two calendar days ago never reads “yesterday”, nor one of yesterday “2 days ago”', () => {
  // Written Monday 7 pm, read Wednesday 1 am: 30 hours, two days on the calendar.
  expect(timeAgo(at('2027-03-01T19:00:00'), Date.parse(at('2027-03-03T01:00:00')))).toBe('2 days ago');
  // Written Tuesday 0:30 am, read Wednesday 12:30 pm: 36 hours, yesterday on the calendar.
  expect(timeAgo(at('2027-03-02T00:30:00'), Date.parse(at('2027-03-03T12:30:00')))).toBe('yesterday');
  // Within a day it counts hours and minutes, across midnight too.
  expect(timeAgo(at('2027-03-02T23:50:00'), Date.parse(at('2027-03-03T00:10:00')))).toBe('20 minutes ago');
  expect(timeAgo(at('2027-03-02T02:00:00'), Date.parse(at('2027-03-03T00:00:00')))).toBe('22 hours ago');
  // Six calendar days back still counts days; a week or more gives the date.
  expect(timeAgo(at('2027-02-25T09:00:00'), Date.parse(at('2027-03-03T08:00:00')))).toBe('6 days ago');
  expect(timeAgo(at('2027-02-24T09:00:00'), Date.parse(at('2027-03-03T08:00:00')))).toMatch(/^Feb 24, 2027/);
});
