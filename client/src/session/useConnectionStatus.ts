import { useEffect, useState } from 'react';
import type { WebsocketProvider } from 'y-websocket';
import { CloseCode } from '#shared/protocol';

export type ConnectionState = 'connecting' | 'live' | 'offline' | 'reconnecting' | 'denied';

export interface ConnectionStatus {
  state: ConnectionState;
  /** Close code when the server refused the connection for good. */
  closeCode?: number;
  /** The server's reason for that close. */
  closeReason?: string;
}

interface Observed {
  online: boolean;
  everLive: boolean;
  closeCode?: number;
  closeReason?: string;
}

function derive(provider: WebsocketProvider, seen: Observed): ConnectionStatus {
  if (seen.closeCode !== undefined) return { state: 'denied', closeCode: seen.closeCode, closeReason: seen.closeReason };
  if (!seen.online) return { state: 'offline' };
  if (provider.wsconnected && provider.synced) return { state: 'live' };
  return { state: seen.everLive ? 'reconnecting' : 'connecting' };
}

/** Tracks the provider's websocket, sync state and the browser's network state. */
export function useConnectionStatus(provider: WebsocketProvider | null): ConnectionStatus {
  const [status, setStatus] = useState<ConnectionStatus>({ state: 'connecting' });

  useEffect(() => {
    if (!provider) {
      setStatus({ state: 'connecting' });
      return;
    }
    const seen: Observed = { online: navigator.onLine, everLive: false };
    const update = () => {
      const next = derive(provider, seen);
      if (next.state === 'live') seen.everLive = true;
      setStatus((prev) => (prev.state === next.state && prev.closeCode === next.closeCode ? prev : next));
    };
    const onClosed = (event: { code: number; reason: string }) => {
      seen.closeCode = event.code;
      seen.closeReason = event.reason;
      update();
    };
    const onOnline = () => {
      seen.online = true;
      update();
    };
    const onOffline = () => {
      seen.online = false;
      update();
    };
    provider.on('status', update);
    provider.on('sync', update);
    provider.on('connection-close', update);
    provider.on('closed', onClosed);
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    update();
    return () => {
      provider.off('status', update);
      provider.off('sync', update);
      provider.off('connection-close', update);
      provider.off('closed', onClosed);
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
    };
  }, [provider]);

  return status;
}

export function deniedMessage(code: number | undefined): string {
  switch (code) {
    case CloseCode.Unauthorized:
      return 'This link is no longer valid. Ask the broker for a new invitation.';
    case CloseCode.Forbidden:
      return 'This link does not give access to this agreement.';
    case CloseCode.NotFound:
      return 'This agreement no longer exists.';
    case CloseCode.AccessEnded:
      return 'Your access to this agreement has ended. Ask the broker for a new link.';
    default:
      return 'The server closed the connection.';
  }
}
