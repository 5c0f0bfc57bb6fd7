import type { TemplateName } from '#shared/template';

const CHOICES: { value: TemplateName; label: string; hint: string }[] = [
  {
    value: 'partnering',
    label: 'Partnering agreement template',
    hint: 'Sections for parties, vision, objectives, quick wins, governance and more, each with a prompt.',
  },
  { value: 'blank', label: 'Blank page', hint: 'Start from nothing.' },
];

/** Which first text a new agreement gets. */
export function TemplateChoice({ value, onChange }: { value: TemplateName; onChange: (value: TemplateName) => void }) {
  return (
    <fieldset className="template-choice">
      <legend>Start from</legend>
      {CHOICES.map((c) => (
        <label key={c.value} className="template-choice__option">
          <input type="radio" name="template" value={c.value} checked={value === c.value} onChange={() => onChange(c.value)} />
          <span>
            <strong>{c.label}</strong>
            <br />
            <small>{c.hint}</small>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
