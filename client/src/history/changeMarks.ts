import { Mark, mergeAttributes, type AnyExtension } from '@tiptap/core';
import type { Party } from '#shared/protocol';
import { readingExtensions } from './objectiveDisplay';

/** A diff's change marks, for display only: they never enter the live document's schema. */
function changeMark(name: 'insertion' | 'deletion', tag: 'ins' | 'del') {
  return Mark.create({
    name,
    addAttributes() {
      return {
        // Rendered together below, not one HTML attribute each.
        personId: { default: '', renderHTML: () => ({}) },
        name: { default: 'Unknown', renderHTML: () => ({}) },
        party: { default: null, renderHTML: () => ({}) },
        color: { default: null, renderHTML: () => ({}) },
        partyName: { default: null, renderHTML: () => ({}) },
      };
    },
    renderHTML({ HTMLAttributes, mark }) {
      const who = `${mark.attrs.name as string}${mark.attrs.partyName ? ` (${mark.attrs.partyName as string})` : ''}`;
      return [
        tag,
        mergeAttributes(HTMLAttributes, {
          class: `change change--${name}`,
          'data-party': mark.attrs.party ?? '',
          title: `${name === 'insertion' ? 'Inserted' : 'Deleted'} by ${who}`,
          style: mark.attrs.color ? `--change-color: ${mark.attrs.color as string}` : undefined,
        }),
        0,
      ];
    },
  });
}

/** The document schema (objectives drawn for reading) plus the change marks: what a compare view renders with. */
export function diffExtensions(parties: Party[]): AnyExtension[] {
  return readingExtensions(parties, [changeMark('insertion', 'ins'), changeMark('deletion', 'del')]);
}
