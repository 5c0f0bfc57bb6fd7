/**
 * Section numbers at the start of a heading or an agenda item's title: "2. ", "2 ", "2.1 ",
 * "2) ", "IV. " (without a stop, only before a word that starts in capitals: "2 Parties"). The partnering template numbers its headings "1. Parties"
 * (`partneringTemplate` in shared/src/template.ts).
 */

// Two digits a level at most: a year or an amount that starts a title ("2030 targets", "500
// households") is not a section number, and a figure joined to a word ("15-minute break",
// "3rd party") never is. Without a stop, a number before a word in lower case is a count ("3 quick
// wins", "1.5 days of fieldwork"). A Roman numeral (I to LXXXIX) needs its stop, or "I think" would be one.
const SECTION_NUMBER = /^\s*(\d{1,2}(?:\.\d{1,2})*(?:[.)]|(?=\s+[^\s\p{Ll}]))|(?=[IVXL])(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})[.)])\s+(?=\S)/u;

/** The section number a title starts with ("2.1" of "2.1 Targets"), or null if it has none. */
export function sectionNumberOf(title: string): string | null {
  return SECTION_NUMBER.exec(title)?.[1] ?? null;
}

/** The title without the section number it starts with: "Shared objectives" of "3. Shared objectives". */
export function withoutSectionNumber(title: string): string {
  return title.replace(SECTION_NUMBER, '');
}

/**
 * Whether an agenda is numbered by its titles alone: when any item carries its own section
 * number ("3. Shared objectives"), a count of the agenda's own would read beside it ("1. 3. …",
 * "2. Any other business"), so the agenda adds none; otherwise it counts its items 1, 2, 3.
 */
export function numberedByTitles(items: readonly { title: string }[]): boolean {
  return items.some((item) => sectionNumberOf(item.title) !== null);
}
