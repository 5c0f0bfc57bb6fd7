import { textColorOn } from '#shared/colors';
import { memo, useEffect, useRef, useState } from 'react';
import type { Author } from '#shared/records';
import { threadAuth, type Actor } from '#shared/permissions';
import { ROLE_LABELS } from '#shared/roles';
import type { Mention, ThreadComment } from '#shared/threads';
import { initials } from '../session/presenceUser';
import { newRandomId } from '#shared/randomId';
import * as api from './api';
import { editField, replyField, type CommentsController, type ThreadItem } from './CommentsController';
import { Composer, type MentionCandidate } from './Composer';
import { CommentBody, fullTime, timeAgo } from './format';
import { FormError } from '../ui/FormError';

export interface CardContext {
  controller: CommentsController;
  agreementId: string;
  token: string;
  myId: string;
  /** Who is looking: what they may do to each comment comes from threadAuth. */
  me: Actor;
  myParty?: string;
  /** May answer, resolve and reopen threads. */
  canWrite: boolean;
  candidates: MentionCandidate[];
  partyName: (id: string | undefined) => string | undefined;
  now: number;
}

interface Props {
  item: ThreadItem;
  detached: boolean;
  active: boolean;
  scrollIntoView: boolean;
  ctx: CardContext;
}

function AuthorLine({ author, at, edited, ctx }: { author: Author; at: string; edited?: string; ctx: CardContext }) {
  const party = ctx.partyName(author.party);
  return (
    <div className="comment__meta">
      <span
        className="avatar avatar--small"
        style={{ backgroundColor: ctx.controller.colorOf(author.party), color: textColorOn(ctx.controller.colorOf(author.party)) }}
        aria-hidden="true"
      >
        {initials(author.name)}
      </span>
      <span className="comment__who">
        <span className="comment__author">
          {author.name}
          {author.personId === ctx.myId && <span className="comment__you"> (you)</span>}
        </span>
        <span className="comment__detail">
          {party ? `${party} · ` : ''}
          {ROLE_LABELS[author.role]} ·{' '}
          <time dateTime={at} title={fullTime(at)}>
            {timeAgo(at, ctx.now)}
          </time>
          {edited && <span title={`Edited ${fullTime(edited)}`}> · edited</span>}
        </span>
      </span>
    </div>
  );
}

