/**
 * Text people type that others will read: titles, names, labels and comments. Refused when it
 * could mislead a reader or break an export: lone surrogates (invalid UTF-16, which no encoder
 * can write), control characters, and bidirectional overrides and isolates (which can make
 * text display in another order than it reads, e.g. a party name that looks like another's).
 */

const BIDI_CONTROLS = '\\u202A-\\u202E\\u2066-\\u2069';

/** One line: no control character at all. */
const LINE = new RegExp(`[\\p{Cc}\\p{Cs}${BIDI_CONTROLS}]`, 'u');
/** Several lines: newlines and tabs are fine, other controls are not. */
const MULTILINE = new RegExp(`[\\p{Cs}${BIDI_CONTROLS}]|(?![\\n\\r\\t])\\p{Cc}`, 'u');

/** True for a title, name or label that holds nothing misleading or unencodable. */
export function isSafeLine(text: string): boolean {
  return !LINE.test(text);
}

/** True for multi-line text (comment bodies) that holds nothing misleading or unencodable. */
export function isSafeText(text: string): boolean {
  return !MULTILINE.test(text);
}

/** Names of the JSON-schema formats the server registers for these checks. */
export const TextFormat = { line: 'safe-line', text: 'safe-text' } as const;

/** The text with every lone surrogate replaced by U+FFFD, so it can be encoded (file names, exports). */
export function wellFormed(text: string): string {
  return text.replace(/\p{Cs}/gu, '\uFFFD');
}
