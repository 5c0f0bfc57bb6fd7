import type { AgreementView } from '#shared/protocol';
import { can } from '#shared/permissions';
import { ROLE_LABELS, SECTOR_LABELS } from '#shared/roles';
import { ConnectionIndicator } from '../session/ConnectionIndicator';
import { PresenceAvatars } from '../session/PresenceAvatars';
import type { ConnectionStatus } from '../session/useConnectionStatus';
import type { PresentPerson } from '../session/usePresence';
import { onLinkClick } from '../router';
import { BrandMark } from '../ui/BrandMark';

interface Props {
  view: AgreementView;
  status: ConnectionStatus;
  people: PresentPerson[];
}

export function AgreementHeader({ view, status, people }: Props) {
  const readOnly = !can(view.me.role, 'writeText');
  const myParty = view.parties.find((p) => p.id === view.me.party);
  return (
    <header className="topbar topbar--agreement">
      <a href="/" className="brand brand--compact" onClick={onLinkClick} aria-label="Common Ground: your agreements">
        <BrandMark />
      </a>
      <div className="topbar__main">
        <h1 className="agreement-title" data-testid="agreement-title">
          {view.title}
        </h1>
        {view.parties.length > 0 && (
          <ul className="parties" aria-label="Parties">
            {view.parties.map((p) => (
              <li key={p.id} className="party-chip" title={`${p.name} (${SECTOR_LABELS[p.sector]})`}>
                <span className="party-chip__swatch" style={{ backgroundColor: p.color }} aria-hidden="true" />
                <span className="party-chip__name">{p.name}</span>
                <span className="party-chip__sector">{SECTOR_LABELS[p.sector]}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="topbar__side">
        <PresenceAvatars people={people} />
        <ConnectionIndicator status={status} />
        <span className="badge badge--role" data-testid="role-badge" title={`You are ${view.me.name}${myParty ? ` for ${myParty.name}` : ''}`}>
          {ROLE_LABELS[view.me.role]}
          {myParty && <span className="badge__party"> · {myParty.name}</span>}
        </span>
        {readOnly && (
          <span className="badge badge--readonly" data-testid="readonly-badge" title="You can read along but not edit the text">
            Read-only
          </span>
        )}
      </div>
    </header>
  );
}
