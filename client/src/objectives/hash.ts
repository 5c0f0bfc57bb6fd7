import { useEffect, useState } from 'react';

/** SHA-256 as hex, as the server computes it (Web Crypto). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Recent hashes by text: an edit elsewhere in the agreement re-hashes no objective. */
const recent = new Map<string, Promise<string>>();
/** Enough for every objective of a long agreement and a few edits of each. */
const RECENT_LIMIT = 200;

/** {@link sha256Hex}, remembering recent texts. */
export function cachedSha256Hex(text: string): Promise<string> {
  let hash = recent.get(text);
  if (!hash) {
    hash = sha256Hex(text);
    recent.set(text, hash);
    // Maps iterate in insertion order: drop the oldest.
    if (recent.size > RECENT_LIMIT) recent.delete(recent.keys().next().value as string);
  }
  return hash;
}

/** The hash of `canonical`, or null while it is being computed. */
export function useHash(canonical: string): string | null {
  const [state, setState] = useState<{ canonical: string; hash: string } | null>(null);
  useEffect(() => {
    let live = true;
    void cachedSha256Hex(canonical).then((hash) => live && setState({ canonical, hash }));
    return () => {
      live = false;
    };
  }, [canonical]);
  return state?.canonical === canonical ? state.hash : null;
}
