import { Component, type ErrorInfo, type ReactNode } from 'react';
import { PageMessage } from './PageMessage';

interface State {
  error: Error | null;
}

/**
 * Last line of defence: a render error or a code chunk that fails to load (for example after
 * a new version was deployed) shows a way out instead of a blank page.
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Common Ground failed to render', error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    const chunk = /dynamically imported module|Failed to fetch|Importing a module script failed/i.test(error.message);
    return (
      <PageMessage
        title={chunk ? 'Could not load the editor' : 'Something went wrong'}
        text={
          chunk
            ? 'Part of the app could not be loaded. Check your connection, or reload: a newer version may be available.'
            : 'The page hit an unexpected error. Reloading usually helps; your edits are kept on this device.'
        }
        retry
      />
    );
  }
}
