import { UPDATE_REFUSED } from '#shared/protocol';
import type { SessionNotice } from './useCollabSession';
import { formatBytes } from './messageLimit';
import { CopyButton } from '../ui/CopyButton';
import { DismissibleAlert } from '../ui/DismissibleAlert';

/** Tells the person why the text changed under them, or why a change of theirs stayed local. */
export function SessionNotices({ notice, onDismiss }: { notice: SessionNotice | null; onDismiss: () => void }) {
  if (!notice) return null;
  const text =
    notice.kind === 'write-refused'
      ? /^read-only/.test(notice.detail)
        ? `Your change was not saved: your role can read this agreement but not edit its text (the server said: ${notice.detail}). The text has been reloaded as it stands on the server.`
        : // The text or this person's share of it is full, or the change carried another person's writing (server/src/rooms/guards/textGuard.ts).
          `Your change was not saved: ${notice.detail.startsWith(UPDATE_REFUSED) ? notice.detail.slice(UPDATE_REFUSED.length) : notice.detail}. The text has been reloaded as it stands on the server.`
      : `A change of ${formatBytes(Number(notice.detail))} is too large to share, even in parts; it stays on this device only. Undo it and add the content in smaller pieces.`;
  return (
    <DismissibleAlert
      testId={`notice-${notice.kind}`}
      error
      onDismiss={onDismiss}
      after={notice.unsaved && notice.unsaved.length > 0 && <UnsavedWords passages={notice.unsaved} />}
    >
      {text}
    </DismissibleAlert>
  );
}

/** The passages of a refused change the server's text lacks, as the person wrote them, to copy and use again. */
function UnsavedWords({ passages }: { passages: string[] }) {
  return (
    <details className="unsaved-words" data-testid="unsaved-words" open>
      <summary>
        What you wrote that is not in the agreement ({passages.length} {passages.length === 1 ? 'passage' : 'passages'}): copy it before you dismiss this
      </summary>
      <div className="unsaved-words__text">
        {passages.map((passage, i) => (
          <p key={i}>{passage}</p>
        ))}
      </div>
      <CopyButton text={passages.join('\n\n')} label="Copy your words" />
    </details>
  );
}
