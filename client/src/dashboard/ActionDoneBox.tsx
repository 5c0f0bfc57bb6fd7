import type { ActionItem } from '#shared/sessions';
import { canMarkActionDone } from '#shared/actionOwnership';
import { useAgreementAccess } from '../agreement/AgreementContext';
import { sessionApi } from '../session/console/sessionApi';
import { MarkBox } from '../ui/MarkBox';

/** "Done" on an action, for the broker and the action's owner. */
export function ActionDoneBox({ action }: { action: ActionItem }) {
  const { view, token } = useAgreementAccess();
  if (!canMarkActionDone(view.me, action.owner)) return null;
  return (
    <MarkBox
      className="timeline__done-box"
      marked={!!action.done}
      text="Done"
      label={`Done: ${action.what}`}
      mark={(done) => sessionApi.markAction(view.id, token, action.sessionId, action.id, done)}
    />
  );
}
