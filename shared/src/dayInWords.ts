export const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A stored calendar day ("2027-02-01"). */
export const CALENDAR_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `text` is a real calendar day written yyyy-mm-dd (2027-02-30 and 2027-13-45 are none). */
export function isCalendarDay(text: string): boolean {
  const time = CALENDAR_DAY.test(text) ? Date.parse(`${text}T00:00:00Z`) : NaN;
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(text);
}

/**
 * A calendar day as documents write it: "1 February 2027". Spelled out by hand, not through Intl,
 * because exports are fingerprinted and rendered again by `scripts/fingerprint.ts` wherever it
 * runs: another locale or ICU version must not change a character. Anything else comes back as it is.
 */
export function dayInWords(day: string): string {
  const parts = CALENDAR_DAY.exec(day);
  const month = parts ? MONTH_NAMES[Number(parts[2]) - 1] : undefined;
  return parts && month ? `${Number(parts[3])} ${month} ${parts[1]}` : day;
}
