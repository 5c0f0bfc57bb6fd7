import { useEffect, useState } from 'react';
import type { AgreementView } from '#shared/protocol';
import { ApiError, getAgreement } from '../api';
import { cachedView, cacheView, saveHeldLink } from '../links';
import { takePrefetchedAgreement } from './prefetch';

export type ViewState =
  | { status: 'loading' }
  | { status: 'ready'; view: AgreementView; fromCache: boolean }
  /** `view`: the one shown when the read said access ended (the page keeps its session to say what was not sent). */
  | { status: 'error'; error: ApiError; view?: AgreementView };

/**
 * Loads the agreement as the token's bearer sees it; falls back to the last copy when offline.
 * A new `version` reads it again (after a role change, on reconnecting) while the current view stays
 * shown, and stays shown unless that read says the access ended.
 */
export function useAgreementView(id: string, token: string | null, version = 0): ViewState {
  const [state, setState] = useState<ViewState>({ status: 'loading' });

  useEffect(() => {
    if (!token) {
      setState({ status: 'error', error: new ApiError(401, 'No invitation link for this agreement on this device.') });
      return;
    }
    const controller = new AbortController();
    setState((prev) => (prev.status === 'ready' && prev.view.id === id ? prev : { status: 'loading' }));
    (takePrefetchedAgreement(id, token) ?? getAgreement(id, token, controller.signal))
      .then((view) => {
        cacheView(view);
        saveHeldLink({ id: view.id, title: view.title, token, role: view.me.role, name: view.me.name });
        setState((shown) => ({ status: 'ready', view: shown.status === 'ready' ? sameWhereUnchanged(shown.view, view) : view, fromCache: false }));
      })
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        const error = err instanceof ApiError ? err : new ApiError(0, String(err));
        // Read again while a view is shown (a reconnect, a role change), only an ended access
        // replaces it: a busy or restarting server's 429 or 503 must not take the agreement away.
        setState((shown) => {
          if (shown.status === 'ready' && shown.view.id === id) return error.accessEnded ? { status: 'error', error, view: shown.view } : shown;
          const cached = error.isNetwork ? cachedView(id, token) : null;
          return cached ? { status: 'ready', view: cached, fromCache: true } : { status: 'error', error };
        });
      });
    return () => controller.abort();
  }, [id, token, version]);

  return state;
}

/**
 * A view read again (on each reconnect) as the objects already shown where nothing changed: what is
 * keyed on them (the editor on `me`) is not built again for a read that found the same.
 */
function sameWhereUnchanged(shown: AgreementView, read: AgreementView): AgreementView {
  if (shown.id !== read.id) return read;
  if (JSON.stringify(shown) === JSON.stringify(read)) return shown;
  return JSON.stringify(shown.me) === JSON.stringify(read.me) ? { ...read, me: shown.me } : read;
}
