import { useEffect, useRef, useState } from 'react';
import { isCalendarDay } from '#shared/dayInWords';
import { Day } from '../ui/When';

/**
 * A date the person may have finished typing: a real day with a four-digit year. The field's value
 * passes through 0002-03-01, 0020-03-01 and 0202-03-01 on the way to 2028-03-01.
 */
const finished = (value: string) => isCalendarDay(value) && !value.startsWith('0');

/**
 * How long a finished date waits in the field for the next digit before it is written: a month or a day
 * typed digit by digit passes through another whole date ("12" is month 01 first, then 12).
 */
export const DATE_SETTLE_MS = 1000;

/**
 * An objective's target date as the browser's date field, drawn as the app writes dates until it is worked.
 * What the person types is kept in the field and written to the shared text once it is a whole date and
 * they leave the field, press Enter or stop typing for a moment: each interim date written went to everyone
 * (1 January, then 1 December, then the 2nd, on the way to 25 December), and each value written came back a
 * moment later and set the field to the old date meanwhile, which restarted the year being typed ("2028"
 * over 2027 left no date at all). A field left empty clears the date; one left half typed goes back to the
 * shared text's.
 */
export function TargetDateField({ value, label, editable, set }: { value: string; label: string; editable: boolean; set: (day: string) => void }) {
  // What the field shows while the person works it; null when it shows the shared text's date.
  const [draft, setDraft] = useState<string | null>(null);
  const pending = useRef<{ day: string; timer: ReturnType<typeof setTimeout> } | null>(null);
  const latest = useRef({ value, set });
  latest.current = { value, set };
  /** Writes the finished date waiting in the field, if any. */
  const settle = () => {
    const waiting = pending.current;
    if (!waiting) return;
    clearTimeout(waiting.timer);
    pending.current = null;
    if (waiting.day !== latest.current.value) latest.current.set(waiting.day);
  };
  // A date still waiting when the field goes (the objective scrolled away, the page left) is written, not lost.
  useEffect(() => settle, []);
  const shown = draft ?? value;
  return (
    <span className="objective__date">
      <input
        type="date"
        aria-label={label}
        value={shown}
        readOnly={!editable}
        onChange={(e) => {
          const next = e.target.value;
          setDraft(next);
          if (pending.current) clearTimeout(pending.current.timer);
          pending.current = finished(next) ? { day: next, timer: setTimeout(settle, DATE_SETTLE_MS) } : null;
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') settle();
        }}
        onBlur={() => {
          settle();
          if (draft === '' && value !== '') set('');
          setDraft(null);
        }}
      />
      {/* The browser writes the value in its own way ("03/31/2027"); until the field is worked, it reads as the app's dates do. */}
      {shown && <Day className="objective__date-shown" day={shown} hidden />}
    </span>
  );
}
