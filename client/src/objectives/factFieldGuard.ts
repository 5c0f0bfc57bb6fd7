import { Extension } from '@tiptap/core';
import { Fragment, Node as PMNode, Slice } from '@tiptap/pm/model';
import { Plugin, PluginKey, type Transaction } from '@tiptap/pm/state';
import { fromSharedText } from '../editor/fromSharedText';
import { OBJECTIVE, OBJECTIVE_TEXT_FACTS } from '#shared/objective';
import { unfoldedObjective } from '#shared/objectiveFacts';

const hasFactFields = (objective: PMNode) => OBJECTIVE_TEXT_FACTS.every((f) => objective.content.content.some((child) => child.type.name === f.node));

/**
 * The objectives a local transaction leaves without an owners or indicators field they had: the
 * schema lets them be missing (texts stored before they existed), so Delete at the end of the
 * revisit trigger joined the owners into it, and a selection from an objective into the text after
 * it deleted them; the server refuses an objective without them.
 */
export function dropsFactFields(tr: Transaction): boolean {
  const missing = new Set<string>();
  tr.mapping.maps.forEach((map, i) => {
    const rest = tr.mapping.slice(i + 1);
    map.forEach((_oldFrom, _oldTo, from, to) => {
      tr.doc.nodesBetween(rest.map(from, -1), rest.map(to, 1), (node) => {
        if (node.type.name !== OBJECTIVE) return !node.isTextblock;
        if (!hasFactFields(node)) missing.add(String(node.attrs.id));
        return false;
      });
    });
  });
  if (missing.size === 0) return false;
  let dropped = false;
  tr.before.descendants((node) => {
    if (node.type.name !== OBJECTIVE) return !dropped && !node.isTextblock;
    if (missing.has(String(node.attrs.id)) && hasFactFields(node)) dropped = true;
    return false;
  });
  return dropped;
}

/** `fragment` with each objective given the fields it lacks (a copy from a page before they existed). */
function withFactFields(fragment: Fragment): Fragment {
  const nodes: PMNode[] = [];
  fragment.forEach((node) => {
    if (node.type.name === OBJECTIVE) nodes.push(hasFactFields(node) ? node : PMNode.fromJSON(node.type.schema, unfoldedObjective(node.toJSON())));
    else nodes.push(node.childCount > 0 && !node.isTextblock ? node.copy(withFactFields(node.content)) : node);
  });
  return Fragment.from(nodes);
}

export interface FactFieldGuardOptions {
  /**
   * Told when an edit over a selection, a paste or a drop is refused (one the shape-keeping guards could not
   * remake: a whole objective pasted or dropped into a field): without it nothing happened and nothing was said.
   * Delete at the very end of an objective's last field stays silent, as at the end of a table cell.
   */
  onRefused?: () => void;
}

/** Keeps every objective's owners and indicators fields in the editor: local edits that would drop one do nothing; a pasted objective without them gets them. */
export const FactFieldGuard = Extension.create<FactFieldGuardOptions>({
  name: 'factFieldGuard',
  addOptions() {
    return {};
  },
  addProseMirrorPlugins() {
    const { onRefused } = this.options;
    return [
      new Plugin({
        key: new PluginKey('factFieldGuard'),
        props: { transformPasted: (slice) => new Slice(withFactFields(slice.content), slice.openStart, slice.openEnd) },
        filterTransaction(tr, state) {
          if (!tr.docChanged) return true;
          // Remote changes always apply: refusing them would split this copy of the text from everyone else's.
          if (fromSharedText(tr)) return true;
          if (!dropsFactFields(tr)) return true;
          const event = tr.getMeta('uiEvent') as string | undefined;
          if (onRefused && (!state.selection.empty || event === 'paste' || event === 'drop')) onRefused();
          return false;
        },
      }),
    ];
  },
});
