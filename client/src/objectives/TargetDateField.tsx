import { useState } from 'react';
import { isCalendarDay } from '#shared/dayInWords';
import { Day } from '../ui/When';

/**
 * A date the person may have finished typing: a real day with a four-digit year. The field's value
 * passes through 0002-03-01, 0020-03-01 and 0202-03-01 on the way to 2028-03-01.
 */
const finished = (value: string) => isCalendarDay(value) && !value.startsWith('0');

/**
 * An objective's target date as the browser's date field, drawn as the app writes dates until it is worked.
 * What the person types is kept in the field until it is a whole date (the picker gives one at once): each
 * value written to the shared text came back a moment later, the field was set to the old date meanwhile,
 * and that restarted the year being typed ("2028" over 2027 left no date at all). A field left empty clears
 * the date; one left half typed goes back to the shared text's.
 */
export function TargetDateField({ value, label, editable, set }: { value: string; label: string; editable: boolean; set: (day: string) => void }) {
  // What the field shows while the person works it; null when it shows the shared text's date.
  const [draft, setDraft] = useState<string | null>(null);
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
          if (finished(next) && next !== value) set(next);
        }}
        onBlur={() => {
          if (draft === '' && value !== '') set('');
          setDraft(null);
        }}
      />
      {/* The browser writes the value in its own way ("03/31/2027"); until the field is worked, it reads as the app's dates do. */}
      {shown && <Day className="objective__date-shown" day={shown} hidden />}
    </span>
  );
}
