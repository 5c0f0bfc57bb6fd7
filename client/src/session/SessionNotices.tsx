import type { SessionNotice } from './useCollabSession';
import { formatBytes } from './messageLimit';

/** Tells the person why the text changed under them, or why a change of theirs stayed local. */
export function SessionNotices({ notice, onDismiss }: { notice: SessionNotice | null; onDismiss: () => void }) {
  if (!notice) return null;
  const text =
    notice.kind === 'write-refused'
      ? /^read-only/.test(notice.detail)
        ? `Your change was not saved: your role can read this agreement but not edit its text (the server said: ${notice.detail}). The text has been reloaded as it stands on the server.`
        : // The text or this person's share of it is full, or the change carried another person's writing (server/src/rooms/guards/textGuard.ts).
          `Your change was not saved: ${notice.detail.replace(/^update refused: /, '')}. The text has been reloaded as it stands on the server.`
      : `A change of ${formatBytes(Number(notice.detail))} is too large to share, even in parts; it stays on this device only. Undo it and add the content in smaller pieces.`;
  const unsaved = notice.unsaved ?? [];
  return (
    <div className="banner banner--error" role="alert" data-testid={`notice-${notice.kind}`}>
      {text}{' '}
      {unsaved.length > 0 && (
        <div className="notice__unsaved" data-testid="notice-unsaved">
          These words of yours were not saved; put back what you may write:
          {unsaved.map((words, i) => (
            <blockquote key={i}>{words}</blockquote>
          ))}
          <button type="button" className="button button--secondary button--small" onClick={() => void navigator.clipboard?.writeText(unsaved.join('\n\n'))}>
            Copy them
          </button>
        </div>
      )}
      <button type="button" className="button button--ghost button--small" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
