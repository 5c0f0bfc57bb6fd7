import { useEffect, useMemo, useState } from 'react';
import type { JSONContent } from '@tiptap/core';
import { RecordsKey } from '#shared/records';
import { shownDelivery, type QuickWinDelivery } from '#shared/quickWinDelivery';
import {
  findObjectives,
  objectiveStanding,
  partyStatuses,
  summarizeStandings,
  type ObjectiveInfo,
  type ObjectiveStanding,
  type PartyStanceStatus,
  type StanceCall,
  type StanceRecord,
  type StandingSummary,
} from '#shared/objectives';
import { useAgreement } from '../agreement/AgreementContext';
import { useRoomSyncedOnce } from '../session/useServerRoom';
import { cachedSha256Hex } from './hash';
import { useDocumentJSON } from './useDocumentJSON';
import { useRecordsMap } from './useRecords';

export interface LiveObjective extends ObjectiveInfo, ObjectiveStanding {
  hash: string;
  statuses: Record<string, PartyStanceStatus>;
  call?: StanceCall;
  /** A quick win marked delivered: who, and when (an objective that is no quick win has none). */
  delivered?: QuickWinDelivery;
}

export interface Structure {
  doc: JSONContent | null;
  objectives: LiveObjective[];
  summary: StandingSummary;
  /**
   * Whether the objectives have been read from the text at all: they are hashed after each read,
   * and until the first is hashed the list is empty (an agreement read as having none).
   */
  ready: boolean;
  /**
   * Whether the records (stances, calls for stances, quick wins delivered) have come from the server: until then
   * every objective would read as waiting, and a delivered quick win as overdue.
   */
  recordsIn: boolean;
}

/** The agreement's objectives with each party's standing, live from the text and the records. */
export function useStructure(): Structure {
  const { view, session, records } = useAgreement();
  const doc = useDocumentJSON(session);
  const stances = useRecordsMap<StanceRecord>(records, RecordsKey.stances);
  const calls = useRecordsMap<StanceCall>(records, RecordsKey.stanceCalls);
  const deliveries = useRecordsMap<QuickWinDelivery>(records, RecordsKey.quickWinDeliveries);
  const recordsIn = useRoomSyncedOnce(records);
  // Null until the text's objectives are first hashed; after that, the last hashed list stays while the next is hashed, so nothing blinks.
  const [hashed, setHashed] = useState<(ObjectiveInfo & { hash: string })[] | null>(null);

  useEffect(() => {
    if (!doc) return;
    let live = true;
    const found = findObjectives(doc);
    void Promise.all(found.map(async (o) => ({ ...o, hash: await cachedSha256Hex(o.canonical) }))).then((list) => live && setHashed(list));
    return () => {
      live = false;
    };
  }, [doc]);

  return useMemo(() => {
    const parties = view.parties.map((p) => p.id);
    const objectives = (hashed ?? []).map((o) => {
      const statuses = partyStatuses(o.id, o.hash, parties, (k) => stances[k]);
      const delivered = shownDelivery(o, deliveries);
      return { ...o, statuses, ...objectiveStanding(statuses, parties), ...(calls[o.id] ? { call: calls[o.id] } : {}), ...(delivered ? { delivered } : {}) };
    });
    return { doc, objectives, summary: summarizeStandings(objectives), ready: hashed !== null, recordsIn };
  }, [doc, hashed, stances, calls, deliveries, view.parties, recordsIn]);
}
