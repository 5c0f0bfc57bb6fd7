import { getSchema, type AnyExtension } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import type { Schema } from '@tiptap/pm/model';
import { objectiveExtensions } from './objective';
import { allowedInEditor } from './safeLinks';

/** The heading levels the editor makes (and the only ones the text takes). */
export const HEADING_LEVELS = [1, 2, 3, 4, 5, 6] as const;
export type HeadingLevel = (typeof HEADING_LEVELS)[number];

/** A heading's level as the editor shows it: Tiptap's Heading renders a level outside {@link HEADING_LEVELS} as the first. */
export function shownHeadingLevel(level: unknown): HeadingLevel {
  return (HEADING_LEVELS as readonly unknown[]).includes(level) ? (level as HeadingLevel) : HEADING_LEVELS[0];
}

/**
 * The agreement document's node and mark definitions, without React, so the
 * browser editor and the server (reading, validating, exporting) use one schema.
 * History is off: the Collaboration extension brings a Yjs undo manager that
 * undoes only the local user's changes.
 */
export function documentExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      undoRedo: false,
      heading: { levels: [...HEADING_LEVELS] },
      // Only web and mail links render with a target, in the editor, the history view and the exports alike.
      link: { openOnClick: false, autolink: true, isAllowedUri: (url, { defaultValidate }) => allowedInEditor(url, defaultValidate) },
    }),
    ...objectiveExtensions(),
  ];
}

let cached: Schema | undefined;

/** The ProseMirror schema built from {@link documentExtensions}. */
export function documentSchema(): Schema {
  cached ??= getSchema(documentExtensions());
  return cached;
}
