import { useCallback, useState } from 'react';

/** Runs one session command at a time and keeps its error message for display. */
export function useCommand(): { busy: boolean; error: string | null; run: (command: () => Promise<unknown>) => Promise<boolean> } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (command: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await command();
      return true;
    } catch (err) {
      setError((err as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}
