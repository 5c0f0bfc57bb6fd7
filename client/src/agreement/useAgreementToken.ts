import { useEffect, useState } from 'react';
import { linkToOpen, saveToken, tokenFromHash, type LinkToOpen } from '../links';

/** Links of another person offered on this page and not yet chosen or declined, by agreement. */
const offeredLinks = new Map<string, string>();

/**
 * The token for this agreement: from the link's `#token=` (then remembered on this device
 * and removed from the address bar, so it is not shared by accident) or from an earlier visit.
 * Another person's link (see {@link linkToOpen}) is only offered, until the person chooses.
 */
function resolveToken(id: string): LinkToOpen {
  const waiting = offeredLinks.get(id);
  // Resolved again once the address bar no longer holds it (a render React threw away, suspended): still offered.
  if (waiting && !tokenFromHash()) return { token: linkToOpen(id).token, offered: waiting };
  const link = linkToOpen(id);
  if (link.offered) offeredLinks.set(id, link.offered);
  if (tokenFromHash() && (link.offered || (link.token && saveToken(id, link.token)))) {
    const { pathname, search } = window.location;
    window.history.replaceState(window.history.state, '', pathname + search);
  }
  return link;
}

export interface AgreementToken extends LinkToOpen {
  /** Settles an offered link: opened (it replaces the link held) or not. */
  choose(open: boolean): void;
}

export function useAgreementToken(id: string): AgreementToken {
  const [link, setLink] = useState(() => resolveToken(id));
  useEffect(() => {
    setLink(resolveToken(id));
    // Pasting another invitation link for this agreement into the address bar changes only the hash.
    const onHashChange = () => {
      if (tokenFromHash()) setLink(resolveToken(id));
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, [id]);
  const choose = (open: boolean) => {
    if (!link.offered) return;
    offeredLinks.delete(id);
    if (open) saveToken(id, link.offered);
    setLink({ token: open ? link.offered : link.token });
  };
  return { ...link, choose };
}
