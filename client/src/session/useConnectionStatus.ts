import { useEffect, useState } from 'react';
import { CloseCode, STORAGE_UNAVAILABLE_REASON } from '#shared/protocol';
import type { CollabSession } from './openSession';
import { coalesceAfterFrame } from '../ui/afterNextFrame';

export type ConnectionState = 'connecting' | 'live' | 'unsent' | 'offline' | 'reconnecting' | 'denied';

export interface ConnectionStatus {
  state: ConnectionState;
  /** Close code when the server refused the connection for good. */
  closeCode?: number;
  /** The server's reason for that close. */
  closeReason?: string;
  /** Since when (Date.now()) local changes wait for the server's confirmation. */
  unsent?: { since: number };
  /** Failed connection attempts in a row, and the last close code and reason the server gave (if any). */
  failures?: { attempts: number; lastCode?: number; lastReason?: string };
}

/** After this many failed attempts in a row, the person is told what is going on. */
export const FAILURES_WORTH_EXPLAINING = 3;

/**
 * A change waits this long for the server's confirmation before the badge says so: the echo
 * normally takes milliseconds, and a badge flickering on every keystroke would tell nobody anything.
 */
export const UNSENT_AFTER_MS = 1000;

interface Observed {
  online: boolean;
  everLive: boolean;
  closeCode?: number;
  closeReason?: string;
  lastCode?: number;
  lastReason?: string;
}

function derive(session: CollabSession, seen: Observed): ConnectionStatus {
  const { provider } = session;
  if (seen.closeCode !== undefined) return { state: 'denied', closeCode: seen.closeCode, closeReason: seen.closeReason };
  if (!seen.online) return { state: 'offline' };
  const { count, since } = session.unsent.summary;
  // The count is left out on purpose: it changes with every keystroke, the age does not.
  const unsent = count > 0 && since !== undefined && Date.now() - since >= UNSENT_AFTER_MS ? { since } : undefined;
  if (provider.wsconnected && provider.synced) return unsent ? { state: 'unsent', unsent } : { state: 'live' };
  const attempts = provider.wsUnsuccessfulReconnects;
  return {
    state: seen.everLive ? 'reconnecting' : 'connecting',
    unsent,
    failures: attempts > 0 ? { attempts, lastCode: seen.lastCode, lastReason: seen.lastReason } : undefined,
  };
}

function same(a: ConnectionStatus, b: ConnectionStatus): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Tracks the provider's websocket, sync state, unconfirmed local changes and the browser's network state. */
export function useConnectionStatus(session: CollabSession | null): ConnectionStatus {
  const [status, setStatus] = useState<ConnectionStatus>({ state: 'connecting' });

  useEffect(() => {
    if (!session) {
      setStatus({ state: 'connecting' });
      return;
    }
    const { provider } = session;
    // A session opened before this hook ran (earlySession.ts) may have been closed already.
    const { final, lastCode, lastReason } = session.closes;
    const seen: Observed = { online: navigator.onLine, everLive: false, lastCode, lastReason, closeCode: final?.code, closeReason: final?.reason };
    let recheck: ReturnType<typeof setTimeout> | undefined;
    const update = () => {
      clearTimeout(recheck);
      const { since } = session.unsent.summary;
      // Look again once the oldest unconfirmed change is old enough to be worth showing.
      if (since !== undefined) recheck = setTimeout(update, Math.max(0, since + UNSENT_AFTER_MS - Date.now()) + 10);
      const next = derive(session, seen);
      if (next.state === 'live' || next.state === 'unsent') seen.everLive = true;
      setStatus((prev) => (same(prev, next) ? prev : next));
    };
    const onConnectionClose = (event: { code: number; reason: string } | null) => {
      if (event) {
        seen.lastCode = event.code;
        seen.lastReason = event.reason;
      }
      update();
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
    provider.on('connection-close', onConnectionClose);
    provider.on('closed', onClosed);
    // Every local keystroke changes the unsent count: look once after the frame that shows it
    // (the badge only says "unsent" after UNSENT_AFTER_MS anyway).
    const unsentChanged = coalesceAfterFrame(update);
    const stopUnsent = session.unsent.onChange(unsentChanged.schedule);
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    update();
    return () => {
      clearTimeout(recheck);
      provider.off('status', update);
      provider.off('sync', update);
      provider.off('connection-close', onConnectionClose);
      provider.off('closed', onClosed);
      stopUnsent();
      unsentChanged.cancel();
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
    };
  }, [session]);

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

/** What a person whose tab is refused for holding too many connections is told, at the first refusal. */
export const TOO_MANY_TABS_MESSAGE = 'This agreement is open in too many of your tabs or windows. Close one of them: this page connects by itself once it can.';

/** What a person whose connection keeps failing is told: what happened, and what to do. */
export function failureMessage(lastCode: number | undefined, lastReason?: string): string {
  switch (lastCode) {
    case CloseCode.TryAgainLater:
      // Its disk full or its database away: the same code as for a busy server, told apart by the reason.
      if (lastReason === STORAGE_UNAVAILABLE_REASON) return 'The server cannot store changes right now; it keeps retrying by itself.';
      return 'The server is busy and asked this browser to slow down; it keeps retrying by itself.';
    case CloseCode.GoingAway:
      return 'The server is restarting; it keeps retrying by itself.';
    case CloseCode.MessageTooBig:
      return 'A change was too large for the server.';
    case CloseCode.BadMessage:
      return 'The server could not read a message from this browser.';
    default:
      return 'The server cannot be reached.';
  }
}
