import { Component, type ErrorInfo, type ReactNode } from 'react';

interface State {
  failed: boolean;
}

/**
 * Keeps one part of the page from taking the page down with it: what another person stored is
 * shown by every reader's page, and the only boundary above was the whole route's, so one value
 * a part could not show blanked the agreement for everyone. The part is replaced by a short note.
 */
export class PartBoundary extends Component<{ children: ReactNode; what: string }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`Common Ground could not show ${this.props.what}`, error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <p className="part-error" role="note" contentEditable={false} data-testid="part-error">
        {`Could not show ${this.props.what}.`}
      </p>
    );
  }
}
