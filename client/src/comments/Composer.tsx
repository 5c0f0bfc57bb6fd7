import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { MAX_COMMENT_LENGTH, type Mention } from '#shared/threads';
import { ROLE_LABELS, type Role } from '#shared/roles';
import { useHoldPageOpen } from '../ui/leaveGuard';

/** Someone or some party that can be mentioned with `@`. */
export interface MentionCandidate extends Mention {
  detail: string;
  color: string;
}

interface Props {
  label: string;
  submitLabel: string;
  candidates: MentionCandidate[];
  onSubmit: (body: string, mentions: Mention[]) => Promise<void>;
  onCancel?: () => void;
  initialBody?: string;
  initialMentions?: Mention[];
  /** Text written earlier in this field and kept while it was not shown: it starts with it. */
  restoredBody?: string;
  /** Told the text as it changes, to keep it while the field is not shown (sent or cancelled: ''). */
  onBodyChange?: (body: string) => void;
  placeholder?: string;
  autoFocus?: boolean;
  /** Show only a one-line field until it is focused (for replies). */
  compact?: boolean;
}

/** The field's text as it stands now (typed while a comment was being sent), or what was sent if the field is gone. */
const fieldValue = (field: HTMLTextAreaElement | null, sent: string) => field?.value ?? sent;

/** What is left to write once `sent` has gone: the words typed after it, or the new text that replaced it. */
function keptAfterSending(now: string, sent: string): string {
  if (now === sent) return '';
  return now.startsWith(sent) ? now.slice(sent.length).trimStart() : now;
}

/** The `@query` being typed just before the caret, if any. */
function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const match = /(^|\s)@([^@\n]{0,40})$/.exec(before);
  if (!match) return null;
  return { start: caret - match[2].length - 1, query: match[2] };
}

function matches(candidate: MentionCandidate, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  const name = candidate.name.toLowerCase();
  return name.startsWith(q) || name.split(/\s+/).some((word) => word.startsWith(q)) || name.includes(q);
}

export function roleDetail(role: Role, partyName?: string): string {
  return partyName ? `${ROLE_LABELS[role]} · ${partyName}` : ROLE_LABELS[role];
}

/** A comment field with an `@` picker for people and parties; Ctrl+Enter sends. */
export function Composer({
  label,
  submitLabel,
  candidates,
  onSubmit,
  onCancel,
  initialBody = '',
  initialMentions = [],
  restoredBody,
  onBodyChange,
  placeholder,
  autoFocus,
  compact,
}: Props) {
  const id = useId();
  const [body, setBody] = useState(restoredBody ?? initialBody);
  const [picked, setPicked] = useState<Mention[]>(initialMentions);
  const [caret, setCaret] = useState(0);
  const [highlighted, setHighlighted] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [expanded, setExpanded] = useState(!compact || (restoredBody ?? initialBody) !== '');
  const field = useRef<HTMLTextAreaElement>(null);
  // A comment being written lives only in this field: closing the tab would lose it.
  useHoldPageOpen(body.trim() !== '' && body !== initialBody);
  useEffect(() => onBodyChange?.(body), [body]);

  useEffect(() => {
    if (autoFocus) field.current?.focus();
  }, [autoFocus]);

  const query = mentionQuery(body, caret);
  const queryText = query?.query ?? null;
  const options = useMemo(() => (queryText === null ? [] : candidates.filter((c) => matches(c, queryText)).slice(0, 8)), [candidates, queryText]);
  const open = query !== null && options.length > 0 && dismissedAt !== query.start;

  const pick = (candidate: MentionCandidate) => {
    if (!query) return;
    const inserted = `@${candidate.name} `;
    const next = body.slice(0, query.start) + inserted + body.slice(caret);
    const at = query.start + inserted.length;
    setBody(next);
    setPicked((prev) =>
      prev.some((m) => m.kind === candidate.kind && m.id === candidate.id) ? prev : [...prev, { kind: candidate.kind, id: candidate.id, name: candidate.name }],
    );
    setCaret(at);
    requestAnimationFrame(() => {
      field.current?.focus();
      field.current?.setSelectionRange(at, at);
    });
  };

  const submit = async () => {
    const text = body.trim();
    if (!text || busy) return;
    setBusy(true);
    setError(null);
    try {
      await onSubmit(
        text,
        picked.filter((m) => text.includes(`@${m.name}`)),
      );
      // The field stays open while it is sent: what was written meanwhile is kept, only what was sent goes.
      const rest = keptAfterSending(fieldValue(field.current, body), body);
      setBody(rest);
      setPicked((now) => now.filter((m) => rest.includes(`@${m.name}`)));
      if (compact && !rest) setExpanded(false);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Could not send the comment.');
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (open) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setHighlighted((h) => (h + step + options.length) % options.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        pick(options[Math.min(highlighted, options.length - 1)]);
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        setDismissedAt(query?.start ?? null);
        return;
      }
    }
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void submit();
    } else if (event.key === 'Escape' && onCancel) {
      event.preventDefault();
      onCancel();
    }
  };

  const tooLong = body.length > MAX_COMMENT_LENGTH;
  return (
    <div className={`composer${expanded ? '' : ' composer--compact'}`}>
      <label htmlFor={`${id}-field`} className="visually-hidden">
        {label}
      </label>
      <textarea
        ref={field}
        id={`${id}-field`}
        className="composer__field"
        value={body}
        rows={expanded ? 3 : 1}
        placeholder={placeholder}
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={open ? `${id}-mentions` : undefined}
        onFocus={() => setExpanded(true)}
        onChange={(e) => {
          setBody(e.target.value);
          setCaret(e.target.selectionStart);
          setHighlighted(0);
        }}
        onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
        onKeyDown={onKeyDown}
      />
      {open && (
        <ul className="mention-picker" id={`${id}-mentions`} role="listbox" aria-label="Mention someone">
          {options.map((option, i) => (
            <li
              key={`${option.kind}:${option.id}`}
              role="option"
              aria-selected={i === highlighted}
              className={`mention-picker__option${i === highlighted ? ' mention-picker__option--active' : ''}`}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(option);
              }}
              onMouseEnter={() => setHighlighted(i)}
            >
              <span className="mention-picker__swatch" style={{ backgroundColor: option.color }} aria-hidden="true" />
              <span className="mention-picker__name">{option.name}</span>
              <span className="mention-picker__detail">{option.detail}</span>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p className="form-error composer__error" role="alert">
          {error}
        </p>
      )}
      {expanded && (
        <div className="composer__actions">
          {tooLong && <span className="composer__limit">{body.length - MAX_COMMENT_LENGTH} characters over the limit</span>}
          {(onCancel || compact) && (
            <button
              type="button"
              className="button button--ghost button--small"
              disabled={busy}
              onClick={() => {
                if (compact) {
                  setBody('');
                  setPicked([]);
                  setExpanded(false);
                }
                onCancel?.();
              }}
            >
              Cancel
            </button>
          )}
          <button type="button" className="button button--small" onClick={() => void submit()} disabled={busy || !body.trim() || tooLong}>
            {busy ? 'Sending…' : submitLabel}
          </button>
        </div>
      )}
    </div>
  );
}
