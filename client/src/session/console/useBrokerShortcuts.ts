import { useEffect, useRef } from 'react';

export interface BrokerShortcuts {
  nextItem(): void;
  startRound(): void;
  closeRound(): void;
}

/** Alt+Shift+N next item, Alt+Shift+R start a round, Alt+Shift+C close it: keys the editor does not use. */
export const SHORTCUT_KEYS: Record<string, keyof BrokerShortcuts> = { KeyN: 'nextItem', KeyR: 'startRound', KeyC: 'closeRound' };

/** The broker's keyboard shortcuts while a session runs (by key position, so Alt+Shift works on every layout). */
export function useBrokerShortcuts(enabled: boolean, actions: BrokerShortcuts): void {
  const latest = useRef(actions);
  latest.current = actions;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey) return;
      const action = SHORTCUT_KEYS[event.code];
      if (!action) return;
      event.preventDefault();
      latest.current[action]();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
