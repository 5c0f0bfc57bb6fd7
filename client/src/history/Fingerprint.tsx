import { Fragment } from 'react';

const GROUP = 8;

/**
 * A snapshot's full fingerprint in groups of eight characters: a narrow line breaks between
 * groups, never leaving one character alone. The groups are spaced by style, not by
 * characters, so a copied fingerprint is the very hex `scripts/fingerprint.ts` prints.
 */
export function Fingerprint({ hash }: { hash: string }) {
  const groups = hash.match(new RegExp(`.{1,${GROUP}}`, 'g')) ?? [];
  return (
    <code className="history-hash" data-testid="fingerprint" title="SHA-256 fingerprint">
      {groups.map((group, i) => (
        <Fragment key={i}>
          {i > 0 && <wbr />}
          <span className="history-hash__group">{group}</span>
        </Fragment>
      ))}
    </code>
  );
}
