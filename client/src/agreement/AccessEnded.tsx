import { useEffect } from 'react';
import { forgetHeldLink } from '../links';
import { PageMessage } from '../ui/PageMessage';

/**
 * The page a person sees once their link was revoked or has expired. The token is
 * forgotten on this device: it will never open anything again.
 */
export function AccessEnded({ agreementId, reason }: { agreementId: string; reason: 'expired' | 'revoked' }) {
  useEffect(() => forgetHeldLink(agreementId), [agreementId]);
  return (
    <PageMessage
      testId="access-ended"
      title={reason === 'expired' ? 'This link has expired' : 'Your access has ended'}
      text={
        reason === 'expired'
          ? 'Invitation links are valid for a limited time. Ask the broker of this agreement for a new link.'
          : 'The broker has ended your access to this agreement. If you think this is a mistake, ask them for a new link.'
      }
    />
  );
}
