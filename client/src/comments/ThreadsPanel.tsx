import { useEffect, useId, useMemo, useRef, useState, type FocusEvent } from 'react';
import { threadAuth } from '#shared/permissions';
import { liveComments, type Mention, type Thread } from '#shared/threads';
import { useAgreementAccess } from '../agreement/AgreementContext';
import { ApiError } from '../api';
import * as api from './api';
import { keyOf, type Scope, type ThreadItem, type ThreadPosition } from './CommentsController';
import { useComments } from './CommentsContext';
import { Composer, roleDetail, type MentionCandidate } from './Composer';
import { SelectionCommentButton } from './SelectionCommentButton';
import { ThreadCard, type CardContext } from './ThreadCard';
import { ThreadList } from './ThreadList';
import { useNow } from './format';
import { CommentIcon } from './icons';
import { useInvitedPeople } from '../people/usePeopleList';
import { useCaucusBreak } from '../session/console/useCaucusBreak';
import './comments.css';

type Status = 'open' | 'resolved' | 'all';
/** '' every party, '-' people of no party, else a party id. */
type PartyFilter = string;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Creates a thread. Text just typed may not have reached the server yet, so an anchor it
 * does not know yet is retried for a moment before giving up.
 */
async function createWithRetry(agreementId: string, token: string, request: Parameters<typeof api.createThread>[2]): Promise<Thread> {
  for (let attempt = 0; ; attempt++) {
    try {
      return (await api.createThread(agreementId, token, request)).thread;
    } catch (err) {
      const notYet = err instanceof ApiError && err.code === 'anchor_unresolved';
      if (!notYet || attempt >= 6) throw err;
      await sleep(300 * (attempt + 1));
    }
  }
}

/** Detached, as far as this device can tell (not while the text is still arriving). */
function isDetached(position: ThreadPosition | undefined): boolean {
  return Boolean(position && position.detached && !position.pending);
}

function involves(thread: Thread, myId: string, myParty: string | undefined): boolean {
  if (thread.createdBy.personId === myId) return true;
  if (liveComments(thread).some((c) => c.author.personId === myId)) return true;
  return thread.mentions.some((m) => (m.kind === 'person' ? m.id === myId : m.id === myParty));
}

