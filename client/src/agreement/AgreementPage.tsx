import { Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ACCESS_REVOKED_REASON, CloseCode, type AgreementView } from '#shared/protocol';
import { can } from '#shared/permissions';
import { ROLE_LABELS } from '#shared/roles';
import { AgreementEditor } from '../editor/AgreementEditor';
import { CommentsProvider } from '../comments/CommentsContext';
import { SuggestionsProvider } from '../suggestions/SuggestionsContext';
import { SuggestionsPanel } from '../suggestions/SuggestionsPanel';
import { SuggestModeBar } from '../suggestions/SuggestModeBar';
import { ThreadsPanel } from '../comments/ThreadsPanel';
import { StructurePanels } from '../dashboard/StructurePanels';
import { HistoryPanel } from '../history/HistoryPanel';
import { PeoplePresent } from '../session/PeoplePresent';
import { ParkingLot } from '../session/console/ParkingLot';
import { SessionBar } from '../session/console/SessionBar';
import { presenceUserFor } from '../session/presenceUser';
import { useCollabSession } from '../session/useCollabSession';
import { discardEarlySession } from '../session/earlySession';
import type { CollabSession } from '../session/openSession';
import { FAILURES_WORTH_EXPLAINING, TOO_MANY_TABS_MESSAGE, deniedMessage, failureMessage, useConnectionStatus } from '../session/useConnectionStatus';
import { SessionNotices } from '../session/SessionNotices';
import { useDocLoaded } from '../session/useDocLoaded';
import { useCatchingUp } from '../session/useCatchingUp';
import { usePresence } from '../session/usePresence';
import { AgreementHeader } from './AgreementHeader';
import { AgreementProvider } from './AgreementContext';
import { PageMessage } from '../ui/PageMessage';
import { SkipLinks } from '../ui/SkipLinks';
import { COMMENT_SHORTCUT } from '../ui/shortcuts';
import { useAfterPaint } from '../ui/useAfterPaint';
import { afterNextFrame } from '../ui/afterNextFrame';
import { useAgreementToken } from './useAgreementToken';
import { useAgreementView } from './useAgreementView';
import { AccessEnded } from './AccessEnded';
import { OtherPersonsLink } from './OtherPersonsLink';
import { PeoplePanel } from '../people/PeoplePanel';
import { notePageShown } from '../offlineShell';
import { OwnLinkNotice } from '../people/OwnLinkNotice';
import { PanelOpening } from '../ui/PanelOpening';
import { PartBoundary } from '../ui/PartBoundary';
import { lazyPart } from '../ui/lazyPart';
import { AppUpdatedNotice } from '../ui/AppUpdatedNotice';
import './agreement.css';

// Only a broker steers a session and invites people: the console's code (agenda editor, session tools)
// and the invitations' load for them alone.
const InvitePanel = lazyPart(() => import('../invite/InvitePanel').then((m) => m.InvitePanel), 'The invitations');
const SessionConsole = lazyPart(() => import('../session/console/SessionConsole').then((m) => m.SessionConsole), 'The session console');

export function AgreementPage({ id }: { id: string }) {
  const { token, offered, choose } = useAgreementToken(id);
  // Bumped when the server says this person's access changed: who I am is read again.
  const [viewVersion, setViewVersion] = useState(0);
  const state = useAgreementView(id, token, viewVersion);
  const onAccessChanged = useCallback(() => setViewVersion((v) => v + 1), []);
  // A session opened before the page rendered (prefetch.ts) and never taken must not stay open.
  useEffect(() => () => discardEarlySession(id), [id]);

  if (offered && token) return <OtherPersonsLink agreementId={id} held={token} onChoose={choose} />;
  if (state.status === 'loading') return <PageMessage title="Opening the agreement…" busy />;
  if (state.status === 'error') {
    const { error } = state;
    const ended = error.code === 'link_expired' ? 'expired' : 'revoked';
    // Met on the open page: it stays, to list what its session could not send.
    if (error.accessEnded && state.view) {
      return <LiveAgreement view={state.view} viewFromCache={false} token={token ?? ''} onAccessChanged={onAccessChanged} ended={ended} />;
    }
    if (error.accessEnded) return <AccessEnded agreementId={id} reason={ended} />;
    const title = error.status === 404 ? 'Agreement not found' : error.status === 401 || error.status === 403 ? 'No access' : 'Could not open the agreement';
    return <PageMessage title={title} text={error.message} retry={error.isNetwork} />;
  }
  return <LiveAgreement view={state.view} viewFromCache={state.fromCache} token={token ?? ''} onAccessChanged={onAccessChanged} />;
}

