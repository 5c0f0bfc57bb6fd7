import { memo } from 'react';
import { canMarkDelivered, type QuickWinDelivery } from '#shared/quickWinDelivery';
import { RecordsKey } from '#shared/records';
import { useAgreementAccess, useRecordsRoom } from '../agreement/AgreementContext';
import { DeliveredBox, deliveredBy } from './DeliveredBox';
import { useRecordsMap } from './useRecords';
import { useRoomSyncedOnce } from '../session/useServerRoom';
import { DeliveredStandIn } from './ObjectiveStandIns';
import { controlName } from './controlNames';

/**
 * A quick win's delivery in its objective block (render it only for a quick win): the box for those who may mark
 * it, who marked it and when. Read from the records, never the text. Memoized: a keystroke in the objective's
 * text does not render it again.
 */
export const QuickWinDelivered = memo(function QuickWinDelivered(props: {
  objectiveId: string;
  scope: string;
  named: string;
  /** Whether the objective's controls are made (controlsNearScreen.ts); a stand-in for the box until then. */
  made: boolean;
  wake: (controlName: string, clicked: boolean) => void;
}) {
  const { objectiveId, scope, named, made, wake } = props;
  const { view } = useAgreementAccess();
  const records = useRecordsRoom();
  const delivery = useRecordsMap<QuickWinDelivery>(records, RecordsKey.quickWinDeliveries)[objectiveId];
  // Not before the records: an empty box would say a delivered quick win is not.
  const recordsIn = useRoomSyncedOnce(records);
  const mayMark = canMarkDelivered(view.me, scope);
  if (!recordsIn || (!delivery && !mayMark)) return null;
  return (
    <div className="objective__delivered" contentEditable={false} data-testid="objective-delivered">
      {mayMark && made ? (
        <DeliveredBox
          objectiveId={objectiveId}
          scope={scope}
          delivered={!!delivery}
          label={controlName.delivered(named)}
          className="objective__delivered-box"
        />
      ) : mayMark ? (
        <DeliveredStandIn delivered={!!delivery} name={controlName.delivered(named)} wake={wake} />
      ) : (
        <span className="objective__delivered-word">Delivered</span>
      )}
      {delivery && <span className="objective__delivered-by">marked by {deliveredBy(delivery)}</span>}
    </div>
  );
});
