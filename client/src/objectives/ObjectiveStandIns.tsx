import type { ReactNode } from 'react';
import { useAgreementAccess } from '../agreement/AgreementContext';
import { Day } from '../ui/When';
import { controlName, scopeChoices, scopeKind } from './controlNames';

/**
 * What an objective shows in place of its form controls until it comes near the screen
 * (controlsNearScreen.ts): the same values, in boxes of the controls' size, with no form field in them.
 *
 * Each stand-in says to assistive technology what its control says (role, name, value, whether it
 * can be changed), so a screen reader's list of fields and a keyboard's Tab reach every objective's
 * controls. Focusing one makes the objective's controls, and the focus moves to the control it stood
 * for (`wake`, with the control's name); a click on one is handed on to that control as well.
 */
type Wake = (controlName: string, clicked: boolean) => void;

function StandIn(props: {
  role: 'combobox' | 'checkbox' | 'textbox';
  /** The control's accessible name: also how the real control is found once made. */
  name: string;
  /** A disabled control: no Tab stop, as a disabled form control has none. */
  disabled?: boolean;
  readOnly?: boolean;
  checked?: boolean;
  className: string;
  wake: Wake;
  children?: ReactNode;
}) {
  const { role, name, disabled = false, readOnly = false, checked, className, wake, children } = props;
  return (
    <span
      role={role}
      aria-label={name}
      aria-disabled={disabled || undefined}
      aria-readonly={(role === 'textbox' && readOnly) || undefined}
      aria-checked={role === 'checkbox' ? !!checked : undefined}
      aria-expanded={role === 'combobox' ? false : undefined}
      tabIndex={disabled ? undefined : 0}
      className={`objective__stand-in ${className}`}
      data-checked={role === 'checkbox' ? String(!!checked) : undefined}
      // A press of the mouse leaves the focus where it is, so the stand-in is still there for the click,
      // which makes the control and is handed on to it (a box ticked). A screen reader's activation is a
      // click with no press or focus before it, and is handed on the same way.
      onMouseDown={(event) => {
        if (!disabled) event.preventDefault();
      }}
      onClick={() => {
        if (!disabled) wake(name, true);
      }}
      onFocus={() => wake(name, false)}
    >
      {children}
    </span>
  );
}

export function ObjectiveHeadStandIn(props: { scope: string; quickWin: boolean; editable: boolean; named: string; wake: Wake }) {
  const { scope, quickWin, editable, named, wake } = props;
  const { view } = useAgreementAccess();
  const choices = scopeChoices(view, scope);
  // A scope naming no party reads as shared, as the head's word for it says.
  const chosen = choices.some((choice) => choice.id === scope) ? scope : 'shared';
  return (
    <div className="objective__head" contentEditable={false}>
      <span className="objective__kind">{scopeKind(view, scope)}</span>
      <StandIn role="combobox" name={controlName.scope(named)} disabled={!editable} className="objective__stand-in--select" wake={wake}>
        {/* Every choice the select holds, in one cell, only the chosen one seen: the select's width is its widest choice's. */}
        <span className="objective__stand-in-choices">
          {choices.map((choice) => (
            <span key={choice.id} hidden={choice.id !== chosen} aria-hidden={choice.id !== chosen || undefined}>
              {choice.label}
            </span>
          ))}
        </span>
      </StandIn>
      <span className="objective__quick-win">
        <StandIn role="checkbox" name={controlName.quickWin(named)} checked={quickWin} disabled={!editable} className="objective__stand-in--box" wake={wake} />{' '}
        Quick win
      </span>
    </div>
  );
}

export function ObjectiveFactsStandIn(props: {
  owners: string;
  indicators: string;
  targetDate: string;
  editable: boolean;
  typable: boolean;
  named: string;
  wake: Wake;
}) {
  const { owners, indicators, targetDate, editable, typable, named, wake } = props;
  const textbox = (label: string, value: string) => (
    <span className="objective__fact">
      {label}
      <StandIn role="textbox" name={controlName.fact(label, named)} readOnly={!(editable && typable)} className="objective__stand-in--input" wake={wake}>
        {value}
      </StandIn>
    </span>
  );
  return (
    <div className="objective__facts" contentEditable={false}>
      {textbox('Owners', owners)}
      {textbox('Indicators', indicators)}
      <span className="objective__fact">
        Target date
        <span className="objective__date">
          <StandIn role="textbox" name={controlName.targetDate(named)} readOnly={!editable} className="objective__stand-in--input" wake={wake}>
            {targetDate && <Day day={targetDate} />}
          </StandIn>
        </span>
      </span>
    </div>
  );
}

/** A quick win's "Delivered" box, for those who may mark it. */
export function DeliveredStandIn({ delivered, name, wake }: { delivered: boolean; name: string; wake: Wake }) {
  return (
    <span className="objective__delivered-box">
      <StandIn role="checkbox" name={name} checked={delivered} className="objective__stand-in--box" wake={wake} />
      Delivered
    </span>
  );
}
