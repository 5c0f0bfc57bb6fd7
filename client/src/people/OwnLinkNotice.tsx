import { useState } from 'react';
import { takeFreshLink } from './freshLink';
import { LinkOnce } from './LinkOnce';

/**
 * Right after creating an agreement, the broker's own link: the address bar no longer holds
 * it, so this is the moment to keep it (for another device) before it is gone.
 */
export function OwnLinkNotice({ agreementId }: { agreementId: string }) {
  const [url, setUrl] = useState(() => takeFreshLink(agreementId));
  if (!url) return null;
  return (
    <div className="banner banner--info own-link" data-testid="own-link">
      <p className="own-link__title">
        <strong>Keep your own link.</strong> It opens this agreement as you, the broker, on any device. Save it somewhere safe now, such as a password manager.
      </p>
      <LinkOnce url={new URL(url, window.location.origin).href} label="Your own link" expiresAt={null} />
      <button type="button" className="button button--small button--secondary" onClick={() => setUrl(null)}>
        I have kept it
      </button>
    </div>
  );
}
