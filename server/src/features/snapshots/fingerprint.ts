import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, so equal content always gives equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A snapshot's fingerprint: SHA-256 hex of the previous snapshot's fingerprint (empty for
 * the first), a newline, and the canonical JSON of its ProseMirror content. Each one
 * covers every one before it, so altering any stored snapshot breaks the chain from there.
 */
export function fingerprint(prevHash: string | null, content: unknown): string {
  return createHash('sha256')
    .update(`${prevHash ?? ''}\n${canonicalJson(content)}`)
    .digest('hex');
}
