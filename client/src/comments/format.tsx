import { useEffect, useState } from 'react';
import type { Mention } from '#shared/threads';
import { formatDateTime } from '../ui/When';
import { serverNow } from '../serverClock';

// Made on first use, as ui/When.tsx's formatters are: not while the agreement's page loads.
let relativeFormat: Intl.RelativeTimeFormat | undefined;
const relative = () => (relativeFormat ??= new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }));

/** Midnight starting the reader's calendar day of a moment. */
const startOfDay = (time: number) => new Date(time).setHours(0, 0, 0, 0);

/** "just now", "5 minutes ago", "22 hours ago", "yesterday", "3 days ago", then the date. */
export function timeAgo(iso: string, now: number): string {
  const seconds = (Date.parse(iso) - now) / 1000;
  const abs = Math.abs(seconds);
  if (abs < 45) return 'just now';
  if (abs < 3600) return relative().format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return relative().format(Math.round(seconds / 3600), 'hour');
  // Past a day, days are the reader's calendar days ("yesterday" is yesterday's date): rounded hours
  // called Monday 7 pm "yesterday" at 1 am on Wednesday. Rounded, as a day may last 23 or 25 hours.
  const days = Math.round((startOfDay(Date.parse(iso)) - startOfDay(now)) / 86_400_000);
  if (Math.abs(days) < 7) return relative().format(days, 'day');
  return formatDateTime(iso);
}

export const fullTime = formatDateTime;

/**
 * The current time on the server's clock, refreshed every `intervalMs` so relative times stay true. The times
 * it is set against are the server's: on the device's clock, a laptop two hours slow read a comment written
 * that second as "in 2 hours".
 */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    const timer = setInterval(() => setNow(serverNow()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A comment body as text, its `@mentions` set apart. Only text nodes are made from the
 * body (React escapes them): no markup from one person ever runs in another's browser.
 */
export function CommentBody({ body, mentions, isMine }: { body: string; mentions?: Mention[]; isMine: (m: Mention) => boolean }) {
  if (!mentions?.length) return <>{body}</>;
  const byLabel = new Map(mentions.map((m) => [`@${m.name}`, m]));
  const labels = [...byLabel.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const parts = body.split(new RegExp(`(${labels.join('|')})`, 'g'));
  return (
    <>
      {parts.map((part, i) => {
        const mention = byLabel.get(part);
        if (!mention) return part;
        return (
          <span key={i} className={`mention${isMine(mention) ? ' mention--me' : ''}`} data-mention={mention.kind}>
            {part}
          </span>
        );
      })}
    </>
  );
}
