import { useEffect, useState } from 'react';

/** SHA-256 as hex, as the server computes it (Web Crypto). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The hash of `canonical`, or null while it is being computed. */
export function useHash(canonical: string): string | null {
  const [state, setState] = useState<{ canonical: string; hash: string } | null>(null);
  useEffect(() => {
    let live = true;
    void sha256Hex(canonical).then((hash) => live && setState({ canonical, hash }));
    return () => {
      live = false;
    };
  }, [canonical]);
  return state?.canonical === canonical ? state.hash : null;
}
