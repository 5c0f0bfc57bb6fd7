/**
 * Word does not put its lists on the clipboard as <ul>/<ol>: each item is a paragraph with
 * an `mso-list` style and a typed bullet or number in a span marked `mso-list:Ignore`.
 * This turns runs of such paragraphs back into real lists before ProseMirror parses the
 * HTML; everything else the schema does not know (styles, spans, <o:p>) ProseMirror drops.
 */
export function wordListsToHTMLLists(html: string): string {
  if (!/mso-list|MsoListParagraph/i.test(html)) return html;
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const isItem = (el: Element | null): el is HTMLElement =>
    !!el && el.tagName === 'P' && (/mso-list/i.test(el.getAttribute('style') ?? '') || /MsoListParagraph/i.test(el.className));

  for (const first of Array.from(doc.body.querySelectorAll('p'))) {
    if (!isItem(first) || isItem(first.previousElementSibling)) continue;
    const items: HTMLElement[] = [];
    for (let el: Element | null = first; isItem(el); el = el.nextElementSibling) items.push(el);
    const marker = items[0].querySelector('span[style*="mso-list"]')?.textContent?.trim() ?? '';
    const list = doc.createElement(/^[0-9a-z]{1,3}[.)]?$/i.test(marker) ? 'ol' : 'ul');
    first.before(list);
    for (const item of items) {
      item.querySelectorAll('span[style*="mso-list"]').forEach((span) => span.remove());
      const li = doc.createElement('li');
      const p = doc.createElement('p');
      p.append(...Array.from(item.childNodes));
      li.append(p);
      list.append(li);
      item.remove();
    }
  }
  return doc.body.innerHTML;
}
