// Word's revision markup, and Word's alone: a deletion is a <del cite="mailto:…" datetime="…"> in a
// span.msoDel, an insertion an <ins> in a span.msoIns (its head styles them struck and underlined).
// A <del> or <s> of any other origin is formatting the author meant, and stays.
const DELETION = 'span.msoDel, del[cite^="mailto:" i]';
const INSERTION = 'span.msoIns, ins[cite^="mailto:" i]';
// A formatting revision: the text in its new formatting in a span.msoChangeProp (a block's, its style naming
// mso-prop-change), the formatting before it as CSS marked "!msorm", which the browser drops as invalid.
const FORMATTING = 'span.msoChangeProp, [style*="mso-prop-change" i]';
const MAY_HOLD = /class=["']?mso(Del|Ins|ChangeProp)\b|cite=["']?mailto:|mso-prop-change/i;
// The span Word types a list item's bullet or number in (its list style hides it).
const TYPED_NUMBER = '[style*="mso-list:Ignore" i], [style*="mso-list: Ignore" i]';
// Put in a Word list item its deletions emptied: see withoutDeletedListItems.
const DELETED_ITEM = 'data-deleted-list-item';

const isWordListItem = (block: Element) => /mso-list/i.test(block.getAttribute('style') ?? '') || /MsoListParagraph/i.test(block.className);

/** The outermost of `elements` (Word nests the <del> in its span.msoDel: one deletion). */
const outermost = (elements: Element[], selector: string) => elements.filter((el) => !el.parentElement?.closest(selector));

/** How many changes `runs` make, a run right after another of the same kind (Word splits one change at each formatting) counting as one. */
function changesIn(runs: Element[]): number {
  const set = new Set(runs);
  return runs.filter((run) => {
    let before = run.previousSibling;
    while (before && before.nodeType === Node.TEXT_NODE && !before.textContent?.trim()) before = before.previousSibling;
    return !(before instanceof Element && set.has(before));
  }).length;
}

/** Whether `block` has words left besides a Word list's typed number (a span styled mso-list:Ignore, which the list shows). */
function hasWords(block: Element): boolean {
  const copy = block.cloneNode(true) as Element;
  copy.querySelectorAll(TYPED_NUMBER).forEach((marker) => marker.remove());
  return Boolean(copy.textContent?.trim()) || copy.querySelector('img') !== null;
}

/**
 * Word puts a copy's tracked changes on the clipboard as it shows them: the deleted words struck
 * through beside the words that replace them. Pasted, the other party's deleted words read as agreed
 * text. The paste is made as Word shows the text with every change accepted: deletions left out
 * (a paragraph they empty too), insertions kept as ordinary words. The answer says how many changes
 * there were, so the person can be told.
 */
export function withTrackedChangesAccepted(html: string): { html: string; trackedChanges: number } {
  if (!MAY_HOLD.test(html)) return { html, trackedChanges: 0 };
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const deletions = outermost(Array.from(doc.body.querySelectorAll(DELETION)), DELETION);
  const insertions = outermost(Array.from(doc.body.querySelectorAll(INSERTION)), INSERTION);
  // A formatting revision comes in as Word shows it accepted already; it is counted, so the person is told of it too.
  const formatting = Array.from(doc.body.querySelectorAll(FORMATTING)).filter((el) => !el.closest(DELETION));
  const trackedChanges = changesIn(deletions) + changesIn(insertions) + changesIn(outermost(formatting, FORMATTING));
  const emptied = new Set(deletions.map((deletion) => deletion.closest('p, li, h1, h2, h3, h4, h5, h6')));
  for (const deletion of deletions) {
    // A list item's typed number deleted with its words is the list's numbering, not words: it stays for the
    // lists to be built by, and the item goes as one emptied by its deletions.
    const block = deletion.closest('p, li, h1, h2, h3, h4, h5, h6');
    if (block && isWordListItem(block)) deletion.querySelectorAll(TYPED_NUMBER).forEach((marker) => deletion.before(marker));
    deletion.remove();
  }
  // A paragraph deleted whole (Word deletes its mark with it) is gone once the deletion is accepted. A list
  // item stays until the lists are built: Word's typed numbers count it, and the list numbers on without it.
  for (const block of emptied) {
    if (!block || hasWords(block)) continue;
    if (!isWordListItem(block)) {
      block.remove();
      continue;
    }
    const mark = doc.createElement('span');
    mark.setAttribute(DELETED_ITEM, '');
    block.append(mark);
  }
  for (const insertion of Array.from(doc.body.querySelectorAll(INSERTION))) insertion.replaceWith(...Array.from(insertion.childNodes));
  return { html: doc.body.innerHTML, trackedChanges };
}

/** Takes out the Word list items whose words were all deleted (marked by {@link withTrackedChangesAccepted}), once the lists are built. */
export function withoutDeletedListItems(html: string): string {
  if (!html.includes(DELETED_ITEM)) return html;
  const doc = new DOMParser().parseFromString(html, 'text/html');
  // Innermost first: an item whose points were all deleted with it (Word deletes an item's sub-points
  // with it) goes whole, leaving no empty number behind.
  for (const mark of Array.from(doc.body.querySelectorAll(`[${DELETED_ITEM}]`)).reverse()) {
    const item = mark.closest('li');
    if (!item) {
      mark.remove();
      continue;
    }
    const list = item.parentElement;
    // Points left under it go where Word shows them with the change accepted: under the item before,
    // numbering on there, or, under none, in the item's place.
    for (const points of Array.from(item.children).filter((child) => child.tagName === 'OL' || child.tagName === 'UL')) {
      if (item.previousElementSibling) appendPoints(item.previousElementSibling, points);
      else list?.before(points);
    }
    item.remove();
    if (list && !list.querySelector('li')) list.remove();
  }
  return doc.body.innerHTML;
}

/** Puts `points` under `item`: into its own list of points when it ends with one of the same kind, so they number on. */
function appendPoints(item: Element, points: Element): void {
  const last = item.lastElementChild;
  const sameKind = last && last.tagName === points.tagName && last.getAttribute('type') === points.getAttribute('type');
  if (sameKind) last.append(...Array.from(points.children));
  else item.append(points);
}
