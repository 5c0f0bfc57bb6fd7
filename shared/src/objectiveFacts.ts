import { dayInWords } from './dayInWords';
import type { ObjectiveAttrs } from './objective';

/**
 * An objective's facts: the attributes a party agrees to besides its text. Every place that
 * shows an objective to a reader (diff, snapshot viewer, exports, print) names them with
 * these labels and says their values in words.
 */
export const OBJECTIVE_FACTS = [
  { key: 'scope', label: 'Whose objective' },
  { key: 'quickWin', label: 'Quick win' },
  { key: 'owners', label: 'Owners' },
  { key: 'targetDate', label: 'Target date' },
  { key: 'indicators', label: 'Indicators' },
] as const satisfies readonly { key: keyof ObjectiveAttrs; label: string }[];
export type ObjectiveFactKey = (typeof OBJECTIVE_FACTS)[number]['key'];

/** What an attribute holds when it was never set (the schema's defaults). */
export const FACT_DEFAULTS: Record<ObjectiveFactKey, string | boolean> = { scope: 'shared', quickWin: false, owners: '', targetDate: '', indicators: '' };

export function factLabel(key: ObjectiveFactKey): string {
  return OBJECTIVE_FACTS.find((f) => f.key === key)?.label ?? key;
}

/** Whose objective it is, in words. */
export function scopeInWords(scope: unknown, parties: { id: string; name: string }[]): string {
  if (scope === undefined || scope === null || scope === '' || scope === 'shared') return 'Shared objective';
  return `Own objective of ${parties.find((p) => p.id === scope)?.name ?? 'a party no longer in the agreement'}`;
}

/** A fact's value as a reader should see it ("none" for an empty one). */
export function factInWords(key: ObjectiveFactKey, value: unknown, parties: { id: string; name: string }[]): string {
  switch (key) {
    case 'scope':
      return scopeInWords(value, parties);
    case 'quickWin':
      return value === true || value === 'true' ? 'yes' : 'no';
    case 'targetDate': {
      const text = typeof value === 'string' ? value : '';
      return text ? dayInWords(text) : 'none';
    }
    default:
      return typeof value === 'string' && value.trim() ? value.trim() : 'none';
  }
}

/** Two attribute values that mean the same fact (a missing attribute is its default). */
export function sameFact(key: ObjectiveFactKey, a: unknown, b: unknown): boolean {
  const norm = (v: unknown) => (v === undefined || v === null ? FACT_DEFAULTS[key] : key === 'quickWin' ? v === true || v === 'true' : String(v));
  return norm(a) === norm(b);
}