function LiveAgreement({
  view,
  viewFromCache,
  token,
  onAccessChanged,
  ended,
}: {
  view: AgreementView;
  viewFromCache: boolean;
  token: string;
  onAccessChanged: () => void;
  /** The server said this person's access ended (an API answer; the text's socket may say so a moment later). */
  ended?: 'expired' | 'revoked';
}) {
  const { session, notice, dismissNotice } = useCollabSession(view.id, token, true);
  const status = useConnectionStatus(session);
  useAccessChanges(session, onAccessChanged, viewFromCache);
  const people = usePresence(session?.provider.awareness ?? null);
  const loaded = useDocLoaded(session);
  const catchingUp = useCatchingUp(session);
  const user = useMemo(() => presenceUserFor(view), [view]);
  const editable = can(view.me.role, 'writeText');
  const maySuggest = can(view.me.role, 'suggest');
  // After the frame that shows the page with its session (issue 17: together they made the load's
  // longest task), the editor is created in a task of its own; the side panels follow as a transition,
  // which React renders after it in short tasks.
  const editorShown = useSessionShownAfterFrame(session);
  const panelsShown = useAfterPaint(session !== null);

  // The app's offline copy is stored once the text is in and its editor up, not while they load.
  useEffect(() => {
    if (loaded && editorShown) notePageShown();
  }, [loaded, editorShown]);

  useEffect(() => {
    session?.provider.awareness.setLocalStateField('user', user);
  }, [session, user]);

  useEffect(() => {
    document.title = `${view.title} · Common Ground`;
    return () => {
      document.title = 'Common Ground';
    };
  }, [view.title]);

  const closedFor = status.state === 'denied' && status.closeCode === CloseCode.AccessEnded ? (status.closeReason ?? '') : undefined;
  if (ended || closedFor !== undefined) {
    return (
      <AccessEnded
        agreementId={view.id}
        reason={ended ?? (/expired/.test(closedFor ?? '') ? 'expired' : 'revoked')}
        session={session}
        forgetText={closedFor === ACCESS_REVOKED_REASON}
      />
    );
  }

  return (
    <AgreementProvider view={view} token={token} session={session}>
      <div className="app-shell">
        <SkipLinks
          targets={[
            { id: 'agreement-text', label: 'Skip to the text' },
            { id: 'side-panel', label: 'Skip to the side panel' },
          ]}
        />
        <AgreementHeader view={view} status={status} people={people} />
        <AppUpdatedNotice />
        {status.state === 'denied' && (
          <div className="banner banner--error" role="alert">
            {deniedMessage(status.closeCode)}
          </div>
        )}
        {(status.state === 'offline' || status.state === 'reconnecting') && (
          <div className="banner banner--warn" data-testid="offline-notice">
            {status.state === 'offline' ? 'You are offline.' : 'The connection to the session was lost; reconnecting.'}{' '}
            {editable
              ? 'Keep writing: your edits are saved on this device and shared as soon as you are back.'
              : 'The text shown may be out of date until you are back.'}
          </div>
        )}
        {/* Always there, so a screen reader reads the banner that appears in it. */}
        <div role="status">
          {catchingUp && loaded && (
            <div className="banner banner--info" data-testid="catching-up">
              Bringing in the changes made while you were away; the text can be edited again in a moment.
            </div>
          )}
        </div>
        <OwnLinkNotice agreementId={view.id} />
        {status.failures?.lastCode === CloseCode.TooManyConnections ? (
          // Said at the first refusal: waiting for more attempts would tell them nothing new.
          <div className="banner banner--warn" role="alert" data-testid="too-many-tabs">
            {TOO_MANY_TABS_MESSAGE}
          </div>
        ) : (
          status.failures &&
          status.failures.attempts >= FAILURES_WORTH_EXPLAINING && (
            <div className="banner banner--warn" role="alert" data-testid="connection-failing">
              {failureMessage(status.failures.lastCode, status.failures.lastReason)} {status.failures.attempts} attempts so far. Your edits stay on this device.
              Check your network connection; if this goes on, reload the page, or tell the broker the session cannot be reached.
            </div>
          )
        )}
        <SessionNotices notice={notice} onDismiss={dismissNotice} />
        {!editable && (
          <div className="banner banner--info" data-testid="readonly-notice">
            You are reading as <strong>{ROLE_LABELS[view.me.role]}</strong>. The text updates live as the negotiators write;
            {maySuggest ? ' switch to Suggesting to propose changes to it.' : ' it cannot be edited from here.'}
            {can(view.me.role, 'comment') && ` To comment, select a passage (with the mouse, or Shift and the arrow keys) and press ${COMMENT_SHORTCUT}.`}
          </div>
        )}
        <SessionBar people={people} />
        <CommentsProvider>
          <SuggestionsProvider>
            <div className="workspace">
              <main className="workspace__doc" id="agreement-text" tabIndex={-1} aria-label="Agreement text">
                <SuggestModeBar />
                {session && editorShown ? (
                  <AgreementEditor
                    key={session.room + String(session.ydoc.clientID)}
                    session={session}
                    user={user}
                    editable={editable}
                    title={view.title}
                    loaded={loaded}
                  />
                ) : (
                  <div className="paper paper--placeholder" aria-busy="true" />
                )}
              </main>
              <aside
                className="workspace__side"
                id="side-panel"
                tabIndex={-1}
                aria-label="Side panel: people, comments, structure and history"
                aria-busy={panelsShown ? undefined : true}
              >
                <PeoplePresent people={people} live={status.state === 'live' || status.state === 'unsent'} />
                {panelsShown && (
                  <>
                    {can(view.me.role, 'steerSession') && (
                      <PartBoundary what="the session console">
                        <Suspense fallback={<PanelOpening title="Working session" />}>
                          <SessionConsole />
                        </Suspense>
                      </PartBoundary>
                    )}
                    <ParkingLot />
                    <SuggestionsPanel />
                    <ThreadsPanel />
                    {can(view.me.role, 'invite') && (
                      <PartBoundary what="the invitations">
                        <Suspense fallback={<PanelOpening title="Invite" />}>
                          <InvitePanel view={view} token={token} />
                        </Suspense>
                      </PartBoundary>
                    )}
                    <PeoplePanel />
                    <StructurePanels />
                    <HistoryPanel />
                  </>
                )}
              </aside>
            </div>
          </SuggestionsProvider>
        </CommentsProvider>
      </div>
    </AgreementProvider>
  );
}

