import { Extension } from '@tiptap/core';
import type { Node as PMNode, Slice } from '@tiptap/pm/model';
import { Plugin, PluginKey, type Transaction } from '@tiptap/pm/state';
import { AttrStep, ReplaceAroundStep, ReplaceStep } from '@tiptap/pm/transform';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { OBJECTIVE } from '#shared/objective';
import { canEditObjective } from '#shared/objectiveOwnership';
import type { Identity } from '#shared/protocol';

export interface OwnObjectiveGuardOptions {
  /** Who the person is now: read on each edit, so a role changed while the page is open applies without building the editor again. */
  me: () => Pick<Identity, 'role' | 'party'> | null;
}

/** Whether a slice being put into the text holds an objective `me` may not write (a paste, or a changed "whose objective"). */
function sliceHasForeign(slice: Slice, allowed: (scope: unknown) => boolean): boolean {
  let foreign = false;
  slice.content.descendants((node) => {
    if (node.type.name === OBJECTIVE && !allowed(node.attrs.scope)) foreign = true;
    return !foreign;
  });
  return foreign;
}

/** Whether a local transaction touches another party's own objective, or gives an objective to another party. */
export function touchesForeignObjective(tr: Transaction, allowed: (scope: unknown) => boolean): boolean {
  for (let i = 0; i < tr.steps.length; i++) {
    const step = tr.steps[i];
    const doc: PMNode = tr.docs[i];
    if (step instanceof AttrStep) {
      const node = doc.nodeAt(step.pos);
      if (node?.type.name === OBJECTIVE && (!allowed(node.attrs.scope) || (step.attr === 'scope' && !allowed(step.value)))) return true;
      continue;
    }
    if ((step instanceof ReplaceStep || step instanceof ReplaceAroundStep) && sliceHasForeign(step.slice, allowed)) return true;
    let foreign = false;
    step.getMap().forEach((from, to) => {
      doc.nodesBetween(from, to, (node) => {
        if (node.type.name === OBJECTIVE && !allowed(node.attrs.scope)) foreign = true;
        return !foreign && node.type.name !== OBJECTIVE;
      });
    });
    if (foreign) return true;
  }
  return false;
}

export const ownObjectiveGuardKey = new PluginKey('ownObjectiveGuard');

/**
 * Refuses, in the editor, every local edit of another party's own objective (its text, its
 * facts, its "whose objective"), and giving an objective to another party. The block shows
 * whose it is and that others comment instead. Remote changes always apply: refusing them
 * would split this copy of the text from everyone else's.
 */
export const OwnObjectiveGuard = Extension.create<OwnObjectiveGuardOptions>({
  name: 'ownObjectiveGuard',
  addOptions: () => ({ me: () => null }),
  addProseMirrorPlugins() {
    const { me } = this.options;
    return [
      new Plugin({
        key: ownObjectiveGuardKey,
        filterTransaction(tr) {
          if (!tr.docChanged) return true;
          if ((tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin) return true;
          const now = me();
          if (!now || now.role === 'broker') return true;
          return !touchesForeignObjective(tr, (scope) => canEditObjective(now, scope));
        },
      }),
    ];
  },
});
