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
