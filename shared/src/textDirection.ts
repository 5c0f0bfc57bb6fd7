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

/** Whether a run of text holds any right-to-left letter (Word then lays it out as complex script). */
export function holdsRightToLeft(text: string): boolean {
  return RIGHT_TO_LEFT.test(text);
}
