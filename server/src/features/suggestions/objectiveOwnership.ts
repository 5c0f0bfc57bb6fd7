import type { Fragment, Node } from '@tiptap/pm/model';
import { OBJECTIVE } from '#shared/objective';
import { canEditObjective } from '#shared/objectiveOwnership';
import type { Identity } from '#shared/protocol';
import type { ProseMirrorJSON } from '#shared/snapshots';

/**
 * Whether `me` may make the change of from..to into `fragment`: every objective it lies in,
 * replaces or brings is one they may write (a party's own objective: that party's negotiators and
 * the broker). The server writes an accepted suggestion past the text's guard, so it checks here
 * what the guard checks of a person's own writes.
 */
export function mayChangeObjectives(me: Identity, pm: Node, from: number, to: number, fragment?: Fragment): boolean {
  const scopes: unknown[] = [];
  const collect = (node: Node) => {
    if (node.type.name === OBJECTIVE) scopes.push(node.attrs.scope);
  };
  const $from = pm.resolve(from);
  for (let depth = $from.depth; depth > 0; depth--) collect($from.node(depth));
  pm.nodesBetween(from, to, collect);
  fragment?.descendants(collect);
  return scopes.every((scope) => canEditObjective(me, scope));
}

/** Whether every objective among suggested blocks (JSON, as stored) is one `me` may write. */
export function bringsOnlyWritable(me: Identity, blocks: readonly ProseMirrorJSON[]): boolean {
  const stack = [...blocks];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === OBJECTIVE && !canEditObjective(me, node.attrs?.scope)) return false;
    stack.push(...(node.content ?? []));
  }
  return true;
}
