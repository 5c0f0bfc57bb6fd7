import { useState } from 'react';
import { ROLE_LABELS } from '#shared/roles';
import { forgetHeldLink, listHeldLinks } from '../links';
import { onLinkClick } from '../router';
import { When } from '../ui/When';

/** Agreements this browser holds links to. */
export function HeldAgreements() {
  const [links, setLinks] = useState(listHeldLinks);
  const forget = (id: string) => {
    forgetHeldLink(id);
    setLinks(listHeldLinks());
  };
  return (
    <section className="card held" aria-labelledby="held-title">
      <h2 id="held-title" className="card__title">
        Your agreements
      </h2>
      {links.length === 0 ? (
        <p className="held__empty">Agreements you create or are invited to appear here. Links stay on this device only.</p>
      ) : (
        <ul className="held__list" data-testid="held-agreements">
          {links.map((link) => (
            <li key={link.id} className="held__item">
              <a className="held__link" href={`/a/${link.id}`} onClick={onLinkClick}>
                <span className="held__title">{link.title}</span>
                <span className="held__meta">
                  {ROLE_LABELS[link.role]} · {link.name} · opened <When iso={link.savedAt} />
                </span>
              </a>
              <button
                type="button"
                className="icon-button"
                aria-label={`Forget ${link.title} on this device`}
                title="Forget on this device"
                onClick={() => forget(link.id)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
