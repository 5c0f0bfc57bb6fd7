import { useEffect, useState } from 'react';
import { forgetHeldLink } from '../links';
import { PageMessage } from '../ui/PageMessage';
import { CopyButton } from '../ui/CopyButton';
import type { CollabSession } from '../session/openSession';
import { unsentPassages } from '../session/unsavedWords';

/**
 * The page a person sees once their link was revoked or has expired. The token is
 * forgotten on this device: it will never open anything again. Met on the open page
 * (`session`), it lists what the person wrote that never reached the server, theirs to copy;
 * and a person whose access was revoked leaves no copy of the text on the device.
 */
export function AccessEnded({
  agreementId,
  reason,
  session,
  forgetText = false,
}: {
  agreementId: string;
  reason: 'expired' | 'revoked';
  session?: CollabSession | null;
  /** The person was revoked (not a link replaced or expired, after which a new link brings the copy's unsent work back). */
  forgetText?: boolean;
}) {
  const [words] = useState(() => (session ? unsentPassages(session.ydoc, (client, clock, length) => session.unsent.isUnconfirmed(client, clock, length)) : []));
  useEffect(() => forgetHeldLink(agreementId), [agreementId]);
  useEffect(() => {
    if (session && forgetText) void session.discardLocalCopy();
  }, [session, forgetText]);
  return (
    <>
      <PageMessage
        testId="access-ended"
        title={reason === 'expired' ? 'This link has expired' : 'Your access has ended'}
        text={
          reason === 'expired'
            ? 'Invitation links are valid for a limited time. Ask the broker of this agreement for a new link.'
            : 'The broker has ended your access to this agreement. If you think this is a mistake, ask them for a new link.'
        }
      >
        {words.length > 0 && (
          <div className="access-ended__unsent" data-testid="unsent-words">
            <p>
              <strong>What you wrote that was not sent</strong> (it is not part of the agreement). Copy it now: it is not kept once you leave this page.
            </p>
            <blockquote>
              {words.map((passage, i) => (
                <p key={i}>{passage}</p>
              ))}
            </blockquote>
            <CopyButton text={words.join('\n\n')} />
          </div>
        )}
      </PageMessage>
    </>
  );
}
