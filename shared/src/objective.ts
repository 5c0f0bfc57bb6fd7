import { Node, mergeAttributes, type JSONContent } from '@tiptap/core';
import { Plugin, PluginKey, TextSelection } from '@tiptap/pm/state';
import type { Node as PMNode } from '@tiptap/pm/model';
import { newRandomId } from './randomId';
import { isCalendarDay } from './dayInWords';

/**
 * The objective block: a structured part of the agreement text, edited live like the rest.
 * Its free-text parts (title, fixed intent, flexible band, revisit trigger) and its facts typed
 * as text (owners, indicators) are child nodes, so two people can type into them at once and
 * Yjs merges their words character by character; its small facts chosen whole (scope, quick
 * win, date) are attributes, which Yjs syncs last-writer-wins.
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

/**
 * The objective's facts typed as text, after its text fields: plain text (no marks, no line
 * breaks), shown as labelled inputs rather than as part of the text. Texts stored before they
 * were nodes held them as the objective's attributes of the same key (see `objectiveFacts.ts`).
 */
export const OBJECTIVE_TEXT_FACTS = [
  { node: 'objectiveOwners', key: 'owners', label: 'Owners' },
  { node: 'objectiveIndicators', key: 'indicators', label: 'Indicators' },
] as const;
export type ObjectiveTextFactKey = (typeof OBJECTIVE_TEXT_FACTS)[number]['key'];

/** Every child an objective holds, each once, in this order (the server's check asks for all of them). */
export const OBJECTIVE_CHILDREN: readonly string[] = [...OBJECTIVE_FIELDS, ...OBJECTIVE_TEXT_FACTS].map((f) => f.node);

/** Attributes of an objective node; `scope` is 'shared' or the id of the party whose own objective it is. */
export interface ObjectiveAttrs {
  id: string;
  scope: string;
  quickWin: boolean;
  /** ISO date (yyyy-mm-dd) or ''. */
  targetDate: string;
  /** Empty once moved into the `objectiveOwners` child: texts stored before it held the owners here. */
  owners: string;
  /** Empty once moved into the `objectiveIndicators` child, as `owners`. */
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

/** The JSON of an empty objective block (owners and indicators given go into their fields). */
export function emptyObjective(attrs: Partial<ObjectiveAttrs> = {}): JSONContent {
  const { owners = '', indicators = '', ...rest } = attrs;
  const facts = { owners, indicators };
  return {
    type: OBJECTIVE,
    attrs: { scope: 'shared', ...rest, id: attrs.id ?? newObjectiveId() },
    content: [
      ...OBJECTIVE_FIELDS.map((f) => ({ type: f.node })),
      ...OBJECTIVE_TEXT_FACTS.map((f) => ({ type: f.node, ...(facts[f.key] ? { content: [{ type: 'text', text: facts[f.key] }] } : {}) })),
    ],
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

// Plain text: a fact reads the same in every export and hash as the attribute it once was.
const textFactNodes = OBJECTIVE_TEXT_FACTS.map((fact) =>
  Node.create({
    name: fact.node,
    content: 'text*',
    marks: '',
    defining: true,
    parseHTML: () => [{ tag: `div[data-objective-fact="${fact.key}"]`, preserveWhitespace: 'full' }],
    renderHTML: ({ HTMLAttributes }) => ['div', mergeAttributes(HTMLAttributes, { 'data-objective-fact': fact.key, 'data-label': fact.label }), 0],
  }),
);

/**
 * A data-* attribute that round-trips through copy and paste: the node's `name`, written as `data-<htmlName>`.
 * A pasted value the text does not take (`takes`) reads as the fallback: the server refuses the whole change
 * otherwise, and the paste with it (an objective made outside the app, an id with a space, a date 31/03/2027).
 */
function dataAttr(name: string, fallback: string | boolean, htmlName = name, takes: (value: string) => boolean = () => true) {
  const html = `data-${htmlName.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  return {
    default: fallback,
    parseHTML: (el: HTMLElement) => {
      const value = el.getAttribute(html);
      if (typeof fallback === 'boolean') return value === 'true';
      return value !== null && takes(value) ? value : fallback;
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
  // The facts' fields may be missing in the schema only: y-prosemirror deletes a node its schema finds
  // invalid, and texts and snapshots stored before they existed must read as they did. The server
  // moves them into every text it loads and refuses an objective without them.
  content: [...OBJECTIVE_FIELDS.map((f) => f.node), ...OBJECTIVE_TEXT_FACTS.map((f) => `${f.node}?`)].join(' '),
  isolating: true,
  defining: true,

  addAttributes() {
    return {
      // An id taken elsewhere, or none, is renewed by uniqueIdsPlugin.
      id: dataAttr('id', '', 'objectiveId', (id) => OBJECTIVE_ID.test(id)),
      scope: dataAttr('scope', 'shared'),
      quickWin: dataAttr('quickWin', false),
      targetDate: dataAttr('targetDate', '', 'targetDate', isCalendarDay),
      // Kept declared so texts and snapshots stored before the facts were nodes read as they did.
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
    // Enter moves on to the next text field (a field cannot be split: the block has exactly one of each);
    // the facts after them are typed in their own inputs.
    return {
      Enter: ({ editor }) => {
        const { $from, empty } = editor.state.selection;
        if (!empty || $from.depth < 1 || $from.node(-1).type.name !== OBJECTIVE) return false;
        const objectivePos = $from.before(-1);
        const objective = $from.node(-1);
        const index = $from.index(-1);
        if (index < OBJECTIVE_FIELDS.length - 1) {
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
  return [Objective, ...fieldNodes, ...textFactNodes];
}
