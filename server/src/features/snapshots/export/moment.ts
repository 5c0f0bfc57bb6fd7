import { MONTH_NAMES } from '#shared/dayInWords';

/**
 * A stored moment as people read it in an export: "12 March 2026, 14:05:09 UTC". Spelled out by
 * hand, in UTC, not through Intl, for the reason `dayInWords` gives. The exact ISO moment stays
 * in the proof.
 */
export function readableMoment(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
  return `${date.getUTCDate()} ${MONTH_NAMES[date.getUTCMonth()]} ${date.getUTCFullYear()}, ${time} UTC`;
}
