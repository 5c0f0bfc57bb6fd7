import { tablesToRows } from './tableRows';
import { wordListsToHTMLLists } from './wordLists';

/** Clipboard HTML from Word, Google Docs, spreadsheets and mail, made readable by the text's schema before ProseMirror parses it. */
export function pastedHTML(html: string): string {
  return tablesToRows(wordListsToHTMLLists(html));
}
