import { isCalendarDay } from '#shared/dayInWords';

/**
 * Made on first use, not as this module loads: the first `Intl` formatter a page makes costs 40 to 70 ms
 * in Chromium here (its locale data is loaded then; the next ones take under 1 ms), and this module loads
 * with the agreement's page, on the way to its text. That page loads the data sooner, while it waits on
 * the network (warmLocaleData.ts).
 */
function madeOnFirstUse(options: Intl.DateTimeFormatOptions): () => Intl.DateTimeFormat {
  let made: Intl.DateTimeFormat | undefined;
  return () => (made ??= new Intl.DateTimeFormat(undefined, options));
}

const dateAndTime = madeOnFirstUse({ dateStyle: 'medium', timeStyle: 'short' });
const toTheSecond = madeOnFirstUse({ dateStyle: 'medium', timeStyle: 'medium' });
// The two halves of `dateAndTime`, for a moment shown by its day or its time alone.
const dayOnly = madeOnFirstUse({ dateStyle: 'medium' });
const timeOnly = madeOnFirstUse({ timeStyle: 'short' });
// Only the zone's name ("EST", "GMT+8"): dateStyle and timeStyle cannot be combined with timeZoneName.
const zoneName = madeOnFirstUse({ timeZoneName: 'short' });
// A calendar day ("2027-03-31") is no moment: written in UTC so no time zone moves it a day.
const calendarDay = madeOnFirstUse({ dateStyle: 'medium', timeZone: 'UTC' });

/** The app's one way of writing a moment: "Dec 1, 2026, 4:34 AM" in the reader's own locale ("4:34:12 AM" with seconds). */
export function formatDateTime(iso: string, { seconds = false }: { seconds?: boolean } = {}): string {
  return (seconds ? toTheSecond : dateAndTime)().format(new Date(iso));
}

/** The day of a moment, in the reader's time zone, as formatDateTime writes it: "Dec 1, 2026". */
export function formatDate(iso: string): string {
  return dayOnly().format(new Date(iso));
}

/** The time of day of a moment, as formatDateTime writes it: "4:34 AM". */
export function formatTime(iso: string): string {
  return timeOnly().format(new Date(iso));
}

/** The reader's time zone as it stood at a moment ("EST", "GMT+8"): summer time changes it. */
export function formatZone(iso: string): string {
  return (
    zoneName()
      .formatToParts(new Date(iso))
      .find((part) => part.type === 'timeZoneName')?.value ?? ''
  );
}

/**
 * The moments of a list that read the same as another one without seconds: they are shown to
 * the second so a reader can tell them apart (two snapshots in one minute), the rest stay short.
 */
export function needSeconds(isos: string[]): Set<string> {
  const byMinute = new Map<string, string[]>();
  for (const iso of isos) {
    const shown = formatDateTime(iso);
    byMinute.set(shown, [...(byMinute.get(shown) ?? []), iso]);
  }
  return new Set([...byMinute.values()].filter((same) => new Set(same).size > 1).flat());
}

/**
 * A date and time as one unbroken piece: a narrow column wraps before it, never inside it ("4:34 / AM").
 * With `zone`, the zone is named ("4:34 AM EST"), where a reader sets it beside a file that gives it in UTC.
 */
export function When({ iso, seconds = false, zone = false }: { iso: string; seconds?: boolean; zone?: boolean }) {
  return (
    <time className="when" dateTime={iso}>
      {formatDateTime(iso, { seconds })}
      {zone && ` ${formatZone(iso)}`}
    </time>
  );
}

/** A calendar day as stored ("2027-03-31") written as the app writes dates: "Mar 31, 2027". Anything else is shown as it is. */
export function formatDay(day: string): string {
  // Not a real day (2027-13-45, written by another client): shown as it is, not thrown on.
  return isCalendarDay(day) ? calendarDay().format(new Date(`${day}T00:00:00Z`)) : day;
}

/** A calendar day (a target date, an action's due date), unbroken like a moment. */
export function Day({
  day,
  className = '',
  hidden = false,
}: {
  day: string;
  className?: string;
  /** Hidden from assistive technology (a control says it already). */ hidden?: boolean;
}) {
  return (
    <time className={`when ${className}`.trim()} dateTime={day} aria-hidden={hidden || undefined}>
      {formatDay(day)}
    </time>
  );
}
