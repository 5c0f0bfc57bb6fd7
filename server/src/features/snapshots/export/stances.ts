import type { JSONContent } from '@tiptap/core';
import { STANCE_LABELS, STANCES, canonicalObjective, partyStanceStatus, type StanceRecord } from '#shared/objectives';
import { objectiveHash } from '../../../documents/documentReader';

/** A party's stance on an objective as an export states it: what the records held, without who clicked when. */
export type ExportStance = Pick<StanceRecord, 'objectiveId' | 'party' | 'stance' | 'reason' | 'contentHash'>;

/** The stances of a records room's `stances` map (a snapshot's context, or the records now), each checked for shape. */
export function exportStances(stances: Record<string, unknown>): ExportStance[] {
  return Object.values(stances).flatMap((value): ExportStance[] => {
    const s = (value ?? {}) as Partial<StanceRecord>;
    if (typeof s.objectiveId !== 'string' || typeof s.party !== 'string' || typeof s.contentHash !== 'string') return [];
    if (!(STANCES as readonly unknown[]).includes(s.stance)) return [];
    const reason = typeof s.reason === 'string' && s.reason ? { reason: s.reason } : {};
    return [{ objectiveId: s.objectiveId, party: s.party, stance: s.stance as StanceRecord['stance'], contentHash: s.contentHash, ...reason }];
  });
}

/**
 * Every party's stance on one objective block, in words: "WaterAid Kenya: Agree; Acme Beverages:
 * no stance". A stance counts only for the wording it was given on (its hash): one given on an
 * earlier wording says so, as the live page does, instead of reading as agreement to this one.
 */
export function stancesInWords(objective: JSONContent, stances: ExportStance[], parties: { id: string; name: string }[]): string {
  const id = objective.attrs?.id;
  const hash = objectiveHash(canonicalObjective(objective));
  return parties
    .map((party) => {
      const stance = stances.find((s) => s.objectiveId === id && s.party === party.id);
      if (!stance) return `${party.name}: no stance`;
      const outdated = partyStanceStatus(stance as StanceRecord, hash) === 'outdated';
      return `${party.name}: ${STANCE_LABELS[stance.stance]}${stance.reason ? ` (${stance.reason})` : ''}${outdated ? ', given on an earlier text of this objective (outdated)' : ''}`;
    })
    .join('; ');
}
