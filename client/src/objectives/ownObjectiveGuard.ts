import { Extension } from '@tiptap/core';
import { Fragment, Slice, type Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type Transaction } from '@tiptap/pm/state';
import { AttrStep, ReplaceAroundStep, ReplaceStep } from '@tiptap/pm/transform';
import type { EditorView } from '@tiptap/pm/view';
import { fromSharedText } from '../editor/fromSharedText';
import { OBJECTIVE } from '#shared/objective';
import { canEditObjective } from '#shared/objectiveOwnership';
import type { Identity } from '#shared/protocol';
import { editAroundForeignObjectives, holdsObjectiveRefused } from './keepForeignObjectives';

export interface OwnObjectiveGuardOptions {
  /** Who the person is now: read on each edit, so a role changed while the page is open applies without building the editor again. */
  me: () => Pick<Identity, 'role' | 'party'> | null;
  /** The agreement's parties' ids: an objective pasted from another agreement names none of them. */
  parties: () => string[];
  /** Told when a paste brought objectives this person may not write, now pasted as shared ones. */
  onMadeShared: () => void;
  /**
   * Told when an edit of this person's reached into another party's own objective (the keys did
   * nothing, and said nothing): refused whole, or made to the rest of the selection only.
   */
  onRefused: (outcome: ForeignEditOutcome) => void;
}

/** What became of an edit that reached into another party's own objective. */
export type ForeignEditOutcome = 'nothing-changed' | 'objective-kept';

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
    if ((step instanceof ReplaceStep || step instanceof ReplaceAroundStep) && holdsObjectiveRefused(step.slice, allowed)) return true;
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

/** `fragment` with each objective `keep` refuses made shared, and whether there was one. */
function sharedCopies(fragment: Fragment, keep: (scope: unknown) => boolean): { fragment: Fragment; changed: boolean } {
  let changed = false;
  const nodes: PMNode[] = [];
  fragment.forEach((node) => {
    if (node.type.name === OBJECTIVE && !keep(node.attrs.scope)) {
      changed = true;
      nodes.push(node.type.create({ ...node.attrs, scope: 'shared' }, node.content, node.marks));
    } else if (node.type.name !== OBJECTIVE && node.childCount > 0) {
      const inner = sharedCopies(node.content, keep);
      changed ||= inner.changed;
      nodes.push(inner.changed ? node.copy(inner.fragment) : node);
    } else nodes.push(node);
  });
  return { fragment: changed ? Fragment.from(nodes) : fragment, changed };
}

/**
 * Refuses, in the editor, every local edit of another party's own objective (its text, its
 * facts, its "whose objective"), and giving an objective to another party. The block shows
 * whose it is and that others comment instead. Remote changes always apply: refusing them
 * would split this copy of the text from everyone else's.
 */
export const OwnObjectiveGuard = Extension.create<OwnObjectiveGuardOptions>({
  name: 'ownObjectiveGuard',
  addOptions: () => ({ me: () => null, parties: () => [], onMadeShared: () => {}, onRefused: () => {} }),
  addProseMirrorPlugins() {
    const { me, parties, onMadeShared, onRefused } = this.options;
    // Read on each paste and edit: the person's role and party may change while the page is open.
    const allowed = (scope: unknown) => {
      const now = me();
      return now !== null && canEditObjective(now, scope);
    };
    // A copy of another party's own objective (a start for one of the same kind), or one from another
    // agreement, comes in as a shared objective: refused whole, the paste did nothing, and said nothing.
    const keep = (scope: unknown) => allowed(scope) && (scope === 'shared' || !scope || parties().includes(scope as string));
    const transformPasted = (slice: Slice) => {
      if (me() === null) return slice;
      const { fragment, changed } = sharedCopies(slice.content, keep);
      if (!changed) return slice;
      onMadeShared();
      return new Slice(fragment, slice.openStart, slice.openEnd);
    };
    let view: EditorView | null = null;
    return [
      new Plugin({
        key: ownObjectiveGuardKey,
        props: { transformPasted },
        view(editorView) {
          view = editorView;
          return { destroy: () => (view = null) };
        },
        filterTransaction(tr, state) {
          if (!tr.docChanged) return true;
          if (fromSharedText(tr)) return true;
          const now = me();
          if (!now || now.role === 'broker') return true;
          const mayEdit = (scope: unknown) => canEditObjective(now, scope);
          if (!touchesForeignObjective(tr, mayEdit)) return true;
          // A selection that held the objective: the rest of it still takes the edit. Never twice: a
          // remade edit that is refused again is refused whole.
          const around = tr.getMeta(ownObjectiveGuardKey) ? null : editAroundForeignObjectives(state, tr, mayEdit);
          if (!around) {
            onRefused('nothing-changed');
            return false;
          }
          around.setMeta(ownObjectiveGuardKey, true);
          // Not from inside the dispatch being refused: that dispatch ends by putting this state back.
          queueMicrotask(() => {
            if (view?.state !== state) return;
            view.dispatch(around);
            // A guard that looks after this one may refuse the rest too (the size guard: a paste too large to send).
            // That guard says why; 'leave the objective out of the selection' would not help, so this one says nothing.
            if (view.state.doc !== state.doc) onRefused('objective-kept');
          });
          return false;
        },
      }),
    ];
  },
});
