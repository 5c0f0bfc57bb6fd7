import { ErrorCode } from '#shared/errors';
import { PERMISSIONS } from '#shared/permissions';
import type { Identity } from '#shared/protocol';
import { canMarkDelivered, type QuickWinDelivery } from '#shared/quickWinDelivery';
import { RecordsKey } from '#shared/records';
import { conflict, forbidden, notFound } from '../../errors';
import type { TextReader } from '../../documents/textReader';
import { authorOf, logActivity, writeRecords } from '../../records/write';
import type { RoomManager } from '../../rooms/RoomManager';
import type { AgreementRecord } from '../../storage/port';

/** What the route answers: the quick win, with `delivered` while it is delivered (absent once it is not). */
export interface DeliveryAnswer {
  objectiveId: string;
  delivered?: Omit<QuickWinDelivery, 'objectiveId'>;
}

/**
 * Marks a quick win delivered, or not delivered after all, in the records (never in the text). Who may
 * depends on whose objective it is in the text as it stands now, so the text is read first.
 */
export async function markDelivered(
  rooms: RoomManager,
  text: TextReader,
  me: Identity,
  agreement: AgreementRecord,
  objectiveId: string,
  delivered: boolean,
): Promise<DeliveryAnswer> {
  const objective = (await text.objectives(agreement.id, me.personId)).find((o) => o.id === objectiveId);
  if (!objective) throw notFound(ErrorCode.ObjectiveNotFound, 'no such objective in this agreement');
  if (!canMarkDelivered(me, objective.scope)) throw forbidden(ErrorCode.Forbidden, PERMISSIONS.markDelivered.denied);
  if (!objective.quickWin) throw conflict(ErrorCode.NotAQuickWin, 'this objective is not a quick win: only a quick win is marked delivered');
  const title = objective.title || 'untitled objective';
  return writeRecords(rooms, agreement.id, (doc) => {
    const deliveries = doc.getMap<QuickWinDelivery>(RecordsKey.quickWinDeliveries);
    const now = deliveries.get(objective.id);
    // Pressed twice (two tabs, a retry): the first mark stands and nothing is logged again.
    if (!!now === delivered) return answer(objective.id, now);
    const by = authorOf(me);
    if (!delivered) {
      deliveries.delete(objective.id);
      logActivity(doc, by, 'quickWin.reopened', `Quick win no longer marked delivered: “${title}”`);
      return answer(objective.id, undefined);
    }
    const record: QuickWinDelivery = { objectiveId: objective.id, by, at: new Date().toISOString() };
    deliveries.set(objective.id, record);
    logActivity(doc, by, 'quickWin.delivered', `Quick win delivered: “${title}”`);
    return answer(objective.id, record);
  });
}

function answer(objectiveId: string, record: QuickWinDelivery | undefined): DeliveryAnswer {
  return record ? { objectiveId, delivered: { by: record.by, at: record.at } } : { objectiveId };
}
