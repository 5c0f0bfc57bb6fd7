import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { checkForUpdate, UPDATED_MESSAGE } from '../appUpdate';

/**
 * A part of the page whose code loads on demand (React.lazy). On a page left open across a deploy
 * that code was a file of the old build, now gone: the part says the app was updated, in its place,
 * rather than failing (a failed snapshot viewer took the whole agreement off the screen). Any other
 * failure is thrown, for the part's boundary. `what`: the part, as a sentence's subject ("The snapshot").
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as React.lazy's own signature
export function lazyPart<T extends ComponentType<any>>(load: () => Promise<T>, what: string): LazyExoticComponent<T> {
  return lazy(async () => {
    try {
      return { default: await load() };
    } catch (err) {
      if (!(await checkForUpdate())) throw err;
      const Updated = () => (
        <p className="part-error" role="note" data-testid="app-update-part">
          {`${what} cannot be shown: ${UPDATED_MESSAGE}`}
        </p>
      );
      return { default: Updated as unknown as T };
    }
  });
}
