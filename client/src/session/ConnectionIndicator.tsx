import './session.css';
import { deniedMessage, type ConnectionStatus } from './useConnectionStatus';

const LABELS: Record<ConnectionStatus['state'], string> = {
  connecting: 'Connecting…',
  live: 'Live',
  offline: 'Offline',
  reconnecting: 'Reconnecting…',
  denied: 'No access',
};

const HINTS: Record<ConnectionStatus['state'], string> = {
  connecting: 'Connecting to the session.',
  live: 'Connected: everyone sees your edits as you type.',
  offline: 'You are offline. Keep writing: your edits are saved on this device and shared when you are back online.',
  reconnecting: 'Connection lost. Your edits are kept on this device and will be shared when the connection returns.',
  denied: '',
};

export function ConnectionIndicator({ status }: { status: ConnectionStatus }) {
  const hint = status.state === 'denied' ? deniedMessage(status.closeCode) : HINTS[status.state];
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
      <span className="connection__label">{LABELS[status.state]}</span>
    </div>
  );
}
