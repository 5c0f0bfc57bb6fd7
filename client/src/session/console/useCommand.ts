import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../../api';
import { useRecordsRoom } from '../../agreement/AgreementContext';

/** Runs one session command at a time and keeps its error message for display. */
export function useCommand(): { busy: boolean; error: string | null; run: (command: () => Promise<unknown>) => Promise<boolean> } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; network: boolean } | null>(null);
  const records = useRecordsRoom();
  // "Cannot reach the server" is true only until the connection is back (the browser is online again, or the
  // session's records sync anew): the console then shows the session as it is, the command not applied.
  useEffect(() => {
    if (!error?.network) return;
    const clear = () => setError(null);
    const synced = (isSynced: boolean) => isSynced && clear();
    records?.provider.on('sync', synced);
    window.addEventListener('online', clear);
    return () => {
      records?.provider.off('sync', synced);
      window.removeEventListener('online', clear);
    };
  }, [error, records]);
  const run = useCallback(async (command: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await command();
      return true;
    } catch (err) {
      setError({ message: (err as Error).message, network: err instanceof ApiError && err.isNetwork });
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error: error?.message ?? null, run };
}
