import { memo, useCallback, useLayoutEffect, useRef, type FocusEvent, type FormEvent, type KeyboardEvent } from 'react';
import { yUndoPluginKey } from '@tiptap/y-tiptap';
import { NodeViewContent, NodeViewWrapper, type ReactNodeViewProps } from '@tiptap/react';
import { canonicalObjective } from '#shared/objectives';
import type { ObjectiveAttrs, ObjectiveTextFactKey } from '#shared/objective';
import { OBJECTIVE_FACTS, factInWords } from '#shared/objectiveFacts';
import { canEditObjective } from '#shared/objectiveOwnership';
import type { AgreementView } from '#shared/protocol';
import { useAgreementAccess } from '../agreement/AgreementContext';
import { useSuggesting } from '../suggestions/SuggestionsContext';
import { useHash } from './hash';
import { StanceBar } from './StanceBar';
import { FactInput } from './FactInput';
import { changeFactField, factFieldText, type TextChange } from './factText';
import { historyKey } from './historyKeys';
import { TargetDateField } from './TargetDateField';
import { QuickWinDelivered } from './QuickWinDelivered';
import { PartBoundary } from '../ui/PartBoundary';
import { canChangeText } from '../editor/readingMode';
import { useControlsNearScreen } from './controlsNearScreen';
import { ObjectiveFactsStandIn, ObjectiveHeadStandIn } from './ObjectiveStandIns';
import { controlName, scopeChoices, scopeKind } from './controlNames';

type SetAttrs = (patch: Partial<ObjectiveAttrs>) => void;
type ChangeFact = (key: ObjectiveTextFactKey, change: TextChange, base: string) => void;
type Parties = AgreementView['parties'];

/**
 * The objective block in the editor: its text fields live, its facts as form controls, the stances below.
 * It renders on every keystroke in its text (inside the keystroke's task), so the parts that do not
 * show the text are memoized on the attributes they show.
 */
