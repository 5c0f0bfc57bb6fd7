import type * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { structCount } from '#shared/structCount';
import { expectsLargeCopy, noteCopyStructs } from './largeCopyHint';

/**
 * While this device holds a large copy of the text, counts the text's structs for the next visit
 * (largeCopyHint.ts): once in sync with the server, and whenever the page is hidden or left. A return
 * to a long text written once then applies the copy whole instead of starting a worker to cut it.
 * Counting is cheap (a sum over the store's writers), so it is done as often as these happen, and
 * once more when the session closes (the person went elsewhere in the app).
 */
export function countStructsForNextVisit(room: string, doc: Y.Doc, provider: WebsocketProvider): () => void {
  const count = () => {
    if (expectsLargeCopy(room)) noteCopyStructs(room, structCount(doc));
  };
  const onSync = (synced: boolean) => {
    if (synced) count();
  };
  const onHidden = () => {
    if (document.visibilityState === 'hidden') count();
  };
  provider.on('sync', onSync);
  document.addEventListener('visibilitychange', onHidden);
  window.addEventListener('pagehide', count);
  return () => {
    count();
    provider.off('sync', onSync);
    document.removeEventListener('visibilitychange', onHidden);
    window.removeEventListener('pagehide', count);
  };
}
