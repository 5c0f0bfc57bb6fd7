import { Extension, Mark, mergeAttributes, type AnyExtension } from '@tiptap/core';
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

/** A block (paragraph, objective, list…) added or removed whole, as the diff marks it, after prepareDiff named its party. */
interface BlockChange {
  type: 'added' | 'removed';
  author: { name: string };
  partyName?: string | null;
  color?: string | null;
}

/**
 * A block added or removed whole is drawn with a bar in its party's colour (and struck through
 * when removed): an objective added with nothing written in it yet has no text to underline.
 */
const blockChanges = Extension.create({
  name: 'blockChanges',
  addGlobalAttributes() {
    const blocks = this.extensions.filter((e) => e.type === 'node' && e.name !== 'text' && e.name !== 'doc').map((e) => e.name);
    return [
      {
        types: blocks,
        attributes: {
          blockChange: {
            default: null,
            renderHTML: (attrs) => {
              const change = attrs.blockChange as BlockChange | null;
              if (!change) return {};
              const who = `${change.author.name}${change.partyName ? ` (${change.partyName})` : ''}`;
              return {
                class: `block-change block-change--${change.type}`,
                'data-block-change': change.type,
                title: `${change.type === 'added' ? 'Added' : 'Removed'} by ${who}`,
                style: change.color ? `--change-color: ${change.color}` : undefined,
              };
            },
          },
        },
      },
    ];
  },
});

/** The document schema (objectives drawn for reading) plus the change marks: what a compare view renders with. */
export function diffExtensions(parties: Party[]): AnyExtension[] {
  return readingExtensions(parties, [changeMark('insertion', 'ins'), changeMark('deletion', 'del'), blockChanges]);
}
