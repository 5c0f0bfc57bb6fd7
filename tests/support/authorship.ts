import * as Y from 'yjs';
import type { DeleteSet } from '#shared/deleteSets';
import type { ProseMirrorJSON } from '#shared/snapshots';
import { api } from './server';
import { waitFor } from './poll';

/** Text by who a comparison says inserted it (its `kind` marks' `name`, "Unknown" for nobody's), in document order. */
export function insertedBy(content: ProseMirrorJSON, kind: 'insertion' | 'deletion' = 'insertion'): Record<string, string> {
  const by: Record<string, string> = {};
  const walk = (node: ProseMirrorJSON) => {
    const name = node.marks?.find((m) => m.type === kind)?.attrs?.name;
    if (node.text !== undefined && typeof name === 'string') by[name] = (by[name] ?? '') + node.text;
    for (const child of node.content ?? []) walk(child);
  };
  walk(content);
  return by;
}

/** The comparison of an agreement's snapshot `from` with its live text, as {@link insertedBy} (or deleted by, with `kind`). */
export async function liveInsertedBy(
  server: { http: string },
  agreementId: string,
  from: string,
  token: string,
  kind: 'insertion' | 'deletion' = 'insertion',
): Promise<Record<string, string>> {
  const res = await api<{ content?: ProseMirrorJSON }>(server, 'GET', `/api/agreements/${agreementId}/diff?from=${from}&to=live`, undefined, token);
  return res.body.content ? insertedBy(res.body.content, kind) : {};
}

/** Polls {@link liveInsertedBy} until `until` holds of it, and answers it. */
export function waitForAuthors(
  server: { http: string },
  diff: { agreementId: string; from: string; token: string },
  what: string,
  until: (by: Record<string, string>) => boolean,
  { kind = 'insertion', timeoutMs = 10_000 }: { kind?: 'insertion' | 'deletion'; timeoutMs?: number } = {},
): Promise<Record<string, string>> {
  return waitFor(
    async () => {
      const by = await liveInsertedBy(server, diff.agreementId, diff.from, diff.token, kind);
      return until(by) ? by : undefined;
    },
    { timeoutMs, what },
  );
}

/** What `doc` deletes from now on by its own edits (not what it receives), merged: what the app's client names as its device's deletions. */
export function ownDeletions(doc: Y.Doc): () => DeleteSet {
  const sets: DeleteSet[] = [];
  doc.on('afterTransaction', (tr: Y.Transaction) => {
    if (tr.local && tr.deleteSet.clients.size > 0) sets.push(Y.mergeDeleteSets([tr.deleteSet]));
  });
  return () => Y.mergeDeleteSets(sets);
}
