import { tablesToRows } from './tableRows';
import { withoutWordComments } from './wordComments';
import { wordListsToHTMLLists } from './wordLists';

/** What the person is told about a paste. */
export interface PasteNotices {
  /** Word comments on what was pasted were left out of the text (how many). */
  commentsLeftOut(count: number): void;
}

/** Clipboard HTML from Word, Google Docs, spreadsheets and mail, made readable by the text's schema before ProseMirror parses it. */
export function pastedHTML(html: string, notices: PasteNotices): string {
  const { html: withoutComments, comments } = withoutWordComments(html);
  if (comments > 0) notices.commentsLeftOut(comments);
  return tablesToRows(wordListsToHTMLLists(withoutComments));
}
