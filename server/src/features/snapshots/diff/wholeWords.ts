import type { ChangeAuthor } from '#shared/snapshots';
import { canonicalJson } from '../fingerprint';

/** A mark as y-prosemirror stores it, read back. */
export type Mark = { type: string; attrs?: Record<string, unknown> };

type Change = { type: 'added' | 'removed'; author: ChangeAuthor };

/** One stretch of a paragraph's text in a diff: unchanged, or added or removed by one person. */
export interface Piece {
  text: string;
  /** The text's own marks (bold, link…), not the change. */
  formats: Mark[];
  change?: Change;
}

/** Past this many token pairs a changed stretch is shown as one deletion and one insertion, not diffed word by word. */
const MAX_PAIRS = 250_000;

/**
 * Shows changes word by word. Yjs records the characters that changed, and an editor writes
 * only what lies between a paragraph's common prefix and suffix, so "50 wells" → "60 wells"
 * comes as "5" → "6" and would read "~~5~~60". Each stretch of changed characters is widened
 * to the words it touches, and its old and new text are diffed by words: a changed word or
 * number is deleted whole and inserted whole ("~~50~~60"), an unchanged one stays plain.
 */
export function wholeWords(pieces: Piece[]): Piece[] {
  if (!pieces.some((p) => p.change)) return pieces;
  // The paragraph's characters as strings, each with the piece it came from: a piece per character is
  // made only inside a changed stretch (an object per character of 40 pages cost a third of a comparison).
  const chars: string[] = [];
  const owner: Piece[] = [];
  for (const piece of pieces) {
    for (const char of piece.text) {
      chars.push(char);
      owner.push(piece);
    }
  }
  const word = chars.map((c, i) => isWordChar(c, chars[i - 1], chars[i + 1]));
  const edge = (start: number, end: number, which: 'first' | 'last') => edgeIsWord(chars, owner, start, end, which);
  const out = new Runs();
  let done = 0;
  for (let i = 0; i < chars.length; i++) {
    if (!owner[i].change) continue;
    let [start, end] = [i, i];
    for (;;) {
      while (end < chars.length && owner[end].change) end++;
      if (!(end < chars.length && word[end] && edge(start, end, 'last'))) break;
      while (end < chars.length && !owner[end].change && word[end]) end++;
    }
    if (edge(start, end, 'first')) while (start > done && word[start - 1]) start--;
    out.unchanged(chars, owner, done, start);
    const stretch = Array.from({ length: end - start }, (_, k): Piece => ({ ...owner[start + k], text: chars[start + k] }));
    for (const piece of byWords(
      stretch.filter((c) => c.change?.type !== 'added'),
      stretch.filter((c) => c.change?.type !== 'removed'),
    ))
      out.push(piece);
    done = end;
    i = end - 1;
  }
  out.unchanged(chars, owner, done, chars.length);
  return out.result();
}

/**
 * The answer's pieces, a character joined to the piece before it when it has the very same marks and
 * change (the same objects): the reader joins those into one run anyway, and a run read whole is read
 * once, not once per character.
 */
class Runs {
  private readonly pieces: Piece[] = [];
  /** The text of the last piece, in parts (joined once, when the next piece starts). */
  private texts: string[] = [];

  push(piece: Piece): void {
    const last = this.pieces.at(-1);
    if (last && last.formats === piece.formats && sameChange(last.change, piece.change)) {
      this.texts.push(piece.text);
      return;
    }
    this.close();
    this.pieces.push({ ...piece });
    this.texts = [piece.text];
  }

  /** The characters `from` to `to`, unchanged, each with its own piece's marks. */
  unchanged(chars: string[], owner: Piece[], from: number, to: number): void {
    for (let i = from; i < to; i++) this.push({ ...owner[i], text: chars[i] });
  }

  result(): Piece[] {
    this.close();
    return this.pieces;
  }

  private close(): void {
    const last = this.pieces.at(-1);
    if (last) last.text = this.texts.join('');
  }
}

/** The same change: both none, or of one kind by one author (the same object, as the diff hands it out). */
function sameChange(a: Piece['change'], b: Piece['change']): boolean {
  if (a === b) return true;
  return a !== undefined && b !== undefined && a.type === b.type && a.author === b.author;
}

/** Whether the old or the new text of the changed stretch `start` to `end` begins (or ends) with a word character. */
function edgeIsWord(chars: string[], owner: Piece[], start: number, end: number, edge: 'first' | 'last'): boolean {
  return (['added', 'removed'] as const).some((other) => {
    // A side's first (or last) character: the first not of the other side's kind.
    for (let k = 0; k < end - start; k++) {
      const i = edge === 'first' ? start + k : end - 1 - k;
      if (owner[i].change?.type !== other) return isWordLetter(chars[i]);
    }
    return false;
  });
}

