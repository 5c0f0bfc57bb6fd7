import { CopyButton } from '../ui/CopyButton';
import { formatDate } from '../ui/When';

/**
 * A link shown once, with the warning that it is a key: the server keeps no copy to show again. `focus`: a link
 * just made on request takes the focus, so a keyboard or screen reader user lands on it, its Copy button next.
 */
export function LinkOnce({
  url,
  label,
  expiresAt,
  testId,
  focus,
}: {
  url: string;
  label: string;
  expiresAt?: string | null;
  testId?: string;
  focus?: boolean;
}) {
  return (
    <div className="link-once" data-testid={testId}>
      <div className="invite__link-row">
        <input className="invite__link" readOnly value={url} onFocus={(e) => e.currentTarget.select()} aria-label={label} autoFocus={focus} />
        <CopyButton text={url} />
      </div>
      <p className="link-once__warning" role="note">
        <strong>This link is a key.</strong> Anyone who has it gets in as this person, so send it privately. It is shown only now
        {expiresAt ? `; it expires on ${formatDate(expiresAt)}` : expiresAt === null ? '; it does not expire' : ''}. A broker can replace it with a new one at
        any time.
      </p>
    </div>
  );
}
