import { useMemo, useState, type KeyboardEvent } from 'react';
import type { JSONContent } from '@tiptap/core';
import { OBJECTIVE } from '#shared/objective';
import { textOf } from '#shared/objectives';
import { numberedByTitles } from '#shared/sectionNumbers';
import type { AgendaItemInput } from '#shared/sessions';
import { useAgreement } from '../../agreement/AgreementContext';
import { useDocumentJSON } from '../../objectives/useDocumentJSON';

/** An agenda row being edited; `key` is local, `id` the server's (absent for new rows). */
export type AgendaDraft = AgendaItemInput & { key: string };

let nextKey = 0;
export const draftOf = (item: AgendaItemInput): AgendaDraft => ({ ...item, key: `row-${nextKey++}` });

type Choice = { value: string; item: AgendaItemInput };

/**
 * Sections and objectives of the text, in order, as agenda items to pick. A choice's value names
 * what the item will hold (a section's text, an objective's id), never its place in the outline:
 * a heading written above a picked one while the broker decides must not move the pick to a
 * neighbour. A section's value counts the headings of the same text before it, as the item cannot
 * tell them apart anyway.
 */
function choicesOf(doc: JSONContent | null): Choice[] {
  const choices: Choice[] = [];
  const seen = new Map<string, number>();
  const visit = (node: JSONContent) => {
    if (node.type === 'heading') {
      const text = textOf(node).trim();
      if (!text) return;
      const before = seen.get(text) ?? 0;
      seen.set(text, before + 1);
      choices.push({ value: `s:${before}:${text}`, item: { kind: 'section', section: text, title: text, plannedMinutes: 15 } });
    } else if (node.type === OBJECTIVE) {
      const id = String(node.attrs?.id ?? '');
      const title = textOf(node.content?.[0] ?? {}).trim() || 'Untitled objective';
      if (id) choices.push({ value: `o:${id}`, item: { kind: 'objective', objectiveId: id, title, plannedMinutes: 20 } });
    } else node.content?.forEach(visit);
  };
  if (doc) visit(doc);
  return choices;
}

// The picker's groups name the kind, so an option is the bare title: "Objective: " before each
// left the side panel's picker too narrow for an objective of four words.
const GROUPS = [
  { kind: 'section', label: 'Sections' },
  { kind: 'objective', label: 'Objectives' },
] as const;

function move<T>(list: T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length || from === to) return list;
  const copy = [...list];
  const [moved] = copy.splice(from, 1);
  copy.splice(to, 0, moved);
  return copy;
}

