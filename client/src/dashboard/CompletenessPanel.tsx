import { useMemo } from 'react';
import { checkCompleteness } from '#shared/completeness';
import { useAgreementAccess } from '../agreement/AgreementContext';
import type { Structure } from '../objectives/useStructure';
import { jumpToObjective } from './jump';

const PROBLEM_LABELS = { missing: 'Missing', empty: 'Still empty', incomplete: 'Incomplete' } as const;

/** The template's parts still empty or missing, checked live by the same rules as the server. */
export function CompletenessPanel({ structure }: { structure: Structure }) {
  const { view } = useAgreementAccess();
  const result = useMemo(() => (structure.doc ? checkCompleteness(structure.doc, view.parties) : null), [structure.doc, view.parties]);
  if (!result) return null;
  return (
    <section className="panel" aria-labelledby="completeness-title">
      <h2 className="panel__title" id="completeness-title">
        Completeness <span className="panel__count">{result.gaps.length}</span>
      </h2>
      {result.complete ? (
        <p className="panel__hint">Every part of a partnering agreement is covered.</p>
      ) : (
        <ul className="gaps" data-testid="completeness">
          {result.gaps.map((g) => (
            <li key={g.part} className={`gap gap--${g.problem}`}>
              <span className="gap__problem">{PROBLEM_LABELS[g.problem]}</span>{' '}
              {g.part.startsWith('objective:') ? (
                <button type="button" className="link-button" onClick={() => jumpToObjective(g.part.slice('objective:'.length))}>
                  {g.label}
                </button>
              ) : (
                <strong>{g.label}</strong>
              )}
              <span className="gap__detail">: {g.detail}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
