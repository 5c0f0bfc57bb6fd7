import type { ExportFormat } from '#shared/snapshots';
import { toDocx } from './docx';
import { toHtml } from './html';
import { toMarkdown } from './markdown';
import type { ExportInput } from './meta';

/**
 * A fingerprinted document (a snapshot, the live text, a session's minutes) rendered in one
 * format. Run in the document worker, never on the main thread: a .docx of a 40-page
 * agreement takes half a second to build, and every room's sync would wait behind it.
 */
export async function renderBody(input: ExportInput, format: ExportFormat): Promise<string | Buffer> {
  return format === 'md' ? toMarkdown(input) : format === 'html' ? toHtml(input) : await toDocx(input);
}
