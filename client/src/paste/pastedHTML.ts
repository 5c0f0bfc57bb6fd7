import { imagesIn, type LeftOut } from './leftOut';
import { tablesToRows } from './tableRows';
import { withoutWordComments } from './wordComments';
import { withPlainFootnotes } from './wordFootnotes';
import { wordListsToHTMLLists } from './wordLists';
import { withoutDeletedListItems, withTrackedChangesAccepted } from './wordTrackedChanges';

/**
 * Clipboard HTML from Word, Google Docs, spreadsheets and mail, made readable by the text's schema before
 * ProseMirror parses it; `onLeftOut` hears what it held that the text cannot (ProseMirror drops images).
 */
export function pastedHTML(html: string, onLeftOut: (leftOut: LeftOut) => void): string {
  const { html: withoutComments, comments } = withoutWordComments(html);
  const { html: accepted, trackedChanges } = withTrackedChangesAccepted(withoutComments);
  const images = imagesIn(accepted);
  if (comments + images + trackedChanges > 0) onLeftOut({ comments, images, files: 0, trackedChanges });
  return tablesToRows(withoutDeletedListItems(wordListsToHTMLLists(withPlainFootnotes(accepted))));
}
