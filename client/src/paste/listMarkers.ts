/** How an HTML list shows a bullet or number Word typed before an item. */
export type ListMarker = { ordered: false } | { ordered: true; start: number; type: '1' | 'a' | 'A' | 'i' | 'I' };

const ROMAN: Record<string, number> = { i: 1, v: 5, x: 10, l: 50, c: 100, d: 500, m: 1000 };

function romanValue(numeral: string): number {
  let value = 0;
  const digits = numeral
    .toLowerCase()
    .split('')
    .map((c) => ROMAN[c]);
  digits.forEach((digit, i) => (value += digit < (digits[i + 1] ?? 0) ? -digit : digit));
  return value;
}

/**
 * The list a typed marker stands for: "3." or "(3)" a numbered list from 3, "b)" a lettered one
 * from b, "iv." a roman one from 4, a sign ("·", "o", "§", "–") a bulleted one. Null for a number
 * no HTML list shows ("2.1.", "Article 3") or none at all: the item keeps its words as they are.
 * Letters and numerals count only with a full stop or brackets, as Word types them: a bare "o" is
 * Word's second-level bullet.
 */
export function listMarker(marker: string): ListMarker | null {
  if (marker === '') return null;
  const decimal = /^\(?(\d{1,4})[.)]?$/.exec(marker);
  if (decimal) return { ordered: true, start: Number(decimal[1]), type: '1' };
  // A lone i (or I) is the first of a roman list far more often than the ninth letter.
  const roman = /^\(?([ivxlcdm]{2,}|i)[.)]$/i.exec(marker);
  if (roman) return { ordered: true, start: romanValue(roman[1]), type: roman[1] === roman[1].toLowerCase() ? 'i' : 'I' };
  const letter = /^\(?([a-z])[.)]$/i.exec(marker);
  if (letter) {
    const lower = letter[1].toLowerCase();
    return { ordered: true, start: lower.charCodeAt(0) - 96, type: letter[1] === lower ? 'a' : 'A' };
  }
  if (/[0-9]/.test(marker) || /\p{L}.*[.)]|\p{L}{2}/u.test(marker)) return null;
  return { ordered: false };
}