export function ObjectiveView({ node, updateAttributes, editor, getPos }: ReactNodeViewProps) {
  const { view } = useAgreementAccess();
  const owners = factFieldText(node, 'owners');
  const indicators = factFieldText(node, 'indicators');
  // Owners and indicators are fields of their own; until the server has moved them there (a text stored before), the attributes.
  const attrs = {
    ...(node.attrs as ObjectiveAttrs),
    owners: owners ?? (node.attrs.owners as string),
    indicators: indicators ?? (node.attrs.indicators as string),
  };
  const hash = useHash(canonicalObjective(node.toJSON()));
  const owner = view.parties.find((p) => p.id === attrs.scope);
  // Another party's own objective: its negotiators and the broker write it; others comment.
  const mine = canEditObjective(view.me, attrs.scope);
  // A suggestion holds text only: in Suggesting mode the facts' controls would take a change and drop it unseen.
  const suggesting = useSuggesting();
  const writer = canChangeText(editor);
  const editable = writer && mine && !suggesting;
  const update = useRef(updateAttributes);
  update.current = updateAttributes;
  const set = useCallback<SetAttrs>((patch) => update.current(patch), []);
  const where = useRef(getPos);
  where.current = getPos;
  const changeFact = useCallback<ChangeFact>(
    (key, change, base) => {
      const pos = where.current();
      if (typeof pos === 'number') changeFactField(editor, pos, key, change, base);
    },
    [editor],
  );
  // Each control's name says which objective it belongs to: a screen reader moving from field to field hears no block around it.
  const title = node.firstChild?.textContent.trim() ?? '';
  const named = title ? `“${title}”` : 'an untitled objective';
  // The form controls are made when the objective comes near the screen; stand-ins until then.
  const block = useRef<HTMLElement>(null);
  const { made, makeNow } = useControlsNearScreen(attrs.id, block);
  /** The control whose stand-in took the focus or a click: once made, it takes the focus, and the click. */
  const focusOnMade = useRef<{ name: string; clicked: boolean } | null>(null);
  const wake = useCallback(
    (controlName: string, clicked: boolean) => {
      focusOnMade.current = { name: controlName, clicked: clicked || focusOnMade.current?.clicked === true };
      makeNow();
    },
    [makeNow],
  );
  /** What the facts' controls and their stand-ins show alike. */
  const facts = {
    owners: attrs.owners,
    indicators: attrs.indicators,
    targetDate: attrs.targetDate,
    editable,
    typable: owners !== null && indicators !== null,
    named,
  };
  useLayoutEffect(() => {
    const wanted = focusOnMade.current;
    if (!made || wanted === null) return;
    focusOnMade.current = null;
    const controls = block.current?.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select') ?? [];
    const control = [...controls].find((c) => c.getAttribute('aria-label') === wanted.name);
    control?.focus();
    if (control && wanted.clicked) handOnClick(control);
  }, [made]);

  return (
    <NodeViewWrapper
      ref={block}
      as="section"
      className={`objective${attrs.quickWin ? ' objective--quick-win' : ''}${writer && !mine ? ' objective--foreign' : ''}`}
      data-objective-id={attrs.id}
      data-testid="objective"
      data-editable={editable ? 'true' : 'false'}
      style={owner ? { borderLeftColor: owner.color } : undefined}
      onFocus={(event: FocusEvent<HTMLElement>) => {
        // A change made in a control is an undo step of its own, not part of the words typed just before.
        // Only the block's own controls: React passes on events of what it shows elsewhere (an overlay) too.
        if (event.currentTarget.contains(event.target) && !(event.target as HTMLElement).closest('.objective__fields'))
          yUndoPluginKey.getState(editor.state)?.undoManager.stopCapturing();
      }}
      onKeyDown={(event: KeyboardEvent<HTMLElement>) => {
        // The controls sit in the text but outside its editable parts, where the editor does not take
        // the shortcut: Chromium's own undo then reverted the last words typed into the text, behind the editor's back.
        const wanted = historyKey(event);
        if (!wanted || !event.currentTarget.contains(event.target as Node) || (event.target as HTMLElement).closest('.objective__fields, .stances__reason'))
          return;
        event.preventDefault();
        if (wanted === 'undo') editor.commands.undo();
        else editor.commands.redo();
      }}
    >
      <PartBoundary what="whose objective this is">
        {made ? (
          <ObjectiveHead scope={attrs.scope} quickWin={attrs.quickWin} editable={editable} set={set} named={named} />
        ) : (
          <ObjectiveHeadStandIn scope={attrs.scope} quickWin={attrs.quickWin} editable={editable} named={named} wake={wake} />
        )}
      </PartBoundary>
      {writer && !mine && (
        <p className="objective__owner-note" contentEditable={false} data-testid="objective-owner-note">
          This objective belongs to {owner?.name ?? 'another party'}: only its negotiators and the broker can change it. Select its text to comment, or suggest
          a change in Suggesting mode.
        </p>
      )}
      {suggesting && mine && (
        <p className="objective__owner-note" contentEditable={false} data-testid="objective-suggest-note">
          Suggestions hold an objective’s text only: whose objective it is, quick win, owners, indicators and target date are changed in Editing mode. Select
          its text to comment on them.
        </p>
      )}
      <NodeViewContent className="objective__fields" />
      {/* The text's fields stay whatever the rest does: each part below fails alone. */}
      <PartBoundary what="this objective's owners, indicators and target date">
        {made ? <ObjectiveFacts {...facts} set={set} changeFact={changeFact} /> : <ObjectiveFactsStandIn {...facts} wake={wake} />}
        <PrintedFacts attrs={attrs} parties={view.parties} />
      </PartBoundary>
      {/* Only a quick win is delivered; one that stops being one keeps its record, unseen. */}
      {attrs.quickWin && (
        <PartBoundary what="whether this quick win is delivered">
          <QuickWinDelivered objectiveId={attrs.id} scope={attrs.scope} named={named} made={made} wake={wake} />
        </PartBoundary>
      )}
      <PartBoundary what="the parties' stances on this objective">
        <StanceBar objectiveId={attrs.id} hash={hash} named={named} />
      </PartBoundary>
    </NodeViewWrapper>
  );
}

