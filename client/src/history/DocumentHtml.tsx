import { useMemo } from 'react';
import { generateHTML, type AnyExtension } from '@tiptap/core';
import type { ProseMirrorJSON } from '#shared/snapshots';

/**
 * A document rendered read-only, exactly as its JSON says, through the same schema as the
 * editor. The HTML comes from ProseMirror's serializer, which escapes all text.
 */
export function DocumentHtml({ content, extensions, testId }: { content: ProseMirrorJSON; extensions: AnyExtension[]; testId: string }) {
  const html = useMemo(() => generateHTML(content, extensions), [content, extensions]);
  return <div className="paper history-doc document" data-testid={testId} dangerouslySetInnerHTML={{ __html: html }} />;
}
