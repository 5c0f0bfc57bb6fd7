import { useId, type ReactNode } from 'react';

interface ControlProps {
  id: string;
  'aria-describedby'?: string;
}

interface Props {
  label: string;
  hint?: ReactNode;
  /** Shown as a warning under the control. */
  warning?: ReactNode;
  children: (control: ControlProps) => ReactNode;
}

/** A labelled form control with an optional hint, wired for assistive technology. */
export function Field({ label, hint, warning, children }: Props) {
  const id = useId();
  const hintId = `${id}-hint`;
  const described = hint || warning ? hintId : undefined;
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {children({ id, 'aria-describedby': described })}
      {(hint || warning) && (
        <span className={`field__hint${warning ? ' field__hint--warn' : ''}`} id={hintId}>
          {warning ?? hint}
        </span>
      )}
    </div>
  );
}
