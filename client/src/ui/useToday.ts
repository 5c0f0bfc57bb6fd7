import { useEffect, useState } from 'react';

/** Looked at again at least this often: a laptop asleep over midnight, or a clock or zone changed, is caught up within it. */
const RECHECK_MS = 60_000;

/** The calendar day (yyyy-mm-dd) a moment falls on in this device's time zone. */
export function calendarDayOf(moment: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${moment.getFullYear()}-${pad(moment.getMonth() + 1)}-${pad(moment.getDate())}`;
}

/**
 * Today's date in the reader's own time zone, on their own clock: the date their screen's corner shows,
 * so what reads as overdue agrees with it (a target date is a day, not a moment: 1 March is over
 * in Manila hours before New York). Turns over at midnight while the page is open.
 */
export function useToday(): string {
  const [today, setToday] = useState(() => calendarDayOf(new Date()));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const check = () => {
      const now = new Date();
      setToday(calendarDayOf(now));
      const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1).getTime();
      timer = setTimeout(check, Math.min(RECHECK_MS, Math.max(0, midnight - now.getTime()) + 50));
    };
    check();
    return () => clearTimeout(timer);
  }, []);
  return today;
}
