import type { ReactNode } from 'react';
import { onLinkClick } from '../router';

interface Props {
  title: string;
  text?: string;
  busy?: boolean;
  retry?: boolean;
  testId?: string;
  /** More to say, below the text. */
  children?: ReactNode;
}

/** Full-page state: loading, or why the agreement cannot be shown. */
export function PageMessage({ title, text, busy = false, retry = false, testId, children }: Props) {
  return (
    <div className="page-message" aria-busy={busy} data-testid={testId}>
      <div className="page-message__card">
        {busy && <span className="spinner" aria-hidden="true" />}
        <h1>{title}</h1>
        {text && <p>{text}</p>}
        {children}
        {!busy && (
          <p className="page-message__actions">
            {retry && (
              <button type="button" className="button" onClick={() => window.location.reload()}>
                Try again
              </button>
            )}
            <a href="/" className="button button--secondary" onClick={onLinkClick}>
              Your agreements
            </a>
          </p>
        )}
      </div>
    </div>
  );
}
