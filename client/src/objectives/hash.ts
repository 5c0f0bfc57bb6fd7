import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

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

export interface ObjectiveHash {
  /**
   * The hash of the newest text whose hash is known: while a new one is computed (a few ms after
   * each keystroke) it is the one before, so what is shown from it does not blink.
   */
  shown: string | null;
  /** The hash of the text as it is now, for what is sent (a stance names the text it is on). */
  current(): Promise<string>;
}

/** {@link ObjectiveHash} of `canonical`, an objective's text as it is now. */
export function useHash(canonical: string): ObjectiveHash {
  const [shown, setShown] = useState<string | null>(null);
  const latest = useRef(canonical);
  latest.current = canonical;
  useEffect(() => {
    let live = true;
    void cachedSha256Hex(canonical).then((hash) => live && setShown(hash));
    return () => {
      live = false;
    };
  }, [canonical]);
  const current = useCallback(() => cachedSha256Hex(latest.current), []);
  return useMemo(() => ({ shown, current }), [shown, current]);
}