/** The side panel: threads in the order of the text, with filters, the caucus tab and the new-thread composer. */
export function ThreadsPanel() {
  const { view, token } = useAgreementAccess();
  const [controller, snapshot] = useComments();
  const titleId = useId();
  const me = view.me;
  const myParty = view.parties.find((p) => p.id === me.party);
  const canWrite = threadAuth.canCreateThread(me);
  const [tab, setTab] = useState<Scope>('shared');
  const [status, setStatus] = useState<Status>('open');
  const [mine, setMine] = useState(false);
  const [party, setParty] = useState<PartyFilter>('');
  const [hint, setHint] = useState<string | null>(null);
  const now = useNow();
  const people = useInvitedPeople(view.id, token, snapshot.draft);
  useCaucusBreak(() => setTab('caucus'));
  useEffect(() => {
    controller.newThreadScope = tab;
  }, [controller, tab]);

  // Who may be mentioned where the words go: in a private thread or note, only the party's own
  // people (a draft made private from the shared tab offered the other party's too).
  const everyone = useMemo<MentionCandidate[]>(() => {
    const partyName = (id?: string) => view.parties.find((p) => p.id === id)?.name;
    return [
      ...people
        .filter((p) => p.id !== me.personId)
        .map((p) => ({ kind: 'person' as const, id: p.id, name: p.name, detail: roleDetail(p.role, partyName(p.party)), color: controller.colorOf(p.party) })),
      ...view.parties.map((p) => ({ kind: 'party' as const, id: p.id, name: p.name, detail: 'Whole party', color: p.color })),
    ];
  }, [people, view.parties, me.personId, controller]);
  const ownParty = useMemo(
    () => everyone.filter((c) => (c.kind === 'party' ? c.id === me.party : people.find((p) => p.id === c.id)?.party === me.party)),
    [everyone, people, me.party],
  );
  const candidatesIn = (scope: Scope) => (scope === 'caucus' ? ownParty : everyone);
  const candidates = candidatesIn(tab);

  const caucusReaders = people.filter((p) => p.role === 'negotiator' && p.party === me.party).map((p) => p.name);

  const { activeKey, activeFrom, draft } = snapshot;

  // A click on a highlight shows its thread, whatever the tab and filters were.
  useEffect(() => {
    if (!activeKey || activeFrom !== 'highlight') return;
    const item = controller.find(activeKey);
    if (!item) return;
    setTab(item.scope);
    if ((status === 'open' && item.thread.resolved) || (status === 'resolved' && !item.thread.resolved)) setStatus('all');
    if (mine && !involves(item.thread, me.personId, me.party)) setMine(false);
    if (party && party !== (item.thread.createdBy.party ?? '-')) setParty('');
  }, [activeKey, activeFrom]);

  const items = tab === 'caucus' ? snapshot.caucus : snapshot.shared;
  const ordered = useMemo(() => {
    const positions = controller.positions;
    const rank = (item: ThreadItem) => {
      if (!item.thread.anchor) return 2;
      const p = positions.get(item.key);
      return p && !p.detached ? 0 : 1;
    };
    return [...items].sort((a, b) => {
      const ra = rank(a);
      const rb = rank(b);
      if (ra !== rb) return ra - rb;
      const pa = positions.get(a.key)?.from ?? 0;
      const pb = positions.get(b.key)?.from ?? 0;
      return ra === 0 && pa !== pb ? pa - pb : a.thread.createdAt.localeCompare(b.thread.createdAt);
    });
    // `layout` changes whenever the text order of the threads does.
  }, [items, snapshot.layout, controller]);

  const visible = ordered.filter(({ thread, key }) => {
    // A reply or edit being written keeps its card: resolved by someone else, it vanished with the words.
    if (controller.isWritingIn(key)) return true;
    if (status === 'open' && thread.resolved) return false;
    if (status === 'resolved' && !thread.resolved) return false;
    if (mine && !involves(thread, me.personId, me.party)) return false;
    if (party === '-' ? thread.createdBy.party !== undefined : party && thread.createdBy.party !== party) return false;
    return true;
  });

  // A card with the focus that leaves the list (resolved under "Open", deleted) took the focus with
  // it to the page's top: it goes to the card that takes its place, or the panel's title.
  const titleRef = useRef<HTMLHeadingElement>(null);
  const focusedCard = useRef<{ key: string; index: number } | null>(null);
  const noteFocus = (event: FocusEvent) => {
    const key = (event.target as Element).closest<HTMLElement>('article[data-thread]')?.dataset.thread;
    focusedCard.current = key ? { key, index: visible.findIndex((item) => item.key === key) } : null;
  };
  useEffect(() => {
    const was = focusedCard.current;
    if (!was || visible.some((item) => item.key === was.key)) return;
    focusedCard.current = null;
    if (document.activeElement && document.activeElement !== document.body) return;
    const next = visible[Math.min(Math.max(was.index, 0), visible.length - 1)];
    // The card, not the passage's highlight in the text (which carries the same key).
    const card = next && titleRef.current?.parentElement?.querySelector<HTMLElement>(`article[data-thread="${CSS.escape(next.key)}"]`);
    (card ?? titleRef.current)?.focus();
  });

  const startThread = () => {
    setHint(null);
    if (!controller.startDraft(tab, true)) setHint('Select a passage in the text first, then choose Comment.');
  };

  // Kept while nothing in it changes, so memoised cards of unchanged threads skip rendering.
  const ctx = useMemo<CardContext>(
    () => ({
      controller,
      agreementId: view.id,
      token,
      myId: me.personId,
      me,
      myParty: me.party,
      canWrite,
      candidates,
      partyName: (id) => view.parties.find((p) => p.id === id)?.name,
      now,
    }),
    [controller, view.id, view.parties, token, me, canWrite, candidates, now],
  );

  const openCount = (list: ThreadItem[]) => list.filter((i) => !i.thread.resolved).length;
  const submitDraft = async (body: string, mentions: Mention[]) => {
    if (!draft) return;
    const thread = await createWithRetry(view.id, token, {
      id: draft.id,
      body,
      mentions: mentions.map(({ kind, id }) => ({ kind, id })),
      ...(draft.anchor ? { anchor: draft.anchor } : {}),
      ...(draft.scope === 'caucus' ? { caucus: true, ...(draft.party ? { party: draft.party } : {}) } : {}),
    }).catch((err: unknown) => {
      if (!(err instanceof ApiError && err.code === 'wrong_party')) throw err;
      const partyName = (id?: string) => view.parties.find((p) => p.id === id)?.name ?? 'another party';
      throw new Error(
        `This private note was written for ${partyName(draft.party)}, and you now speak for ${partyName(me.party)}: it was not sent. Your words are still here to copy.`,
      );
    });
    controller.cancelDraft();
    setTab(draft.scope);
    if (status === 'resolved') setStatus('open');
    controller.setActive(keyOf(draft.scope, thread.id), 'highlight');
  };

  return (
    <section className="panel threads" aria-labelledby={titleId} data-testid="threads-panel" onFocus={noteFocus}>
      {/* Spoken when the count of open threads changes (a new thread, one resolved): not on every reply or keystroke. */}
      <h2 className="panel__title" id={titleId} ref={titleRef} tabIndex={-1} aria-live="polite" aria-atomic="true">
        Comments <span className="panel__count">{openCount(snapshot.shared) + openCount(snapshot.caucus)}</span>
      </h2>

      {canWrite ? (
        <div className="threads__new">
          <button type="button" className="button button--small" onMouseDown={(e) => e.preventDefault()} onClick={startThread}>
            Comment on selection
          </button>
          {tab === 'caucus' && (
            <button type="button" className="button button--secondary button--small" onClick={() => controller.startDraft('caucus', false)}>
              New private note
            </button>
          )}
        </div>
      ) : (
        <p className="panel__hint">You can read the threads; as an observer you cannot write in them.</p>
      )}
      {/* Always there, so a screen reader hears the hint when it comes (a status added with its text is not read). */}
      <p className="panel__hint threads__hint" role="status">
        {hint}
      </p>

      {myParty && (
        <div className="threads__tabs" role="tablist" aria-label="Which threads">
          <button type="button" role="tab" aria-selected={tab === 'shared'} className="threads__tab" onClick={() => setTab('shared')}>
            Shared <span className="panel__count">{openCount(snapshot.shared)}</span>
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'caucus'}
            className="threads__tab threads__tab--private"
            onClick={() => setTab('caucus')}
            data-testid="caucus-tab"
          >
            <CommentIcon name="lock" size={13} /> Private to {myParty.name} <span className="panel__count">{openCount(snapshot.caucus)}</span>
          </button>
        </div>
      )}
      {tab === 'caucus' && myParty && (
        <p className="threads__private-note" data-testid="caucus-notice">
          Only {myParty.name}&rsquo;s negotiators see these threads and notes: not the broker, not the other parties.
          {caucusReaders.length > 0 && <> Readable by {caucusReaders.join(', ')}.</>}
        </p>
      )}

      {draft && (
        <div className={`thread thread--draft${draft.scope === 'caucus' ? ' thread--private' : ''}`} data-testid="thread-draft">
          {draft.anchor ? <p className="thread__quote thread__quote--static">{draft.quote || 'Passage'}</p> : <p className="thread__note-label">New note</p>}
          {myParty && draft.anchor && (
            <label className="threads__scope">
              <span>Visible to</span>
              <select value={draft.scope} onChange={(e) => controller.setDraftScope(e.target.value as Scope)} aria-label="Visible to">
                <option value="shared">Everyone in the agreement</option>
                <option value="caucus">Only {myParty.name} (private)</option>
              </select>
            </label>
          )}
          <Composer
            label={draft.anchor ? 'Comment on the selected passage' : 'Private note'}
            submitLabel="Comment"
            placeholder={draft.scope === 'caucus' ? 'Only your party will see this… (@ to mention)' : 'Add a comment… (@ to mention)'}
            candidates={candidatesIn(draft.scope)}
            autoFocus
            onCancel={() => controller.cancelDraft()}
            onSubmit={submitDraft}
          />
        </div>
      )}

      {snapshot.orphaned.length > 0 && (
        <div className="threads__orphaned" role="alert" data-testid="orphaned-writing">
          <p>The thread you were writing in was deleted, so this was not sent. Copy it to keep it:</p>
          {snapshot.orphaned.map((body, i) => (
            <textarea key={i} className="composer__field" readOnly value={body} aria-label="What you wrote" rows={3} />
          ))}
          <button type="button" className="button button--secondary button--small" onClick={() => controller.dismissOrphaned()}>
            Dismiss
          </button>
        </div>
      )}

      <div className="threads__filters" role="group" aria-label="Filter threads">
        <select value={status} onChange={(e) => setStatus(e.target.value as Status)} aria-label="Show">
          <option value="open">Open</option>
          <option value="resolved">Resolved</option>
          <option value="all">All</option>
        </select>
        <select value={party} onChange={(e) => setParty(e.target.value)} aria-label="Started by">
          <option value="">Any party</option>
          {view.parties.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
          <option value="-">No party</option>
        </select>
        <label className="threads__mine">
          <input type="checkbox" checked={mine} onChange={(e) => setMine(e.target.checked)} /> Mine
        </label>
      </div>

      <ThreadList
        items={visible}
        revealKey={activeFrom === 'highlight' ? activeKey : null}
        testId={tab === 'caucus' ? 'caucus-threads' : 'shared-threads'}
        renderCard={(item) => (
          <ThreadCard
            key={item.key}
            item={item}
            detached={Boolean(item.thread.anchor) && isDetached(controller.positions.get(item.key))}
            active={item.key === activeKey}
            scrollIntoView={activeFrom === 'highlight'}
            ctx={ctx}
          />
        )}
      />
      {visible.length === 0 && (
        <p className="panel__hint threads__empty">
          {items.length === 0
            ? tab === 'caucus'
              ? 'No private threads or notes yet.'
              : canWrite
                ? 'No comments yet. Select a passage and choose Comment.'
                : 'No comments yet.'
            : 'No threads match these filters.'}
        </p>
      )}

      {canWrite && !draft && <SelectionCommentButton controller={controller} editor={snapshot.editor} onComment={startThread} />}
    </section>
  );
}
