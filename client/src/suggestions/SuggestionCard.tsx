import { useState } from 'react';
import { can } from '#shared/permissions';
import { ROLE_LABELS } from '#shared/roles';
import { insertedText, type BulkDecisionRequest, type SuggestableMark, type Suggestion } from '#shared/suggestions';
import { useAgreementAccess } from '../agreement/AgreementContext';
import { ApiError } from '../api';
import { fullTime, timeAgo } from '../comments/format';
import { initials } from '../session/presenceUser';
import { decideAll, decideSuggestion, replyToSuggestion } from './api';
import type { SuggestionsController } from './SuggestionsController';
import type { SuggestionPlace } from './placeInText';
import { textlessDeletionInWords, textlessInsertionInWords } from './text';
import { useHoldPageOpen } from '../ui/leaveGuard';

const FORMAT_NAMES: Record<SuggestableMark, string> = { bold: 'bold', italic: 'italics', underline: 'underline', strike: 'strikethrough' };

/** One suggestion beside the text: who, when, what; accept or reject; its reply thread. */
export function SuggestionCard({
  s,
  place,
  controller,
  now,
}: {
  s: Suggestion;
  place: SuggestionPlace | null;
  controller: SuggestionsController;
  now: number;
}) {
  const { view, token } = useAgreementAccess();
  const [reply, setReply] = useState('');
  // A reply being written lives only in this field: closing the tab would lose it.
  useHoldPageOpen(reply.trim() !== '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const party = controller.partyName(s.author.party);
  const outdated = place?.outdated ?? false;
  const mayDecide = can(view.me.role, 'decideSuggestion');
  // Suggest-only: every change passes another person's eyes, so its author may withdraw it but not accept it.
  const ownUnderReview = controller.getSnapshot().suggestOnly !== null && s.author.personId === view.me.personId;
  // Blocks with no text (an empty paragraph, a rule) are named, in brackets, instead of shown as nothing.
  const deleted = textlessDeletionInWords(s, place, controller.currentEditor?.state.doc) || s.deleted;
  const inserted = textlessInsertionInWords(s) || insertedText(s);
  const format = s.kind === 'format' && s.format ? s.format : null;
  // The change as one line, so each Accept and Reject names what it decides (a screen reader lists them apart from their card).
  const change = format ? `${format.on ? 'Format' : 'Remove'} ${FORMAT_NAMES[format.mark]}: “${deleted}”` : [deleted, inserted].filter(Boolean).join(' → ');
  const decides = `${s.author.name}’s suggestion: ${change}`;

  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'That did not work.');
    } finally {
      setBusy(false);
    }
  };

  /** Decides all of one person's or party's suggestions; says which were left open as another party's to accept. */
  const decideEvery = (filter: BulkDecisionRequest, decision: 'accept' | 'reject') =>
    void run(async () => {
      const { refused } = await decideAll(view.id, token, filter, decision);
      if (refused.length > 0) {
        const which = refused.length === 1 ? 'One suggestion was' : `${refused.length} suggestions were`;
        setError(`${which} left open: it changes another party’s own objective, which only that party’s negotiators or the broker may accept or reject.`);
      }
    });

  return (
    <article
      className={`suggestion${outdated ? ' suggestion--stale' : ''}`}
      style={{ ['--suggestion-color' as string]: controller.colorOf(s.author.party) }}
      data-testid="suggestion-card"
    >
      <header className="comment__meta">
        {/* White initials need the party colour darkened (see suggestions.css). */}
        <span
          className="avatar avatar--small"
          style={{ backgroundColor: `color-mix(in srgb, ${controller.colorOf(s.author.party)} 60%, #000)` }}
          aria-hidden="true"
        >
          {initials(s.author.name)}
        </span>
        <span className="comment__who">
          <span className="comment__author" data-testid="suggestion-author">
            {s.author.name}
          </span>
          <span className="comment__detail">
            {party ? `${party} · ` : ''}
            {ROLE_LABELS[s.author.role]} ·{' '}
            <time dateTime={s.createdAt} title={fullTime(s.createdAt)}>
              {timeAgo(s.createdAt, now)}
            </time>
          </span>
        </span>
      </header>
      <p className="suggestion__change" data-testid="suggestion-change">
        {format ? (
          change
        ) : (
          <>
            {deleted && <del>{deleted}</del>}
            {deleted && inserted && ' → '}
            {inserted && <ins>{inserted}</ins>}
          </>
        )}
      </p>
      {outdated && (
        <p className="suggestion__outdated" role="note" data-testid="suggestion-outdated">
          The text under this suggestion changed since it was made, so it can no longer be accepted.
        </p>
      )}
      {s.comments.map((c) => (
        <p key={c.id} className="suggestion__reply">
          <strong>{c.author.name}:</strong> {c.body}
        </p>
      ))}
      {mayDecide && (
        <div className="suggestion__actions">
          <button
            type="button"
            className="button button--small"
            disabled={busy || outdated || ownUnderReview}
            title={ownUnderReview ? 'While the agreement is suggest-only, someone else accepts your suggestion' : undefined}
            onClick={() => void run(() => decideSuggestion(view.id, token, s.id, 'accept'))}
            aria-label={`Accept ${decides}`}
            data-testid="suggestion-accept"
          >
            Accept
          </button>
          <button
            type="button"
            className="button button--secondary button--small"
            disabled={busy}
            onClick={() => void run(() => decideSuggestion(view.id, token, s.id, 'reject'))}
            aria-label={`Reject ${decides}`}
            data-testid="suggestion-reject"
          >
            Reject
          </button>
          <details className="suggestion__more">
            <summary>All of…</summary>
            <button
              type="button"
              className="button button--secondary button--small"
              disabled={busy}
              onClick={() => decideEvery({ person: s.author.personId }, 'accept')}
            >
              Accept all by {s.author.name}
            </button>
            <button
              type="button"
              className="button button--secondary button--small"
              disabled={busy}
              onClick={() => decideEvery({ person: s.author.personId }, 'reject')}
            >
              Reject all by {s.author.name}
            </button>
            {s.author.party && party && (
              <>
                <button
                  type="button"
                  className="button button--secondary button--small"
                  disabled={busy}
                  onClick={() => decideEvery({ party: s.author.party }, 'accept')}
                >
                  Accept all by {party}
                </button>
                <button
                  type="button"
                  className="button button--secondary button--small"
                  disabled={busy}
                  onClick={() => decideEvery({ party: s.author.party }, 'reject')}
                >
                  Reject all by {party}
                </button>
              </>
            )}
          </details>
        </div>
      )}
      {can(view.me.role, 'comment') && (
        <form
          className="suggestion__reply-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (reply.trim())
              void run(async () => {
                await replyToSuggestion(view.id, token, s.id, reply);
                setReply('');
              });
          }}
        >
          <input
            className="suggestion__reply-input"
            value={reply}
            onChange={(e) => setReply(e.target.value)}
            placeholder="Reply…"
            aria-label={`Reply to ${s.author.name}’s suggestion`}
            maxLength={5000}
          />
        </form>
      )}
      {error && (
        <p className="suggestion__error" role="alert">
          {error}
        </p>
      )}
    </article>
  );
}
