import type { Party } from '#shared/protocol';
import type { ProseMirrorJSON } from '#shared/snapshots';
import type { QuickWinDelivery } from '#shared/quickWinDelivery';
import { findObjectives } from '#shared/objectives';
import { formatDateTime } from '../ui/When';

/**
 * Each quick win of a snapshot's text and whether it was delivered at that moment, in words, as its
 * exports state it: "“Wells”: delivered, marked by Nia Otieno (WaterAid Kenya) on Dec 6, 2026, 10:02 AM"
 * or "“Village meetings”: not yet delivered". Null for a snapshot kept before snapshots recorded
 * deliveries: today's would read as true then.
 */
export function deliveryLines(
  recorded: Record<string, unknown> | undefined,
  content: ProseMirrorJSON,
  parties: Party[],
): { key: string; text: string }[] | null {
  if (!recorded) return null;
  return findObjectives(content)
    .filter((objective) => objective.quickWin)
    .map((objective) => {
      const title = objective.title ? `“${objective.title}”` : 'Untitled objective';
      const delivery = Object.hasOwn(recorded, objective.id) ? (recorded[objective.id] as Partial<QuickWinDelivery> | null) : undefined;
      if (!delivery || typeof delivery.at !== 'string' || typeof delivery.by?.name !== 'string')
        return { key: objective.id, text: `${title}: not yet delivered` };
      const party = parties.find((p) => p.id === delivery.by?.party)?.name ?? delivery.by.role;
      return { key: objective.id, text: `${title}: delivered, marked by ${delivery.by.name}${party ? ` (${party})` : ''} on ${formatDateTime(delivery.at)}` };
    });
}
