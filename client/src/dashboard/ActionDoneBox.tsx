import { useEffect, useState } from 'react';
import type { ActionItem } from '#shared/sessions';
import { canMarkActionDone } from '#shared/actionOwnership';
import { useAgreementAccess } from '../agreement/AgreementContext';
import { sessionApi } from '../session/console/sessionApi';
import { useCommand } from '../session/console/useCommand';
import { FormError } from '../ui/FormError';

/**
 * "Done" on an action, for the broker and the action's owner. The box shows the press at once and
 * follows the shared records once they agree (another person may have marked it meanwhile).
 */
export function ActionDoneBox({ action }: { action: ActionItem }) {
  const { view, token } = useAgreementAccess();
  const { busy, error, run } = useCommand();
  const done = !!action.done;
  const [pressed, setPressed] = useState<boolean | null>(null);
  useEffect(() => setPressed(null), [done]);
  if (!canMarkActionDone(view.me, action.owner)) return null;
  const toggle = (next: boolean) => {
    setPressed(next);
    void run(() => sessionApi.markAction(view.id, token, action.sessionId, action.id, next)).then((ok) => ok || setPressed(null));
  };
  return (
    <>
      <label className="timeline__done-box">
        <input type="checkbox" checked={pressed ?? done} disabled={busy} aria-label={`Done: ${action.what}`} onChange={(e) => toggle(e.target.checked)} />
        Done
      </label>
      <FormError message={error} />
    </>
  );
}