/**
 * The head and the facts are each a form of their own (never submitted): Chromium's autofill reads
 * every field of a form after each key typed in one of them and after each change of a select, and
 * fields outside any form all count as one form, so on a 60-page agreement each key typed in an
 * objective's owners cost 7 to 10 ms (tasks of up to 24) reading all thirty objectives' fields
 * (bench/client/factTyping.ts).
 * Neither holds a button, and three of the facts' fields are text, so Enter submits nothing.
 */
const preventSubmit = (event: FormEvent) => event.preventDefault();

const ObjectiveHead = memo(function ObjectiveHead(props: { scope: string; quickWin: boolean; editable: boolean; set: SetAttrs; named: string }) {
  const { scope, quickWin, editable, set, named } = props;
  const { view } = useAgreementAccess();
  return (
    <form className="objective__head" contentEditable={false} onSubmit={preventSubmit}>
      <span className="objective__kind">{scopeKind(view, scope)}</span>
      <select aria-label={controlName.scope(named)} value={scope} disabled={!editable} onChange={(e) => set({ scope: e.target.value })}>
        {scopeChoices(view, scope).map((choice) => (
          <option key={choice.id} value={choice.id}>
            {choice.label}
          </option>
        ))}
      </select>
      <label className="objective__quick-win">
        <input
          type="checkbox"
          aria-label={controlName.quickWin(named)}
          checked={quickWin}
          disabled={!editable}
          onChange={(e) => set({ quickWin: e.target.checked })}
        />{' '}
        Quick win
      </label>
    </form>
  );
});

const ObjectiveFacts = memo(function ObjectiveFacts(props: {
  owners: string;
  indicators: string;
  targetDate: string;
  editable: boolean;
  /** Whether the objective has its owners and indicators fields to type into. */
  typable: boolean;
  set: SetAttrs;
  changeFact: ChangeFact;
  named: string;
}) {
  const { owners, indicators, targetDate, editable, typable, set, changeFact, named } = props;
  return (
    <form className="objective__facts" contentEditable={false} onSubmit={preventSubmit}>
      <FactInput
        label="Owners"
        named={named}
        value={owners}
        maxLength={300}
        editable={editable && typable}
        onChange={(change, base) => changeFact('owners', change, base)}
      />
      <FactInput
        label="Indicators"
        named={named}
        value={indicators}
        maxLength={500}
        editable={editable && typable}
        onChange={(change, base) => changeFact('indicators', change, base)}
      />
      <label>
        Target date
        <TargetDateField value={targetDate} label={controlName.targetDate(named)} editable={editable} set={(day) => set({ targetDate: day })} />
      </label>
    </form>
  );
});

/** Paper shows every fact as text, without the controls. */
const PrintedFacts = memo(
  function PrintedFacts({ attrs, parties }: { attrs: ObjectiveAttrs; parties: Parties }) {
    return (
      <dl className="objective__print-facts" contentEditable={false} data-testid="objective-print-facts">
        {OBJECTIVE_FACTS.map((f) => (
          <div key={f.key}>
            <dt>{f.label}</dt>
            <dd>{factInWords(f.key, attrs[f.key], parties)}</dd>
          </div>
        ))}
      </dl>
    );
  },
  // A remote change brings a new attrs object with the same facts.
  (a, b) => a.parties === b.parties && OBJECTIVE_FACTS.every((f) => a.attrs[f.key] === b.attrs[f.key]),
);

/**
 * What a click on a control does, for a click its stand-in took: a box is ticked (its change reaches
 * React as a person's would), a choice opens its list. A field only needed the focus it has.
 */
function handOnClick(control: HTMLInputElement | HTMLSelectElement): void {
  if (control instanceof HTMLInputElement) {
    if (control.type === 'checkbox') control.click();
    return;
  }
  try {
    // Allowed while the click's activation lasts; a browser without it leaves the choice focused.
    control.showPicker();
  } catch {
    // focused, as the keyboard leaves it
  }
}
