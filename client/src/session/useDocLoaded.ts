import { useEffect, useState } from 'react';
import type { CollabSession } from './openSession';

/** True once the server has sent its copy of the text (it stays true across reconnects). */
export function useDocLoaded(session: CollabSession | null): boolean {
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    setLoaded(Boolean(session?.provider.synced));
    if (!session) return;
    const { provider } = session;
    const onSync = (synced: boolean) => {
      if (synced) setLoaded(true);
    };
    provider.on('sync', onSync);
    return () => provider.off('sync', onSync);
  }, [session]);
  return loaded;
}
