import { Node, mergeAttributes, type JSONContent } from '@tiptap/core';
import { Plugin, PluginKey, TextSelection } from '@tiptap/pm/state';
import type { Node as PMNode } from '@tiptap/pm/model';
import { newRandomId } from './randomId';

/**
 * The objective block: a structured part of the agreement text, edited live like the rest.
 * Its free-text parts (title, fixed intent, flexible band, revisit trigger) are child nodes
 * so two people can type into them at once; its small facts (scope, quick win, date,
 * owners, indicators) are attributes, which Yjs syncs last-writer-wins.
 */
export const OBJECTIVE = 'objective';

/** The objective's text fields, in document order. */
export const OBJECTIVE_FIELDS = [
  { node: 'objectiveTitle', key: 'title', label: 'Objective' },
  { node: 'objectiveIntent', key: 'intent', label: 'Intent (fixed)' },
  { node: 'objectiveBand', key: 'band', label: 'Targets and agreed band (flexible)' },
  { node: 'objectiveTrigger', key: 'trigger', label: 'Revisit when' },
] as const;
export type ObjectiveFieldKey = (typeof OBJECTIVE_FIELDS)[number]['key'];

/** Attributes of an objective node; `scope` is 'shared' or the id of the party whose own objective it is. */
export interface ObjectiveAttrs {
  id: string;
  scope: string;
  quickWin: boolean;
  /** ISO date (yyyy-mm-dd) or ''. */
  targetDate: string;
  owners: string;
  indicators: string;
}

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    objective: {
      /** Inserts an empty objective block at the selection, with a fresh id. */
      insertObjective: (attrs?: Partial<Omit<ObjectiveAttrs, 'id'>>) => ReturnType;
    };
  }
}

/** What an objective id may be: stance keys (`<objective>:<party>`) and routes (`/objectives/:objectiveId`) carry it. */
export const OBJECTIVE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** A new objective's id. */
export const newObjectiveId = newRandomId;

/** The JSON of an empty objective block. */
export function emptyObjective(attrs: Partial<ObjectiveAttrs> = {}): JSONContent {
  return {
    type: OBJECTIVE,
    attrs: { scope: 'shared', ...attrs, id: attrs.id ?? newObjectiveId() },
    content: OBJECTIVE_FIELDS.map((f) => ({ type: f.node })),
  };
}

const fieldNodes = OBJECTIVE_FIELDS.map((field) =>
  Node.create({
    name: field.node,
    content: 'inline*',
    marks: '_',
    defining: true,
    parseHTML: () => [{ tag: `div[data-objective-field="${field.key}"]` }],
    renderHTML: ({ HTMLAttributes }) => [
      'div',
      mergeAttributes(HTMLAttributes, {
        'data-objective-field': field.key,
        'data-label': field.label,
        class: `objective__field objective__field--${field.key}`,
      }),
      0,
    ],
  }),
);

