import { Fragment, useState } from 'react';
import { STANCE_LABELS } from '#shared/objectives';
import { ROLE_LABELS } from '#shared/roles';
import { numberedByTitles } from '#shared/sectionNumbers';
import { roundTextChangedLine, roundWordingLine, type Minutes, type MinutesItem } from '#shared/sessions';
import { EXPORT_FORMATS, type ExportFormat } from '#shared/snapshots';
import { useAgreementAccess } from '../../agreement/AgreementContext';
import { formatDateTime, formatDay, formatTime, formatZone } from '../../ui/When';
import { sessionApi } from './sessionApi';
import { FormError } from '../../ui/FormError';

const FORMAT_LABELS: Record<ExportFormat, string> = { md: 'Markdown', html: 'HTML', docx: 'Word (.docx)' };
const mins = (seconds: number) => `${Math.round(seconds / 60)} min`;

function Lines({ label, lines }: { label: string; lines: string[] }) {
  if (lines.length === 0) return null;
  return (
    <>
      <h5>{label}</h5>
      <ul>
        {lines.map((line, i) => (
          <li key={i}>{line}</li>
        ))}
      </ul>
    </>
  );
}

function Item({ item }: { item: MinutesItem }) {
  const { view } = useAgreementAccess();
  const party = (id: string) => view.parties.find((p) => p.id === id)?.name ?? id;
  return (
    <li className="minutes__item" data-testid="minutes-item">
      <h4>
        {item.title}{' '}
        <span className="panel__hint">
          {item.takenUp === false ? `not taken up (${item.plannedMinutes} min planned)` : `${mins(item.spentSeconds)} of ${item.plannedMinutes} min`}
        </span>
      </h4>
      <Lines label="Decisions" lines={item.decisions.map((d) => d.text)} />
      {item.rounds.map((r) => (
        <Fragment key={r.id}>
          <Lines
            label={`Consent round on “${r.objectiveTitle}”`}
            lines={(r.results ?? []).map(
              (res) => `${party(res.party)}: ${res.answer === 'no_answer' ? 'No answer' : STANCE_LABELS[res.answer]}${res.reason ? ` (${res.reason})` : ''}`,
            )}
          />
          {r.wording && <p className="panel__hint">{roundWordingLine(r.wording)}</p>}
          {r.textAtClose && <p className="panel__hint">{roundTextChangedLine(r.textAtClose)}</p>}
        </Fragment>
      ))}
      <Lines label="Stances changed" lines={item.stancesChanged.map((s) => s.text)} />
      {/* Absent in minutes written before they were kept. */}
      <Lines label="Suggestions accepted or rejected" lines={(item.suggestionsDecided ?? []).map((s) => s.text)} />
      <Lines label="Threads opened" lines={item.threadsOpened.map((t) => `${t.by.name}: ${t.quote ?? 'a thread'}`)} />
      <Lines label="Threads resolved" lines={item.threadsResolved.map((t) => `${t.by.name}: ${t.quote ?? 'a thread'}`)} />
      <Lines label="Parked" lines={item.parked.map((p) => p.note)} />
      <Lines label="Actions" lines={item.actions.map((a) => `${a.what}: ${a.owner.name}${a.due ? `, due ${formatDay(a.due)}` : ''}`)} />
      <Lines label="Quick wins and actions marked" lines={(item.progressMarked ?? []).map((p) => `${p.by.name}: ${p.text}`)} />
    </li>
  );
}

/** A session's minutes as the server wrote them, with their exports. */
export function MinutesView({ minutes, onClose }: { minutes: Minutes; onClose: () => void }) {
  const { view, token } = useAgreementAccess();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="history-overlay" role="dialog" aria-modal="true" aria-labelledby="minutes-title">
      <article className="history-overlay__body minutes" data-testid="minutes">
        <header className="minutes__header">
          <h3 id="minutes-title">Minutes: {minutes.title}</h3>
          <button type="button" className="button button--ghost button--small" onClick={onClose}>
            Close
          </button>
        </header>
        <p>
          {formatDateTime(minutes.startedAt)}–{formatTime(minutes.endedAt)} ({mins(minutes.durationSeconds)})
          {minutes.snapshot && <> · text snapshot “{minutes.snapshot.label}”</>}
        </p>
        {/* A reviewer quotes these beside the exported minutes, which give every time in UTC. */}
        <p className="panel__hint">Times are in your time zone ({formatZone(minutes.startedAt)}); the exported minutes give them in UTC.</p>
        <div className="history-exports" role="group" aria-label="Export the minutes">
          {EXPORT_FORMATS.map((format) => (
            <button
              key={format}
              type="button"
              className="button button--secondary button--small"
              onClick={() => sessionApi.exportMinutes(view.id, token, minutes.sessionId, format).catch((err: Error) => setError(err.message))}
            >
              {FORMAT_LABELS[format]}
            </button>
          ))}
        </div>
        <FormError message={error} />
        <h4>Attendees</h4>
        <ul data-testid="minutes-attendees">
          {minutes.attendees.map((a) => (
            <li key={a.personId}>
              {a.name}, {ROLE_LABELS[a.role]}
              {a.partyName && `, ${a.partyName}`}: {a.present.map((p) => `${formatTime(p.joinedAt)}–${formatTime(p.leftAt)}`).join(', ')}
            </li>
          ))}
        </ul>
        {minutes.absentParties.length > 0 && <p>Parties with nobody present: {minutes.absentParties.join(', ')}</p>}
        <h4>Agenda</h4>
        {/* Numbered as the session bar numbered the agenda: by the sections' own numbers when they carry them. */}
        <ol className={numberedByTitles(minutes.items) ? 'minutes__items minutes__items--own-numbers' : 'minutes__items'}>
          {minutes.items.map((item) => (
            <Item key={item.itemId} item={item} />
          ))}
        </ol>
        {minutes.openParked.length > 0 && <Lines label="Parked points still open" lines={minutes.openParked.map((p) => p.note)} />}
      </article>
    </div>
  );
}
