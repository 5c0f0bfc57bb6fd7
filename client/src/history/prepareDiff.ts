import type { Party } from '#shared/protocol';
import type { ProseMirrorJSON } from '#shared/snapshots';

const CHANGE = new Set(['insertion', 'deletion']);

/**
 * Readies a diff for display: each change mark gets its party's name and colour, and with
 * `onlyParty` set, other parties' changes are shown as settled (their insertions as plain
 * text, their deletions gone), so one party's changes stand out alone.
 */
export function prepareDiff(content: ProseMirrorJSON, parties: Party[], onlyParty: string | null): ProseMirrorJSON {
  const byId = new Map(parties.map((p) => [p.id, p]));
  const walk = (node: ProseMirrorJSON): ProseMirrorJSON | null => {
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
