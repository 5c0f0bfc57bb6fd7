import type { DiffResult } from '#shared/snapshots';
import type { RedlineInput } from './docx';
import { readableMoment } from './moment';
import { deliveryChanges, redlinePhaseLines, type RedlineLifeCycle } from './redlineLifeCycle';

/**
 * What a redline of the changes between two versions says: each change is credited to whoever made it, dated with the
 * newer version (the log knows who, not when). With `lifeCycle`, each version's phase, and each quick win whose
 * delivery changed, as each version's records say: a reviewer tells from the file alone which phase each was in.
 */
export function diffRedline(diff: DiffResult, agreementTitle: string, parties: RedlineInput['parties'], lifeCycle?: RedlineLifeCycle): RedlineInput {
  return {
    agreementTitle,
    label: diffRedlineLabel(diff),
    lines: [
      `Redline: changes from “${diff.from.label}” (${readableMoment(diff.from.createdAt)}) to “${diff.to.label}” (${readableMoment(diff.to.createdAt)})`,
      // Changed objective facts are tracked in the body too: left out here, drafts that differ only in a date read "0 and 0".
      `${diff.summary.insertions} insertion(s), ${diff.summary.deletions} deletion(s) and ${diff.summary.facts} changed objective fact(s), tracked by author; each is dated with the newer version.`,
      ...(lifeCycle ? redlinePhaseLines(diff, lifeCycle) : []),
    ],
    changeDate: diff.to.createdAt,
    content: diff.content,
    parties,
    facts: diff.facts,
    ...(lifeCycle ? { deliveries: deliveryChanges(diff, lifeCycle, parties) } : {}),
  };
}

/** "Draft 2 → Live text": the versions a redline compares, older first. */
export function diffRedlineLabel(versions: Pick<DiffResult, 'from' | 'to'>): string {
  return `${versions.from.label} → ${versions.to.label}`;
}
