import { useEffect, useState } from 'react';
import './session.css';
import { deniedMessage, type ConnectionStatus } from './useConnectionStatus';

const LABELS: Record<ConnectionStatus['state'], string> = {
  connecting: 'Connecting…',
  live: 'Live',
  unsent: 'Unsent changes',
  offline: 'Offline',
  reconnecting: 'Reconnecting…',
  denied: 'No access',
};

const HINTS: Record<ConnectionStatus['state'], string> = {
  connecting: 'Connecting to the session.',
  live: 'Connected: everyone sees your edits as you type.',
  unsent: 'Connected, but the server has not yet confirmed your latest edits. They are kept on this device.',
  offline: 'You are offline. Keep writing: your edits are saved on this device and shared when you are back online.',
  reconnecting: 'Connection lost. Your edits are kept on this device and will be shared when the connection returns.',
  denied: '',
};

/** "12 s", "3 min": how long changes have waited. */
function age(since: number, now: number): string {
  const seconds = Math.max(1, Math.round((now - since) / 1000));
  return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

/** Re-renders every second while `active`, so an age on screen stays true. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

export function ConnectionIndicator({ status }: { status: ConnectionStatus }) {
  const now = useNow(status.unsent !== undefined);
  const hint = status.state === 'denied' ? deniedMessage(status.closeCode) : HINTS[status.state];
  const waiting = status.unsent ? ` · ${age(status.unsent.since, now)}` : '';
  return (
    <div
      className={`connection connection--${status.state}`}
      data-testid="connection-status"
      data-state={status.state}
      role="status"
      aria-live="polite"
      title={hint}
    >
      <span className="connection__dot" aria-hidden="true" />
      <span className="connection__label">
        {LABELS[status.state]}
        {/* Not spoken: a live region whose age changes every second would interrupt a screen reader every second. */}
        {status.state === 'unsent' && <span aria-hidden="true">{waiting}</span>}
      </span>
    </div>
  );
}