/** True from the task after the frame that first showed the page with this session. */
function useSessionShownAfterFrame(session: CollabSession | null): boolean {
  const [shown, setShown] = useState<CollabSession | null>(null);
  useEffect(() => {
    if (!session) return;
    return afterNextFrame(() => setShown(session));
  }, [session]);
  return session !== null && shown === session;
}

/**
 * Who I am is read again whenever the server may know better. It closes a person's sockets with
 * AccessChanged when a broker changes their role; but a page that was offline then (or opened from
 * this device's copy of who I am) never saw that close, so every connection but the page's first
 * after a fresh read is a reason too: a negotiator made an observer meanwhile must not go on typing
 * words the server refuses.
 */
function useAccessChanges(session: CollabSession | null, onChanged: () => void, viewFromCache: boolean): void {
  const skipNextConnect = useRef(!viewFromCache);
  useEffect(() => {
    if (!session) return;
    const onClose = (event: CloseEvent | null) => {
      if (event?.code === CloseCode.AccessChanged) onChanged();
    };
    const onStatus = ({ status }: { status: string }) => {
      if (status !== 'connected') return;
      if (skipNextConnect.current) skipNextConnect.current = false;
      else onChanged();
    };
    // A session opened before the page (prefetch.ts) may be connected already: that was its first connection.
    if (session.provider.wsconnected) skipNextConnect.current = false;
    session.provider.on('connection-close', onClose);
    session.provider.on('status', onStatus);
    return () => {
      session.provider.off('connection-close', onClose);
      session.provider.off('status', onStatus);
    };
  }, [session, onChanged]);
}
