import { useLayoutEffect, useRef, useState } from 'react';
import { simpleDiffString, simpleDiffStringWithCursor } from 'lib0/diff';
import { mapOffset, type TextChange } from './factText';
import { wordTextForInput } from '../paste/wordTextForInput';
import { controlName } from './controlNames';

interface Props {
  label: string;
  /** The objective it belongs to, in words, for its name. */
  named: string;
  /** The fact's text as the shared text holds it now. */
  value: string;
  maxLength: number;
  editable: boolean;
  /** Makes a change to the fact's text in the shared text, read against `base`, the text the person changed. */
  onChange(change: TextChange, base: string): void;
}

/**
 * An objective fact typed as text (owners, indicators). Its text is a field of the objective in the
 * shared text, merged character by character: each keystroke sends only what it changed, and the
 * words others type arrive live around the person's own, the caret kept where they were typing.
 */
export function FactInput({ label, named, value, maxLength, editable, onChange }: Props) {
  const input = useRef<HTMLInputElement>(null);
  // What the input shows: ahead of `value` between a keystroke and the view drawing the text it made.
  const [shown, setShown] = useState(value);
  const shownNow = useRef(value);
  const sent = useRef(value);
  // The characters of a paste refused for its length: the browser would have cut it at maxLength without a word.
  const [refusedPaste, setRefusedPaste] = useState<number | null>(null);
  // The tracked changes a paste from Word held, accepted: told until the person changes the words again.
  const [acceptedChanges, setAcceptedChanges] = useState(0);

  const latest = useRef(value);
  latest.current = value;
  // While an input method composes (Japanese, Chinese, Korean), the input's text is not set from outside:
  // Chromium then ends the composition, and its next keystroke writes the preedit again beside the old one.
  // Others' words wait for the committed word and arrive with it.
  const composing = useRef(false);
  // A change sent whose text has not come back as `value` yet: `value` is older than the input's text.
  const awaitingOwn = useRef(false);

  /** Shows the shared text's words from others (or an undo), the caret kept where the person was typing. */
  const showOthersWords = () => {
    const value = latest.current;
    // Only a change that did not come from this input (another person's words, an undo) moves the text under the caret.
    if (value === sent.current) return;
    sent.current = value;
    const before = shownNow.current;
    if (value === before) return;
    const el = input.current;
    const caret = el && document.activeElement === el ? [el.selectionStart ?? 0, el.selectionEnd ?? 0] : null;
    shownNow.current = value;
    setShown(value);
    if (el && caret) {
      const change = simpleDiffString(before, value);
      // After React wrote the value, which puts the caret at the end.
      queueMicrotask(() => el.setSelectionRange(mapOffset(caret[0], change), mapOffset(caret[1], change)));
    }
  };

  useLayoutEffect(() => {
    awaitingOwn.current = false;
    if (!composing.current) showOthersWords();
  }, [value]);

  return (
    <label>
      {label}
      <input
        ref={input}
        // Named by the label's words and the objective's.
        aria-label={controlName.fact(label, named)}
        value={shown}
        readOnly={!editable}
        maxLength={maxLength}
        onCompositionStart={() => (composing.current = true)}
        onCompositionEnd={() => {
          composing.current = false;
          // The committed word's own change, still on its way, brings the words held meanwhile.
          if (!awaitingOwn.current) showOthersWords();
        }}
        onPaste={(e) => {
          const el = e.currentTarget;
          if (!editable) return;
          // A copy from Word holding tracked changes comes in accepted, as in the text's other fields.
          const accepted = wordTextForInput(e.clipboardData.getData('text/html'));
          // A line break pasted into the input becomes one character (a space).
          const pasted = accepted?.text ?? e.clipboardData.getData('text/plain').replace(/\r\n?/g, '\n');
          const kept = el.value.length - ((el.selectionEnd ?? 0) - (el.selectionStart ?? 0));
          if (kept + pasted.length > maxLength) {
            e.preventDefault();
            return setRefusedPaste(pasted.length);
          }
          setRefusedPaste(null);
          if (accepted === null) return;
          e.preventDefault();
          // Typed in as the browser's own paste is (its input event, its undo), with the accepted words.
          document.execCommand('insertText', false, accepted.text);
          setAcceptedChanges(accepted.trackedChanges);
        }}
        onChange={(e) => {
          setRefusedPaste(null);
          setAcceptedChanges(0);
          const next = e.target.value;
          const base = shownNow.current;
          shownNow.current = next;
          sent.current = next;
          awaitingOwn.current = true;
          setShown(next);
          onChange(simpleDiffStringWithCursor(base, next, e.target.selectionEnd ?? next.length), base);
        }}
      />
      {acceptedChanges > 0 && (
        // As a paste into the text is told, without its "paste while suggesting": these boxes take no suggestion.
        <span role="status" className="objective__fact-accepted" data-testid="fact-paste-accepted">
          {acceptedChanges === 1 ? '1 tracked change' : `${acceptedChanges} tracked changes`} in what you pasted {acceptedChanges === 1 ? 'was' : 'were'}{' '}
          accepted: the words are as Word shows them with changes accepted.
        </span>
      )}
      {refusedPaste !== null && (
        <span role="alert" className="objective__fact-refused">
          That is {refusedPaste} characters, and the {label.toLowerCase()} hold at most {maxLength} in all. Nothing was pasted.
        </span>
      )}
    </label>
  );
}
