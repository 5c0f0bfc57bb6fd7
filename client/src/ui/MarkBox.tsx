import { useEffect, useState } from 'react';
import { useCommand } from '../session/console/useCommand';
import { FormError } from './FormError';

/**
 * A box that marks a fact the server keeps in the records (an action done, a quick win delivered). It shows
 * the press at once and follows the shared records once they agree (another person may have marked it meanwhile).
 */
export function MarkBox(props: {
  /** Whether the records say it is marked. */
  marked: boolean;
  /** The word beside the box ("Done"). */
  text: string;
  /** Its accessible name, which says what it marks ("Done: Survey the wells"). */
  label: string;
  className: string;
  mark: (next: boolean) => Promise<unknown>;
}) {
  const { marked, text, label, className, mark } = props;
  const { busy, error, run } = useCommand();
  const [pressed, setPressed] = useState<boolean | null>(null);
  useEffect(() => setPressed(null), [marked]);
  const toggle = (next: boolean) => {
    setPressed(next);
    void run(() => mark(next)).then((ok) => ok || setPressed(null));
  };
  return (
    <>
      <label className={className}>
        <input type="checkbox" checked={pressed ?? marked} disabled={busy} aria-label={label} onChange={(e) => toggle(e.target.checked)} />
        {text}
      </label>
      <FormError message={error} />
    </>
  );
}
