import { agreementPath } from '#shared/protocol';
import { ROLE_LABELS } from '#shared/roles';
import { listHeldLinks } from '../links';
import { LinkOnce } from '../people/LinkOnce';

/**
 * Asked when a link of another person arrives where this browser holds a link to the agreement:
 * opening it forgets the link held, which may be the only key its person has (a broker's own).
 */
export function OtherPersonsLink({ agreementId, held, onChoose }: { agreementId: string; held: string; onChoose: (open: boolean) => void }) {
  const kept = listHeldLinks().find((l) => l.id === agreementId);
  const name = kept?.name;
  return (
    <div className="page-message" data-testid="other-persons-link">
      <div className="page-message__card">
        <h1>This link is another person’s</h1>
        <p>
          This browser opens {kept ? `“${kept.title}”` : 'this agreement'} as <strong>{name ?? 'someone else'}</strong>
          {kept && ` (${ROLE_LABELS[kept.role]})`}. The link you opened names another person: whoever opens it acts as them. If it reached you by mistake, stay
          and tell the broker.
        </p>
        <p>Opened here, it takes the place of {name ? `${name}’s` : 'the'} link on this browser: keep that one first.</p>
        <LinkOnce
          url={new URL(agreementPath(agreementId, held), window.location.origin).href}
          label={name ? `${name}’s link` : 'The link held on this browser'}
        />
        <p className="page-message__actions">
          <button type="button" className="button" onClick={() => onChoose(false)}>
            {name ? `Stay ${name}` : 'Stay'}
          </button>
          <button type="button" className="button button--secondary" onClick={() => onChoose(true)}>
            Open as the link’s person
          </button>
        </p>
      </div>
    </div>
  );
}
