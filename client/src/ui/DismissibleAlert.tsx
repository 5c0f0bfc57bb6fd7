import type { ReactNode } from 'react';

/**
 * A notice in the editor's banner row that says what happened to a person's edit and stays until
 * dismissed (role="alert": a screen reader says it at once). `after` follows the Dismiss button
 * (what the person may copy before dismissing).
 */
export function DismissibleAlert({
  testId,
  error = false,
  onDismiss,
  children,
  after,
}: {
  testId: string;
  error?: boolean;
  onDismiss: () => void;
  children: ReactNode;
  after?: ReactNode;
}) {
  return (
    <div className={error ? 'banner banner--error' : 'banner'} role="alert" data-testid={testId}>
      {children}{' '}
      <button type="button" className="button button--ghost button--small" onClick={onDismiss}>
        Dismiss
      </button>
      {after}
    </div>
  );
}
