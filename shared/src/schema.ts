import { getSchema, type AnyExtension } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import type { Schema } from '@tiptap/pm/model';
import { objectiveExtensions } from './objective';

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
      link: { openOnClick: false, autolink: true },
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
