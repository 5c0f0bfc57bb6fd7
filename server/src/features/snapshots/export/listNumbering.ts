/** The kinds of numbering an ordered list may have besides numbers, as HTML's `type` names them (the editor keeps a pasted list's). */
export const LIST_TYPES = ['a', 'A', 'i', 'I'] as const;
export type ListType = (typeof LIST_TYPES)[number];

/**
 * How an ordered list is numbered, as the editor shows it: from `start` (typing "3. " starts a
 * list at 3), in letters or roman numerals when `type` says so. A value no editor makes (text
 * stored before values were checked) reads as the default, as the editor reads it.
 */
export function listNumbering(attrs: Record<string, unknown> | undefined): { start: number; type: ListType | null } {
  const start = attrs?.start;
  const type = attrs?.type;
  return {
    start: Number.isSafeInteger(start) && (start as number) >= 0 ? (start as number) : 1,
    type: (LIST_TYPES as readonly unknown[]).includes(type) ? (type as ListType) : null,
  };
}

const ROMAN: [number, string][] = [
  [1000, 'm'],
  [900, 'cm'],
  [500, 'd'],
  [400, 'cd'],
  [100, 'c'],
  [90, 'xc'],
  [50, 'l'],
  [40, 'xl'],
  [10, 'x'],
  [9, 'ix'],
  [5, 'v'],
  [4, 'iv'],
  [1, 'i'],
];

/**
 * The number `n` as a list of `type` shows it (HTML's and the editor's rules): letters a to z, then aa,
 * ab…; roman numerals from 1 to 3999. Past those (0 in letters, 4000 in numerals) a browser shows digits,
 * and so does this.
 */
export function listLabel(n: number, type: ListType | null): string {
  if ((type === 'a' || type === 'A') && n >= 1) {
    let letters = '';
    for (let rest = n; rest > 0; rest = Math.floor((rest - 1) / 26)) letters = String.fromCharCode(97 + ((rest - 1) % 26)) + letters;
    return type === 'A' ? letters.toUpperCase() : letters;
  }
  if ((type === 'i' || type === 'I') && n >= 1 && n <= 3999) {
    let numeral = '';
    let rest = n;
    for (const [value, digits] of ROMAN) for (; rest >= value; rest -= value) numeral += digits;
    return type === 'I' ? numeral.toUpperCase() : numeral;
  }
  return String(n);
}
