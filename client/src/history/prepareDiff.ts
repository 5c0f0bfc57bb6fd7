import type { Party } from '#shared/protocol';
import type { FactChange, ProseMirrorJSON } from '#shared/snapshots';

const CHANGE = new Set(['insertion', 'deletion']);

/**
 * Readies a diff for display: each change mark (and each block added or removed whole) gets its
 * party's name and colour, and with `onlyParty` set, other parties' changes are shown as settled
 * (their insertions as plain text, their deletions gone), so one party's changes stand out alone.
 */
export function prepareDiff(content: ProseMirrorJSON, parties: Party[], onlyParty: string | null, facts: FactChange[] = []): ProseMirrorJSON {
  const byId = new Map(parties.map((p) => [p.id, p]));
  const shownFacts = facts.filter((f) => onlyParty === null || f.author.party === onlyParty);
  const walk = (node: ProseMirrorJSON): ProseMirrorJSON | null => {
    const blockChange = node.attrs?.blockChange as { type: 'added' | 'removed'; author: { party: string | null } } | undefined;
    if (blockChange) {
      const party = blockChange.author.party;
      if (onlyParty !== null && party !== onlyParty) {
        // Another party's block: as settled (an added one plain, a removed one gone), like their text.
        if (blockChange.type === 'removed') return null;
        node = { ...node, attrs: { ...node.attrs, blockChange: null } };
      } else {
        const known = party ? byId.get(party) : undefined;
        node = { ...node, attrs: { ...node.attrs, blockChange: { ...blockChange, partyName: known?.name ?? null, color: known?.color ?? null } } };
      }
    }
    if (node.type === 'objective') {
      // Changed facts are drawn in the block itself (see objectiveDisplay.ts).
      const changed = shownFacts.filter((f) => f.objectiveId === node.attrs?.id);
      if (changed.length > 0) node = { ...node, attrs: { ...node.attrs, factChanges: changed } };
    }
    if (node.type === 'text') {
      const change = node.marks?.find((m) => CHANGE.has(m.type));
      if (!change) return node;
      const party = (change.attrs?.party as string | null) ?? null;
      if (onlyParty !== null && party !== onlyParty) {
        if (change.type === 'deletion') return null;
        return { ...node, marks: node.marks?.filter((m) => m !== change) };
      }
      const known = party ? byId.get(party) : undefined;
      const decorated = { ...change, attrs: { ...change.attrs, partyName: known?.name ?? null, color: known?.color ?? null } };
      return { ...node, marks: node.marks?.map((m) => (m === change ? decorated : m)) };
    }
    if (!node.content) return node;
    return { ...node, content: node.content.map(walk).filter((n): n is ProseMirrorJSON => n !== null) };
  };
  return walk(content) ?? content;
}