/** A data-* attribute that round-trips through copy and paste: the node's `name`, written as `data-<htmlName>`. */
function dataAttr(name: string, fallback: string | boolean, htmlName = name) {
  const html = `data-${htmlName.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  return {
    default: fallback,
    parseHTML: (el: HTMLElement) => {
      const value = el.getAttribute(html);
      if (typeof fallback === 'boolean') return value === 'true';
      return value ?? fallback;
    },
    renderHTML: (attrs: Record<string, unknown>) => ({ [html]: String(attrs[name] ?? fallback) }),
  };
}

const uniqueIdsKey = new PluginKey('objectiveUniqueIds');

/**
 * Stances are keyed by objective id, so a pasted or dropped copy of an objective must not
 * share its id with the original, and an objective cut and pasted elsewhere (or dragged) must
 * keep it, or every party's stance on it is lost. The objectives that were there before keep
 * their ids wherever a paste lands; a pasted one takes a new id only when its id is taken (or
 * empty). Only local paste/drop transactions are fixed: fixing remote changes too would make
 * every client rewrite the same node at once.
 */
function uniqueIdsPlugin(): Plugin {
  return new Plugin({
    key: uniqueIdsKey,
    appendTransaction(transactions, old, state) {
      if (!transactions.some((tr) => tr.docChanged && (tr.getMeta('uiEvent') === 'paste' || tr.getMeta('uiEvent') === 'drop'))) return null;
      const stayed = new Set<number>();
      old.doc.descendants((node: PMNode, pos: number) => {
        if (node.type.name !== OBJECTIVE) return true;
        let at: number | null = pos;
        for (const tr of transactions) {
          const mapped = tr.mapping.mapResult(at, 1);
          at = mapped.deletedAfter ? null : mapped.pos;
          if (at === null) break;
        }
        if (at !== null) stayed.add(at);
        return false;
      });
      const objectives: { node: PMNode; pos: number }[] = [];
      state.doc.descendants((node: PMNode, pos: number) => {
        if (node.type.name !== OBJECTIVE) return true;
        objectives.push({ node, pos });
        return false;
      });
      const taken = new Set(objectives.filter(({ pos }) => stayed.has(pos)).map(({ node }) => node.attrs.id as string));
      const tr = state.tr;
      for (const { node, pos } of objectives) {
        if (stayed.has(pos)) continue;
        let id = node.attrs.id as string;
        if (!id || taken.has(id)) {
          id = newObjectiveId();
          tr.setNodeAttribute(pos, 'id', id);
        }
        taken.add(id);
      }
      return tr.docChanged ? tr : null;
    },
  });
}

export const Objective = Node.create({
  name: OBJECTIVE,
  group: 'block',
  content: OBJECTIVE_FIELDS.map((f) => f.node).join(' '),
  isolating: true,
  defining: true,

  addAttributes() {
    return {
      id: dataAttr('id', '', 'objectiveId'),
      scope: dataAttr('scope', 'shared'),
      quickWin: dataAttr('quickWin', false),
      targetDate: dataAttr('targetDate', ''),
      owners: dataAttr('owners', ''),
      indicators: dataAttr('indicators', ''),
    };
  },

  parseHTML: () => [{ tag: 'section[data-objective]' }],
  renderHTML: ({ HTMLAttributes }) => ['section', mergeAttributes(HTMLAttributes, { 'data-objective': '', class: 'objective' }), 0],

  addCommands() {
    return {
      insertObjective:
        (attrs = {}) =>
        ({ chain }) => {
          const content = emptyObjective(attrs);
          const id = content.attrs?.id;
          return chain()
            .insertContent(content)
            .command(({ tr }) => {
              // Put the cursor in the new block's title, where one starts writing it.
              let title = -1;
              tr.doc.descendants((node: PMNode, pos: number) => {
                if (title >= 0) return false;
                if (node.type.name !== OBJECTIVE) return true;
                if (node.attrs.id === id) title = pos + 2;
                return false;
              });
              if (title >= 0) tr.setSelection(TextSelection.create(tr.doc, title));
              return true;
            })
            .run();
        },
    };
  },

  addKeyboardShortcuts() {
    // Enter moves on to the next field (a field cannot be split: the block has exactly one of each).
    return {
      Enter: ({ editor }) => {
        const { $from, empty } = editor.state.selection;
        if (!empty || $from.depth < 1 || $from.node(-1).type.name !== OBJECTIVE) return false;
        const objectivePos = $from.before(-1);
        const objective = $from.node(-1);
        const index = $from.index(-1);
        if (index < objective.childCount - 1) {
          let pos = objectivePos + 1;
          for (let i = 0; i <= index; i++) pos += objective.child(i).nodeSize;
          const tr = editor.state.tr.setSelection(TextSelection.create(editor.state.doc, pos + 1));
          editor.view.dispatch(tr.scrollIntoView());
          return true;
        }
        const after = objectivePos + objective.nodeSize;
        return editor
          .chain()
          .insertContentAt(after, { type: 'paragraph' })
          .setTextSelection(after + 1)
          .scrollIntoView()
          .run();
      },
    };
  },

  addProseMirrorPlugins() {
    return [uniqueIdsPlugin()];
  },
});

/** The objective node and its field nodes, for the shared schema. */
export function objectiveExtensions() {
  return [Objective, ...fieldNodes];
}