/** Old and new text of a changed stretch (one piece per character), diffed by words. */
function byWords(before: Piece[], after: Piece[]): Piece[] {
  const a = tokens(before);
  const b = tokens(after);
  const removedBy = before.find((c) => c.change)?.change?.author;
  const addedBy = after.find((c) => c.change)?.change?.author;
  // Whoever changed part of a word changed the word.
  const as = (token: Piece[], type: Change['type']): Piece[] => {
    const author = token.find((c) => c.change)?.change?.author ?? (type === 'removed' ? (removedBy ?? addedBy) : (addedBy ?? removedBy))!;
    return token.map((c) => ({ text: c.text, formats: c.formats, change: { type, author } }));
  };
  if (a.length * b.length > MAX_PAIRS) return [...a.flatMap((t) => as(t, 'removed')), ...b.flatMap((t) => as(t, 'added'))];
  // Tokens are equal when their text and marks are: a word made bold, or a link given another
  // target, is the old one deleted and the new one inserted (attributeChanges.ts).
  const [ka, kb] = [a.map(tokenKey), b.map(tokenKey)];
  // Longest common subsequence of tokens: equal tokens stay plain, the rest is deleted then inserted.
  const width = b.length + 1;
  const common = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      common[i * width + j] = ka[i] === kb[j] ? common[(i + 1) * width + j + 1] + 1 : Math.max(common[(i + 1) * width + j], common[i * width + j + 1]);
  const runs: Run[] = [];
  const run = (equal: boolean) => {
    if (runs.at(-1)?.equal !== equal) runs.push({ equal, del: [], ins: [] });
    return runs.at(-1)!;
  };
  let [i, j] = [0, 0];
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && ka[i] === kb[j]) {
      const r = run(true);
      r.del.push(a[i++]);
      r.ins.push(b[j++]);
    } else if (j === b.length || (i < a.length && common[(i + 1) * width + j] >= common[i * width + j + 1])) run(false).del.push(a[i++]);
    else run(false).ins.push(b[j++]);
  }
  mergeWeakEqualities(runs);
  return runs.flatMap((r) =>
    r.equal
      ? r.ins.flat().map((c) => ({ text: c.text, formats: c.formats }))
      : [...r.del.flatMap((t) => as(t, 'removed')), ...r.ins.flatMap((t) => as(t, 'added'))],
  );
}

/** Tokens that are the same in both texts, or tokens deleted (`del`) and inserted (`ins`) there. */
type Run = { equal: boolean; del: Piece[][]; ins: Piece[][] };

/**
 * Folds into the changes around it an unchanged stretch that holds no word ("500 to 800" →
 * "Every riverside" shares only its spaces), or is no longer than the changes on either side
 * of it, as diff-match-patch's semantic clean-up does: "~~500 to 800~~Every riverside" reads
 * better than "~~500~~Every ~~to 800~~riverside".
 */
function mergeWeakEqualities(runs: Run[]): void {
  const size = (tokens: Piece[][]) => tokens.reduce((n, t) => n + t.length, 0);
  const changed = (r: Run) => Math.max(size(r.del), size(r.ins));
  for (let k = 1; k < runs.length - 1; k++) {
    const [before, same, after] = [runs[k - 1], runs[k], runs[k + 1]];
    if (!same.equal) continue;
    const wordless = !same.ins.some((t) => /[\p{L}\p{N}]/u.test(text(t)));
    if (!wordless && (size(same.ins) > changed(before) || size(same.ins) > changed(after))) continue;
    runs.splice(k - 1, 3, { equal: false, del: [...before.del, ...same.del, ...after.del], ins: [...before.ins, ...same.ins, ...after.ins] });
    k = 0;
  }
}

const text = (token: Piece[]) => token.map((c) => c.text).join('');

/** The marks of a run as text (cached: every character of a run shares its marks' array). */
const markKeys = new WeakMap<Mark[], string>();
const marksKey = (formats: Mark[]) => {
  let key = markKeys.get(formats);
  if (key === undefined) markKeys.set(formats, (key = canonicalJson(formats)));
  return key;
};

/** A token's text with the marks of each character, so tokens alike in both are told apart only by what a reader sees. */
const tokenKey = (token: Piece[]) => token.map((c) => `${c.text}\u0000${marksKey(c.formats)}`).join('\u0001');

/** A text (one piece per character) cut into words, runs of white space, and single other characters. */
function tokens(chars: Piece[]): Piece[][] {
  const out: Piece[][] = [];
  const kinds = chars.map((c, i) => (isWordChar(c.text, chars[i - 1]?.text, chars[i + 1]?.text) ? 'word' : /\s/u.test(c.text) ? 'space' : 'other'));
  for (let i = 0; i < chars.length; i++) {
    const k = kinds[i];
    if (k !== 'other' && i > 0 && kinds[i - 1] === k) out[out.length - 1].push(chars[i]);
    else out.push([chars[i]]);
  }
  return out;
}

/** Letters and digits; "," and "." inside a number ("1,000.50") and apostrophes inside a word ("party's") too. */
function isWordChar(char: string, before: string | undefined, after: string | undefined): boolean {
  if (isWordLetter(char)) return true;
  if (before === undefined || after === undefined) return false;
  if (char === ',' || char === '.') return /\p{N}/u.test(before) && /\p{N}/u.test(after);
  if (char === "'" || char === '’') return /\p{L}/u.test(before) && /\p{L}/u.test(after);
  return false;
}

/** A letter, digit, combining mark or "_" (one character; a plain ASCII one is told without the Unicode tables, 40 pages a character at a time). */
function isWordLetter(char: string): boolean {
  const code = char.charCodeAt(0);
  if (char.length === 1 && code < 128) return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
  return /[\p{L}\p{N}\p{M}_]/u.test(char);
}