/** Builds an agenda from the outline and free items; rows reorder by dragging or with Alt+Up / Alt+Down. */
export function AgendaEditor({ rows, onChange }: { rows: AgendaDraft[]; onChange: (rows: AgendaDraft[]) => void }) {
  const { session } = useAgreement();
  const doc = useDocumentJSON(session);
  const choices = useMemo(() => choicesOf(doc), [doc]);
  const [pick, setPick] = useState('');
  const picked = choices.find((c) => c.value === pick);
  // A picked section renamed or removed meanwhile leaves nothing picked: the placeholder shows and
  // Add waits, rather than a neighbour taking its place (or the pick coming back with an undo).
  if (pick && !picked) setPick('');
  const [free, setFree] = useState('');
  const [dragged, setDragged] = useState<number | null>(null);
  // Read out as the session bar will number the agenda: "2. Shared objectives", never "1. 2. Shared objectives".
  const ownNumbers = numberedByTitles(rows);

  const addFree = () => {
    if (!free.trim()) return;
    onChange([...rows, draftOf({ kind: 'free', title: free.trim(), plannedMinutes: 10 })]);
    setFree('');
  };
  const update = (i: number, change: Partial<AgendaItemInput>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...change } : r)));
  const onRowKey = (event: KeyboardEvent<HTMLLIElement>, i: number) => {
    if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    event.preventDefault();
    const to = event.key === 'ArrowUp' ? i - 1 : i + 1;
    onChange(move(rows, i, to));
    // Keep the keyboard on the row that moved.
    requestAnimationFrame(() => document.querySelectorAll<HTMLElement>('[data-testid="agenda-row"]')[to]?.focus());
  };

  return (
    <div className="agenda-editor">
      <ol className="agenda-editor__rows" aria-label="Agenda being planned">
        {rows.map((row, i) => (
          <li
            key={row.key}
            className={`agenda-editor__row ${dragged === i ? 'agenda-editor__row--dragged' : ''}`}
            data-testid="agenda-row"
            tabIndex={0}
            draggable
            aria-label={`${ownNumbers ? '' : `${i + 1}. `}${row.title}: Alt+Up or Alt+Down moves it`}
            onKeyDown={(e) => onRowKey(e, i)}
            onDragStart={() => setDragged(i)}
            onDragOver={(e) => e.preventDefault()}
            onDrop={() => {
              if (dragged !== null) onChange(move(rows, dragged, i));
              setDragged(null);
            }}
            onDragEnd={() => setDragged(null)}
          >
            <span className="agenda-editor__grip" aria-hidden="true">
              ⠿
            </span>
            {/* A title wraps onto the lines it needs: a one-line field cut "9. Indicators, monitoring, review and
                revision points" short in the side panel. The hidden copy of the title (data-value) sizes the field. */}
            <span className="agenda-editor__title" data-value={row.title}>
              <textarea
                rows={1}
                aria-label={`Title of item ${i + 1}`}
                value={row.title}
                maxLength={200}
                // A title is one line: Enter adds no line break, and a pasted one loses its breaks.
                onKeyDown={(e) => {
                  if (e.key === 'Enter') e.preventDefault();
                }}
                onChange={(e) => update(i, { title: e.target.value.replace(/[\r\n]+/g, ' ') })}
              />
            </span>
            <input
              className="agenda-editor__minutes"
              aria-label={`Minutes for ${row.title}`}
              type="number"
              min={1}
              max={600}
              value={row.plannedMinutes}
              onChange={(e) => update(i, { plannedMinutes: Math.max(1, Math.min(600, Number(e.target.value) || 1)) })}
            />
            {/* The minutes' unit, then what the item is (a section, an objective, a free item). */}
            <span className="agenda-editor__kind">min · {row.kind === 'free' ? 'free item' : row.kind}</span>
            <button
              type="button"
              className="icon-button agenda-editor__up"
              aria-label={`Move ${row.title} up`}
              disabled={i === 0}
              onClick={() => onChange(move(rows, i, i - 1))}
            >
              ↑
            </button>
            <button
              type="button"
              className="icon-button agenda-editor__down"
              aria-label={`Move ${row.title} down`}
              disabled={i === rows.length - 1}
              onClick={() => onChange(move(rows, i, i + 1))}
            >
              ↓
            </button>
            <button
              type="button"
              className="icon-button agenda-editor__remove"
              aria-label={`Remove ${row.title}`}
              onClick={() => onChange(rows.filter((_, j) => j !== i))}
            >
              ×
            </button>
          </li>
        ))}
      </ol>
      {/* A long title ends in an ellipsis in the picker; the button under it names the choice whole. */}
      <div className="agenda-editor__add agenda-editor__add--stacked">
        <select aria-label="Add from the outline" className="ellipsis-select" title={picked?.item.title} value={pick} onChange={(e) => setPick(e.target.value)}>
          <option value="">Add a section or objective…</option>
          {GROUPS.map((group) => {
            const inGroup = choices.filter((c) => c.item.kind === group.kind);
            return inGroup.length === 0 ? null : (
              <optgroup key={group.kind} label={group.label}>
                {inGroup.map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.item.title}
                  </option>
                ))}
              </optgroup>
            );
          })}
        </select>
        <button
          type="button"
          className="button button--secondary button--small agenda-editor__pick"
          disabled={!picked}
          onClick={() => {
            if (picked) onChange([...rows, draftOf(picked.item)]);
            setPick('');
          }}
        >
          {picked ? `Add “${picked.item.title}”` : 'Add'}
        </button>
      </div>
      {/* Not a form: the editor sits inside the console's own form. */}
      <div className="agenda-editor__add">
        <input
          aria-label="Free item"
          placeholder="Free item, e.g. Introductions"
          value={free}
          maxLength={200}
          onChange={(e) => setFree(e.target.value)}
          onKeyDown={(e) => {
            if (e.key !== 'Enter') return;
            e.preventDefault();
            addFree();
          }}
        />
        <button type="button" className="button button--secondary button--small" disabled={!free.trim()} onClick={addFree}>
          Add item
        </button>
      </div>
    </div>
  );
}
