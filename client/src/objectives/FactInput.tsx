import { useEffect, useRef, useState } from 'react';
import { historyKey } from './historyKeys';

interface Props {
  label: string;
  /** The objective it belongs to, in words, for its name. */
  named: string;
  /** The fact as the shared text holds it now. */
  value: string;
  maxLength: number;
  editable: boolean;
  onChange(value: string): void;
}

/**
 * An objective fact typed as text (owners, indicators). The shared text keeps it whole, last writer
 * wins, so while the person types the field shows their own words and sends them whole: showing a
 * value arriving from someone else meanwhile made their next keystroke land in it, a mix of two
 * people's words that neither wrote. When someone else's value wins, the field says so.
 */
export function FactInput({ label, named, value, maxLength, editable, onChange }: Props) {
  /** What this person is typing, from their first keystroke until the field loses the focus (before it, the field shows the shared value live). */
  const [draft, setDraft] = useState<string | null>(null);
  /** What this person last sent: a value other than it came from someone else. */
  const sent = useRef<string | null>(null);
  const [replacedBy, setReplacedBy] = useState<string | null>(null);

  useEffect(() => {
    if (sent.current === null) return;
    setReplacedBy(value === sent.current ? null : value);
  }, [value]);

  return (
    <label>
      {label}
      <input
        // Named by the label's words and the objective's, without the note below (inside the label too).
        aria-label={`${label} of ${named}`}
        value={draft ?? value}
        readOnly={!editable}
        maxLength={maxLength}
        onKeyDown={(event) => {
          // The objective undoes it in the text's history: the field shows what that leaves.
          if (!historyKey(event)) return;
          sent.current = null;
          setDraft(null);
        }}
        onBlur={() => setDraft(null)}
        onChange={(e) => {
          sent.current = e.target.value;
          setDraft(e.target.value);
          onChange(e.target.value);
        }}
      />
      {/* Always there, empty until needed: a status region added together with its words is not read out. */}
      <span className="objective__fact-note" role="status">
        {replacedBy !== null && `Changed by someone else while you typed: now “${replacedBy}”`}
      </span>
    </label>
  );
}
