import { useEffect, useState } from 'react';
import { heldToken, saveToken, tokenFromHash } from '../links';

/**
 * The token for this agreement: from the link's `#token=` (then remembered on this device
 * and removed from the address bar, so it is not shared by accident) or from an earlier visit.
 */
function resolveToken(id: string): string | null {
  const fromHash = tokenFromHash();
  if (fromHash) {
    if (saveToken(id, fromHash)) {
      const { pathname, search } = window.location;
      window.history.replaceState(window.history.state, '', pathname + search);
    }
    return fromHash;
  }
  return heldToken(id);
}

export function useAgreementToken(id: string): string | null {
  const [token, setToken] = useState(() => resolveToken(id));
  useEffect(() => {
    setToken(resolveToken(id));
    // Pasting another invitation link for this agreement into the address bar changes only the hash.
    const onHashChange = () => {
      if (tokenFromHash()) setToken(resolveToken(id));
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, [id]);
  return token;
}
