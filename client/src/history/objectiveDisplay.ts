import { mergeAttributes, type AnyExtension } from '@tiptap/core';
import type { DOMOutputSpec } from '@tiptap/pm/model';
import { OBJECTIVE, Objective } from '#shared/objective';
import { OBJECTIVE_FACTS, factInWords } from '#shared/objectiveFacts';
import type { Party } from '#shared/protocol';
import { documentExtensions } from '#shared/schema';
import type { FactChange } from '#shared/snapshots';

/** Who changed a fact, as the change marks of the text say it. */
function changedBy(change: FactChange, parties: Party[]): { who: string; color: string | null } {
  const party = parties.find((p) => p.id === change.author.party);
  return { who: `${change.author.name}${party ? ` (${party.name})` : ''}`, color: party?.color ?? null };
}

/**
 * The objective block as a reader sees it in a snapshot or a comparison: every fact in words
 * above its text fields, and in a comparison each changed fact with its old value struck
 * through and its new one underlined, in the colour of the party that changed it. Display
 * only: `factChanges` never enters the live document's schema.
 */
function objectiveForReading(parties: Party[]) {
  return Objective.extend({
    addAttributes() {
      return { ...this.parent?.(), factChanges: { default: null, rendered: false } };
    },
    renderHTML({ node, HTMLAttributes }) {
      const changes = (node.attrs.factChanges ?? []) as FactChange[];
      const items = OBJECTIVE_FACTS.map((fact): DOMOutputSpec => {
        const change = changes.find((c) => c.fact === fact.key);
        if (!change)
          return [
            'div',
            { class: 'objective-facts__item', 'data-fact': fact.key },
            ['dt', fact.label],
            ['dd', factInWords(fact.key, node.attrs[fact.key], parties)],
          ];
        const { who, color } = changedBy(change, parties);
        const mark = (tag: 'del' | 'ins', value: unknown, verb: string): DOMOutputSpec => [
          tag,
          {
            class: `change change--${tag === 'del' ? 'deletion' : 'insertion'}`,
            'data-party': change.author.party ?? '',
            title: `${verb} by ${who}`,
            ...(color ? { style: `--change-color: ${color}` } : {}),
          },
          factInWords(fact.key, value, parties),
        ];
        return [
          'div',
          { class: 'objective-facts__item objective-facts__item--changed', 'data-fact': fact.key, 'data-changed': 'true' },
          ['dt', fact.label],
          ['dd', mark('del', change.from, 'Changed'), ' → ', mark('ins', change.to, 'Changed'), ['span', { class: 'objective-facts__who' }, ` (${who})`]],
        ];
      });
      return [
        'section',
        mergeAttributes(HTMLAttributes, { 'data-objective': '', class: 'objective objective--reading' }),
        ['dl', { class: 'objective-facts' }, ...items],
        ['div', { class: 'objective__fields' }, 0],
      ];
    },
  });
}

/** The document schema with objectives drawn for reading, facts included. */
export function readingExtensions(parties: Party[], extra: AnyExtension[] = []): AnyExtension[] {
  return [...documentExtensions().map((e) => (e.name === OBJECTIVE ? objectiveForReading(parties) : e)), ...extra];
}
