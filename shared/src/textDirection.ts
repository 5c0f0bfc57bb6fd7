/** The scripts written right to left that people may write an agreement's clauses in. */
const RIGHT_TO_LEFT =
  /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}]/u;

/**
 * Whether a passage reads right to left: its first letter is of such a script, as a browser
 * decides for `dir="auto"` (digits and punctuation decide nothing). Exports that cannot ask the
 * reader's browser (Word) state each paragraph's direction with this.
 */
export function startsRightToLeft(text: string): boolean {
  const first = /\p{L}/u.exec(text)?.[0];
  return first !== undefined && RIGHT_TO_LEFT.test(first);
}

/**
 * Right-to-left stretches of a text: from one right-to-left character (with its marks) to the last one before a
 * left-to-right letter, whatever neutral characters and digits lie between.
 */
const RIGHT_TO_LEFT_STRETCH = new RegExp(`${RIGHT_TO_LEFT.source}\\p{M}*(?:[^\\p{L}]*${RIGHT_TO_LEFT.source}\\p{M}*)*`, 'gu');

/**
 * A text cut into its right-to-left stretches and the rest, in order. Word lays out the first as right-to-left runs
 * (`w:rtl`), which also forces every neutral character of the run (spaces, colons, dashes) right to left: a whole
 * mixed line marked so reads with its punctuation out of place, so only these stretches are, as Word marks its own.
 */
export function byDirection(text: string): { text: string; rightToLeft: boolean }[] {
  const parts: { text: string; rightToLeft: boolean }[] = [];
  let at = 0;
  for (const stretch of text.matchAll(RIGHT_TO_LEFT_STRETCH)) {
    if (stretch.index > at) parts.push({ text: text.slice(at, stretch.index), rightToLeft: false });
    parts.push({ text: stretch[0], rightToLeft: true });
    at = stretch.index + stretch[0].length;
  }
  if (at < text.length) parts.push({ text: text.slice(at), rightToLeft: false });
  return parts;
}
