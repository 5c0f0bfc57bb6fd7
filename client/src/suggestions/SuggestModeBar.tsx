import { useState } from 'react';
import { can } from '#shared/permissions';
import { useAgreementAccess } from '../agreement/AgreementContext';
import { ApiError } from '../api';
import { fullTime } from '../comments/format';
import { setSuggestOnly } from './api';
import { startsParagraphs } from './draft';
import { useSuggestions } from './SuggestionsContext';

/** Editing or suggesting, and the broker's suggest-only switch; says why someone's editor suggests. */
export function SuggestModeBar() {
  const { view, token } = useAgreementAccess();
  const [controller, snapshot] = useSuggestions();
  const [error, setError] = useState<string | null>(null);
  const mayEdit = can(view.me.role, 'writeText');
  const maySuggest = can(view.me.role, 'suggest');
  if (!maySuggest) return null;
  const suggesting = controller.suggesting;
  const { suggestOnly } = snapshot;

  const toggleSuggestOnly = async () => {
    setError(null);
    try {
      await setSuggestOnly(view.id, token, suggestOnly === null);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not change suggest-only.');
    }
  };

  return (
    <div className="suggest-bar" data-testid="suggest-bar">
      {/* Two toggle buttons, one pressed: radio buttons would promise arrow keys, which cost code the client's byte budget lacks. */}
      <div className="suggest-bar__modes" role="group" aria-label="How your changes are made">
        <button
          type="button"
          aria-pressed={!suggesting}
          className="suggest-bar__mode"
          disabled={suggestOnly !== null}
          onClick={() => controller.setMode('editing')}
        >
          {mayEdit ? 'Editing' : 'Reading'}
        </button>
        <button
          type="button"
          aria-pressed={suggesting}
          className="suggest-bar__mode"
          onClick={() => controller.setMode('suggesting')}
          data-testid="mode-suggesting"
        >
          Suggesting
        </button>
      </div>
      <p className="suggest-bar__why" role="status" data-testid="suggest-why">
        {suggestOnly
          ? `${suggestOnly.by.name} made this agreement suggest-only (${fullTime(suggestOnly.at)}): every change is a suggestion until it is lifted.`
          : suggesting
            ? 'What you type becomes a suggestion for the negotiators to accept or reject; the text itself does not change.'
            : ''}
      </p>
      {can(view.me.role, 'setSuggestOnly') && (
        <button type="button" className="button button--secondary button--small" onClick={() => void toggleSuggestOnly()} data-testid="suggest-only-toggle">
          {suggestOnly ? 'Lift suggest-only' : 'Make suggest-only'}
        </button>
      )}
      {snapshot.draft && startsParagraphs(snapshot.draft) && (
        <p className="suggest-bar__why" data-testid="suggest-draft-waiting">
          Your new paragraph is suggested when you click elsewhere.{' '}
          <button type="button" className="button button--secondary button--small" onClick={() => void controller.sendDraft()}>
            Suggest it now
          </button>
        </p>
      )}
      {(snapshot.notice || error) && (
        <p className="suggest-bar__notice" role="alert">
          {error ?? snapshot.notice}
        </p>
      )}
    </div>
  );
}
