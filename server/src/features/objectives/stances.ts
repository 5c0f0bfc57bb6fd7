import type * as Y from 'yjs';
import { RecordsKey } from '#shared/records';
import { STANCE_LABELS, objectiveStanding, partyStatuses, stanceKey, type StanceRecord } from '#shared/objectives';
import type { HashedObjective } from '../../documents/documentReader';
import { logActivity } from '../../records/write';
import type { AgreementRecord } from '../../storage/port';

/** True when every party's current stance on every objective is an agreement. */
function everyoneAgrees(doc: Y.Doc, objectives: HashedObjective[], parties: string[]): boolean {
  const stances = doc.getMap<StanceRecord>(RecordsKey.stances);
  return (
    objectives.length > 0 &&
    parties.length > 0 &&
    objectives.every(
      (o) =>
        objectiveStanding(
          partyStatuses(o.id, o.hash, parties, (k) => stances.get(k)),
          parties,
        ).status === 'agreed',
    )
  );
}

/**
 * Writes attested stances into the records room (call inside a records write) and logs
 * each one: a party's own stance, or a consent round's results. Answers true when these
 * stances made every party agree to every objective, so the caller can announce
 * `objectives.allAgreed` once the write is done. `title`: the objective's title as the stances were
 * given on it, when that is not the text's now (a round's, kept from when it opened: the objective
 * may have been retitled or removed since).
 */
export function applyStances(doc: Y.Doc, agreement: AgreementRecord, objectives: HashedObjective[], records: StanceRecord[], title?: string): boolean {
  const parties = agreement.parties.map((p) => p.id);
  const before = everyoneAgrees(doc, objectives, parties);
  const stances = doc.getMap<StanceRecord>(RecordsKey.stances);
  for (const record of records) {
    stances.set(stanceKey(record.objectiveId, record.party), record);
    const named = title || objectives.find((o) => o.id === record.objectiveId)?.title || 'untitled objective';
    const partyName = agreement.parties.find((p) => p.id === record.party)?.name ?? record.party;
    logActivity(doc, record.by, 'stance.stated', `${partyName}: ${STANCE_LABELS[record.stance]} on “${named}”`);
  }
  return !before && everyoneAgrees(doc, objectives, parties);
}