function CommentView({ item, comment, ctx }: { item: ThreadItem; comment: ThreadComment; ctx: CardContext }) {
  const field = editField(item.key, comment.id);
  const [editing, setEditing] = useState(() => ctx.controller.writtenIn(field) !== undefined);
  const restoredEdit = useRef(editing);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const caucus = item.scope === 'caucus';
  const isMine = (m: Mention) => (m.kind === 'person' ? m.id === ctx.myId : m.id === ctx.myParty);
  // The fields and buttons that had the focus go away: it is put back where the person was, not
  // left to the page (a keyboard user found themselves at "Skip to the text" after each edit).
  const editButton = useRef<HTMLButtonElement>(null);
  const keepButton = useRef<HTMLButtonElement>(null);
  const itemRef = useRef<HTMLLIElement>(null);
  const wasEditing = useRef(editing);
  useEffect(() => {
    if (wasEditing.current && !editing) editButton.current?.focus();
    wasEditing.current = editing;
  }, [editing]);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(confirming);
  useEffect(() => {
    if (confirming) keepButton.current?.focus();
    else if (wasConfirming.current) deleteButton.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  if (comment.deleted) {
    return (
      <li className="comment comment--deleted" data-testid="comment" data-deleted="true">
        <p className="comment__body comment__body--deleted">Comment deleted</p>
      </li>
    );
  }

  const remove = async () => {
    setError(null);
    const card = itemRef.current?.closest<HTMLElement>('[data-testid="thread"]');
    try {
      await api.deleteComment(ctx.agreementId, ctx.token, item.thread.id, comment.id, caucus);
      card?.focus();
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Could not delete the comment.');
      setConfirming(false);
    }
  };

  return (
    <li className="comment" data-testid="comment" data-author={comment.author.name} ref={itemRef}>
      <AuthorLine author={comment.author} at={comment.createdAt} edited={comment.editedAt} ctx={ctx} />
      {editing ? (
        <Composer
          label="Edit your comment"
          submitLabel="Save"
          candidates={ctx.candidates}
          initialBody={comment.body}
          initialMentions={comment.mentions}
          restoredBody={ctx.controller.writtenIn(field)}
          onBodyChange={(body) => ctx.controller.keepWritten(field, body)}
          autoFocus={!restoredEdit.current}
          onCancel={() => {
            ctx.controller.keepWritten(field, '');
            setEditing(false);
          }}
          onSubmit={async (body, mentions) => {
            await api.editComment(ctx.agreementId, ctx.token, item.thread.id, comment.id, { body, mentions, caucus });
            ctx.controller.keepWritten(field, '');
            setEditing(false);
          }}
        />
      ) : (
        <p className="comment__body" data-testid="comment-body">
          <CommentBody body={comment.body} mentions={comment.mentions} isMine={isMine} />
        </p>
      )}
      {threadAuth.canUpdateComment(ctx.me, comment) && threadAuth.canDeleteComment(ctx.me, comment) && !editing && (
        <div className="comment__actions">
          {confirming ? (
            <>
              <span className="comment__confirm">Delete this comment?</span>
              <button type="button" className="button button--ghost button--small button--danger" onClick={() => void remove()}>
                Delete
              </button>
              <button type="button" className="button button--ghost button--small" ref={keepButton} onClick={() => setConfirming(false)}>
                Keep
              </button>
            </>
          ) : (
            <>
              <button
                type="button"
                className="link-button"
                ref={editButton}
                onClick={() => {
                  restoredEdit.current = false;
                  setEditing(true);
                }}
              >
                Edit
              </button>
              <button type="button" className="link-button" ref={deleteButton} onClick={() => setConfirming(true)}>
                Delete
              </button>
            </>
          )}
        </div>
      )}
      <FormError message={error} />
    </li>
  );
}

/**
 * One thread: its passage (a link back into the text), its comments, a reply field and
 * resolve/reopen. Memoised: the panel re-renders when any thread, the order or the active
 * thread changes, and a long agreement has dozens of cards that did not.
 */
export const ThreadCard = memo(function ThreadCard({ item, detached, active, scrollIntoView, ctx }: Props) {
  const { thread, scope, key } = item;
  const ref = useRef<HTMLElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [replying, setReplying] = useState(() => ctx.controller.writtenIn(replyField(key)) !== undefined);
  // A field brought back with its words (the card shown again) does not take the focus: the
  // person is elsewhere, at the tab they chose or scrolling the list.
  const restoredReply = useRef(replying);
  // The reply's id, kept until it is sent: sent again after a lost answer, it finds the reply made rather than making two.
  // Made once (an argument to useRef is made again at every render, and the cards render often).
  const [firstReplyId] = useState(newRandomId);
  const replyId = useRef(firstReplyId);
  const caucus = scope === 'caucus';

  useEffect(() => {
    if (active && scrollIntoView) {
      ref.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
      ref.current?.focus({ preventScroll: true });
    }
  }, [active, scrollIntoView]);

  const toggleResolved = async () => {
    setError(null);
    try {
      await api.setResolved(ctx.agreementId, ctx.token, thread.id, !thread.resolved, caucus);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Could not change the thread.');
    }
  };

  const classes = ['thread'];
  if (active) classes.push('thread--active');
  if (thread.resolved) classes.push('thread--resolved');
  if (caucus) classes.push('thread--private');
  if (detached) classes.push('thread--detached');

  return (
    <article
      ref={ref}
      className={classes.join(' ')}
      data-testid="thread"
      data-thread={key}
      data-state={thread.resolved ? 'resolved' : 'open'}
      data-detached={detached ? 'true' : 'false'}
      tabIndex={-1}
      aria-label={thread.quote ? `Thread on “${thread.quote}”` : 'Note'}
      style={{ ['--thread-color' as string]: ctx.controller.colorOf(thread.createdBy.party) }}
      onClick={(e) => {
        if ((e.target as Element).closest('button, textarea, a, input, select')) return;
        ctx.controller.setActive(key, 'panel');
      }}
    >
      <header className="thread__head">
        {caucus && (
          <span className="badge badge--private" title="Only your party's members see this">
            Private
          </span>
        )}
        {thread.resolved && (
          <span className="thread__status" title={thread.resolvedAt ? fullTime(thread.resolvedAt) : undefined}>
            Resolved{thread.resolvedBy ? ` by ${thread.resolvedBy.name}` : ''}
          </span>
        )}
        {detached && (
          <span className="badge badge--detached" title="The passage this thread was on has been deleted">
            Detached
          </span>
        )}
      </header>
      {thread.anchor ? (
        detached ? (
          <blockquote className="thread__quote thread__quote--detached" data-testid="thread-quote">
            <span className="thread__quote-text">{thread.quote}</span>
            <span className="thread__quote-note">The passage was deleted from the text.</span>
          </blockquote>
        ) : (
          <button
            type="button"
            className="thread__quote"
            data-testid="thread-quote"
            title="Show this passage in the text"
            onClick={() => ctx.controller.jumpTo(key)}
          >
            {thread.quote || 'Passage'}
          </button>
        )
      ) : (
        <p className="thread__note-label">Note</p>
      )}
      <ol className="thread__comments">
        {thread.comments.map((comment) => (
          <CommentView key={comment.id} item={item} comment={comment} ctx={ctx} />
        ))}
      </ol>
      <FormError message={error} />
      {ctx.canWrite && (
        <div className="thread__foot">
          {replying ? (
            <div
              className="thread__reply"
              onBlur={(event) => {
                // Left empty, the reply box goes back to its stand-in once the focus moves on: tabbing
                // through the threads opened every one of them, and they stayed open.
                const next = event.relatedTarget;
                if (next instanceof Node && event.currentTarget.contains(next)) return;
                if (event.currentTarget.querySelector('textarea')?.value.trim()) return;
                setReplying(false);
              }}
            >
              <Composer
                label="Reply"
                submitLabel="Reply"
                placeholder="Reply…"
                compact
                autoFocus={!restoredReply.current}
                candidates={ctx.candidates}
                restoredBody={ctx.controller.writtenIn(replyField(key))}
                onBodyChange={(body) => ctx.controller.keepWritten(replyField(key), body)}
                onCancel={() => setReplying(false)}
                onSubmit={async (body, mentions) => {
                  await api.replyToThread(ctx.agreementId, ctx.token, thread.id, { id: replyId.current, body, mentions, caucus });
                  replyId.current = newRandomId();
                }}
              />
            </div>
          ) : (
            // A stand-in until someone replies: sixty threads need not each run a composer.
            <div className="composer composer--compact">
              <textarea
                className="composer__field"
                rows={1}
                aria-label="Reply"
                placeholder="Reply…"
                readOnly
                onFocus={() => {
                  restoredReply.current = false;
                  setReplying(true);
                }}
              />
            </div>
          )}
          {threadAuth[thread.resolved ? 'canReopenThread' : 'canResolveThread'](ctx.me, thread) && (
            <button type="button" className="button button--secondary button--small thread__resolve" onClick={() => void toggleResolved()}>
              {thread.resolved ? 'Reopen' : 'Resolve'}
            </button>
          )}
        </div>
      )}
    </article>
  );
});
