import { useEffect, useState } from 'react';
import { useAgreementAccess } from '../agreement/AgreementContext';
import { FormError } from '../ui/FormError';
import { downloadSuggestionsRedline } from './api';
import { useNow } from '../comments/format';
import { SuggestionCard } from './SuggestionCard';
import { startsParagraphs } from './draft';
import { useSuggestions } from './SuggestionsContext';
import { coalesceAfterFrame } from '../ui/afterNextFrame';
import './suggestions.css';

/** The open suggestions in the order of the text, each a card with its decision and replies. */
export function SuggestionsPanel() {
  const [controller, snapshot] = useSuggestions();
  const { view, token } = useAgreementAccess();
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const now = useNow();
  // Re-read places when the text changes (remote edits can outdate a suggestion): once after the
  // frame that shows the change, and only while there is a suggestion to place. Every keystroke
  // is a transaction, and a render scheduled from one may run before the frame that shows it.
  const [tick, setTick] = useState(0);
  const anyOpen = snapshot.suggestions.some((s) => s.status === 'open');
  useEffect(() => {
    const editor = controller.currentEditor;
    if (!editor || !anyOpen) return;
    const reread = coalesceAfterFrame(() => setTick((t) => t + 1));
    editor.on('transaction', reread.schedule);
    // A change between the render that read the places and this subscription (the text arriving
    // just after the suggestions) would otherwise never be read: a card stayed without its change.
    reread.schedule();
    return () => {
      editor.off('transaction', reread.schedule);
      reread.cancel();
    };
  }, [controller, snapshot, anyOpen]);
  const open = snapshot.suggestions
    .filter((s) => s.status === 'open')
    .map((s) => ({ s, place: controller.place(s) }))
    .sort((a, b) => (a.place?.from ?? Infinity) - (b.place?.from ?? Infinity));
  return (
    <section className="panel suggestions" aria-labelledby="suggestions-title" data-testid="suggestions-panel" data-tick={tick}>
      <h2 className="panel__title" id="suggestions-title">
        Suggestions <span className="panel__count">{open.length}</span>
      </h2>
      {open.length > 0 && (
        <div className="suggestions__actions">
          <button
            type="button"
            className="button button--secondary button--small"
            title="The open suggestions over the live text, as Word tracked changes by their suggesters"
            onClick={() => {
              setDownloadError(null);
              downloadSuggestionsRedline(view.id, token).catch((err: Error) => setDownloadError(err.message));
            }}
          >
            Word redline (.docx)
          </button>
          <FormError message={downloadError} />
        </div>
      )}
      {/* A status region is read out only for what changes inside it once there: it stays, empty between drafts. */}
      <div role="status">
        {snapshot.draft && (
          // Until the draft is sent the panel would say "no open suggestions" to the person typing one.
          <p className="panel__hint suggestions__drafting" data-testid="suggestion-drafting">
            {startsParagraphs(snapshot.draft)
              ? 'Drafting a suggestion: it is sent when you click elsewhere.'
              : 'Drafting a suggestion: it is sent when you pause typing.'}
          </p>
        )}
      </div>
      {open.length === 0
        ? !snapshot.draft && <p className="panel__hint">No open suggestions. Switch to Suggesting to propose wording without changing the text.</p>
        : open.map(({ s, place }) => <SuggestionCard key={s.id} s={s} place={place} controller={controller} now={now} />)}
    </section>
  );
}
