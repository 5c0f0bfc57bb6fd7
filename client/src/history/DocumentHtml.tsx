import { useMemo } from 'react';
import { generateHTML, type AnyExtension } from '@tiptap/core';
import { foldedObjective, mapObjectives } from '#shared/objectiveFacts';
import type { ProseMirrorJSON } from '#shared/snapshots';

/**
 * A document rendered read-only, exactly as its JSON says, through the same schema as the
 * editor. The HTML comes from ProseMirror's serializer, which escapes all text. An objective's
 * owners and indicators are read from their fields into its facts (objectiveDisplay.ts shows them).
 */
export function DocumentHtml({ content, extensions, testId }: { content: ProseMirrorJSON; extensions: AnyExtension[]; testId: string }) {
  const html = useMemo(() => generateHTML(mapObjectives(content, foldedObjective), extensions), [content, extensions]);
  return <div className="paper history-doc document" data-testid={testId} dangerouslySetInnerHTML={{ __html: html }} />;
}
