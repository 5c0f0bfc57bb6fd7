import { useEffect, useMemo } from 'react';
import type { AgreementView } from '#shared/protocol';
import { can } from '#shared/permissions';
import { ROLE_LABELS } from '#shared/roles';
import { AgreementEditor } from '../editor/AgreementEditor';
import { CommentsProvider } from '../comments/CommentsContext';
import { SuggestionsProvider } from '../suggestions/SuggestionsContext';
import { SuggestionsPanel } from '../suggestions/SuggestionsPanel';
import { SuggestModeBar } from '../suggestions/SuggestModeBar';
import { ThreadsPanel } from '../comments/ThreadsPanel';
import { InvitePanel } from '../invite/InvitePanel';
import { StructurePanels } from '../dashboard/StructurePanels';
import { HistoryPanel } from '../history/HistoryPanel';
import { PeoplePresent } from '../session/PeoplePresent';
import { presenceUserFor } from '../session/presenceUser';
import { useCollabSession } from '../session/useCollabSession';
import { deniedMessage, useConnectionStatus } from '../session/useConnectionStatus';
import { useDocLoaded } from '../session/useDocLoaded';
import { usePresence } from '../session/usePresence';
import { AgreementHeader } from './AgreementHeader';
import { AgreementProvider } from './AgreementContext';
import { PageMessage } from '../ui/PageMessage';
import { useAgreementToken } from './useAgreementToken';
import { useAgreementView } from './useAgreementView';
import './agreement.css';

export function AgreementPage({ id }: { id: string }) {
  const token = useAgreementToken(id);
  const state = useAgreementView(id, token);

  if (state.status === 'loading') return <PageMessage title="Opening the agreement…" busy />;
  if (state.status === 'error') {
    const { error } = state;
    const title = error.status === 404 ? 'Agreement not found' : error.status === 401 || error.status === 403 ? 'No access' : 'Could not open the agreement';
    return <PageMessage title={title} text={error.message} retry={error.isNetwork} />;
  }
  return <LiveAgreement view={state.view} token={token ?? ''} />;
}

function LiveAgreement({ view, token }: { view: AgreementView; token: string }) {
  const session = useCollabSession(view.id, token, true);
  const status = useConnectionStatus(session?.provider ?? null);
  const people = usePresence(session?.provider.awareness ?? null);
  const loaded = useDocLoaded(session);
  const user = useMemo(() => presenceUserFor(view), [view]);
  const editable = can(view.me.role, 'writeText');
  const maySuggest = can(view.me.role, 'suggest');

  useEffect(() => {
    session?.provider.awareness.setLocalStateField('user', user);
  }, [session, user]);

  useEffect(() => {
    document.title = `${view.title} · Common Ground`;
    return () => {
      document.title = 'Common Ground';
    };
  }, [view.title]);

  return (
    <AgreementProvider view={view} token={token} session={session}>
    <div className="app-shell">
      <AgreementHeader view={view} status={status} people={people} />
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
      {!editable && (
        <div className="banner banner--info" data-testid="readonly-notice">
          You are reading as <strong>{ROLE_LABELS[view.me.role]}</strong>. The text updates live as the negotiators write;
          {maySuggest ? ' switch to Suggesting to propose changes to it.' : ' it cannot be edited from here.'}
        </div>
      )}
      <CommentsProvider>
      <SuggestionsProvider>
      <div className="workspace">
        <main className="workspace__doc">
          <SuggestModeBar />
          {session ? (
            <AgreementEditor session={session} user={user} editable={editable} title={view.title} loaded={loaded} />
          ) : (
            <div className="paper paper--placeholder" aria-busy="true" />
          )}
        </main>
        <aside className="workspace__side">
          <PeoplePresent people={people} live={status.state === 'live'} />
          <SuggestionsPanel />
          <ThreadsPanel />
          {can(view.me.role, 'invite') && <InvitePanel view={view} token={token} />}
          <StructurePanels />
          <HistoryPanel />
        </aside>
      </div>
      </SuggestionsProvider>
      </CommentsProvider>
    </div>
    </AgreementProvider>
  );
}
