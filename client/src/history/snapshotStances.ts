import { useEffect, useState } from 'react';
import type { Party } from '#shared/protocol';
import type { ProseMirrorJSON } from '#shared/snapshots';
import { STANCE_LABELS, findObjectives, partyStanceStatus, type StanceRecord, type StanceValue } from '#shared/objectives';
import { cachedSha256Hex } from '../objectives/hash';

/** Each objective's hash in a snapshot's text (what a stance names the text it was given on), or null while they are computed. */
export function useObjectiveHashes(content: ProseMirrorJSON | null): Map<string, string> | null {
  // Kept with the text they are of: another snapshot opened in this viewer never reads the last one's.
  const [known, setKnown] = useState<{ of: ProseMirrorJSON; hashes: Map<string, string> } | null>(null);
  useEffect(() => {
    if (!content) return;
    let live = true;
    const objectives = findObjectives(content);
    void Promise.all(objectives.map((o) => cachedSha256Hex(o.canonical))).then((found) => {
      if (live) setKnown({ of: content, hashes: new Map(objectives.map((o, i) => [o.id, found[i]])) });
    });
    return () => {
      live = false;
    };
  }, [content]);
  return known && known.of === content ? known.hashes : null;
}

/**
 * The stances of that moment in words: "“Restore the river bank”: WaterAid Kenya: Agree with
 * reservations (reason)". Objectives are named by their title in the snapshot's own text. A stance
 * counts only for the text it was given on: one given on an earlier text of its objective says so,
 * as the live page does, rather than reading as agreement to the text the snapshot holds.
 */
export function stanceLines(
  stances: Record<string, unknown>,
  content: ProseMirrorJSON,
  parties: Party[],
  hashes: Map<string, string>,
): { key: string; text: string }[] {
  const titles = new Map(findObjectives(content).map((o) => [o.id, o.title]));
  return Object.entries(stances).map(([key, value]) => {
    const record = (value ?? {}) as Partial<StanceRecord>;
    const [objectiveId, partyId] = [record.objectiveId ?? key.split(':')[0], record.party ?? key.split(':')[1]];
    const title = titles.get(objectiveId);
    const objective = title ? `“${title}”` : titles.has(objectiveId) ? 'Untitled objective' : 'An objective no longer in the text';
    const party = parties.find((p) => p.id === partyId)?.name ?? 'a party no longer in the agreement';
    const stance = record.stance && record.stance in STANCE_LABELS ? STANCE_LABELS[record.stance as StanceValue] : 'unknown stance';
    const hash = hashes.get(objectiveId);
    const outdated = hash !== undefined && partyStanceStatus(record as StanceRecord, hash) === 'outdated';
    return {
      key,
      text: `${objective}: ${party}: ${stance}${record.reason ? ` (${record.reason})` : ''}${outdated ? ', given on an earlier text of this objective (outdated)' : ''}`,
    };
  });
}
