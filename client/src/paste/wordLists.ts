import { listMarker, type ListMarker } from './listMarkers';

const isItem = (el: Element | null): el is HTMLElement =>
  !!el && el.tagName === 'P' && (/mso-list/i.test(el.getAttribute('style') ?? '') || /MsoListParagraph/i.test(el.className));

/** The span Word types an item's bullet or number in (hidden by its list style), and what it holds. */
function typedMarker(item: HTMLElement): { span: Element | null; text: string } {
  const span = item.querySelector('span[style*="mso-list:Ignore" i], span[style*="mso-list: Ignore" i]');
  return { span, text: span?.textContent?.replace(/\s+/g, ' ').trim() ?? '' };
}

/** The item's level in Word's list (`mso-list:l0 level2 lfo1`), 1 at the outermost. */
const levelOf = (item: HTMLElement) => Number(/level(\d+)/i.exec(item.getAttribute('style') ?? '')?.[1] ?? 1);

function newList(doc: Document, marker: ListMarker): HTMLElement {
  const list = doc.createElement(marker.ordered ? 'ol' : 'ul');
  if (marker.ordered && marker.start !== 1) list.setAttribute('start', String(marker.start));
  if (marker.ordered && marker.type !== '1') list.setAttribute('type', marker.type);
  return list;
}

/** Puts a run of Word list paragraphs back into nested lists, each starting at the number Word showed. */
function rebuildRun(doc: Document, items: HTMLElement[]): void {
  // The lists open at each depth, outermost first.
  const open: { level: number; list: HTMLElement; next: number }[] = [];
  let anchor: Element = items[0];
  for (const item of items) {
    const { span, text } = typedMarker(item);
    const marker = listMarker(text);
    const level = levelOf(item);
    if (!marker) {
      // A number no HTML list shows (2.1., Article 3): kept as the item's words, so the text still cites it.
      if (span) span.replaceWith(`${text} `);
      open.length = 0;
      anchor = item;
      continue;
    }
    span?.remove();
    while (open.length > 0 && open[open.length - 1].level > level) open.pop();
    const top = open[open.length - 1];
    // Another list side by side (its numbers start again, or it is bulleted where this one is numbered) is a list of its own.
    const goesOn = top && top.level === level && top.list.tagName === (marker.ordered ? 'OL' : 'UL') && (!marker.ordered || marker.start === top.next);
    if (!goesOn) {
      if (top && top.level === level) open.pop();
      const list = newList(doc, marker);
      const parent = open[open.length - 1];
      if (parent) parent.list.lastElementChild!.append(list);
      else {
        anchor.after(list);
        anchor = list;
      }
      open.push({ level, list, next: marker.ordered ? marker.start : 1 });
    }
    open[open.length - 1].next += 1;
    const li = doc.createElement('li');
    const p = doc.createElement('p');
    p.append(...Array.from(item.childNodes));
    li.append(p);
    open[open.length - 1].list.append(li);
    item.remove();
  }
}

/**
 * Word does not put its lists on the clipboard as <ul>/<ol>: each item is a paragraph with
 * an `mso-list` style (its level in it) and a typed bullet or number in a span marked
 * `mso-list:Ignore`. This turns runs of such paragraphs back into real lists, nested by level
 * and starting at the number Word showed, before ProseMirror parses the HTML; everything else
 * the schema does not know (styles, spans, <o:p>) ProseMirror drops.
 */
export function wordListsToHTMLLists(html: string): string {
  if (!/mso-list|MsoListParagraph/i.test(html)) return html;
  const doc = new DOMParser().parseFromString(html, 'text/html');
  for (const first of Array.from(doc.body.querySelectorAll('p'))) {
    if (!first.isConnected || !isItem(first) || isItem(first.previousElementSibling)) continue;
    const items: HTMLElement[] = [];
    for (let el: Element | null = first; isItem(el); el = el.nextElementSibling) items.push(el);
    rebuildRun(doc, items);
  }
  return doc.body.innerHTML;
}
