const COMMENT = /mso-element:\s*comment(?!-)/i;
const COMMENT_LIST = /mso-element:\s*comment-list/i;

/**
 * Word puts the comments on what is copied on the clipboard too: an anchor ("[NO1]") in the text
 * and the comments' words in a list after it, which the browser shows as text. Pasted, a side's
 * own comments ("Our floor is 3%") became words of the agreement every party reads. They are taken
 * out; the answer says how many comments there were, so the person can be told.
 */
export function withoutWordComments(html: string): { html: string; comments: number } {
  if (!/mso-element:\s*comment|msocomanchor|MsoCommentReference/i.test(html)) return { html, comments: 0 };
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const styled = Array.from(doc.body.querySelectorAll('div[style]'));
  // A copy of part of the text may hold a comment's anchor without the comment, or the other way round.
  const comments = Math.max(styled.filter((div) => COMMENT.test(div.getAttribute('style') ?? '')).length, doc.body.querySelectorAll('a.msocomanchor').length);
  for (const div of styled) if (COMMENT_LIST.test(div.getAttribute('style') ?? '') || COMMENT.test(div.getAttribute('style') ?? '')) div.remove();
  doc.body.querySelectorAll('.MsoCommentReference, a.msocomanchor, [style*="mso-special-character:comment" i]').forEach((el) => el.remove());
  return { html: doc.body.innerHTML, comments };
}
