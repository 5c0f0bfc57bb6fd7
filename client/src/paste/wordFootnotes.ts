const REFERENCE = 'a[href*="#_ftn" i], a[href*="#_edn" i], a[style*="mso-footnote-id" i], a[style*="mso-endnote-id" i]';
const NOTE_LIST = /mso-element:\s*(foot|end)note-list/i;

/**
 * Word puts a copy's footnotes (and endnotes) on the clipboard as links: each reference in the text
 * to "#_ftn1", each note after the text back to "#_ftnref1". In the agreement those links lead
 * nowhere. A legal reader needs the marker and the note: each reference becomes its plain marker
 * ("[1]", "[i]" for an endnote, as Word shows it where notes are not laid out), and the notes stay
 * after the text as paragraphs starting with it.
 */
export function withPlainFootnotes(html: string): string {
  if (!/_ftn|_edn|mso-(foot|end)note/i.test(html)) return html;
  const doc = new DOMParser().parseFromString(html, 'text/html');
  for (const reference of Array.from(doc.body.querySelectorAll(REFERENCE))) {
    const number = /#_(?:ftn|edn)(?:ref)?(\d+)/i.exec(reference.getAttribute('href') ?? '')?.[1];
    const marker = reference.textContent?.trim() || (number ? `[${number}]` : '');
    reference.replaceWith(doc.createTextNode(marker));
  }
  // The short rule Word draws above the notes would be a rule across the agreement.
  for (const list of Array.from(doc.body.querySelectorAll('div[style]')).filter((div) => NOTE_LIST.test(div.getAttribute('style') ?? ''))) {
    list.querySelectorAll('hr, br[clear]').forEach((el) => el.remove());
  }
  return doc.body.innerHTML;
}
