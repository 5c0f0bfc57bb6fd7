import type { AgendaItem } from '#shared/sessions';

/** Where an agenda item is in the text: its objective block, or the first heading that reads as its section. */
export function itemElement(item: AgendaItem): Element | null {
  if (item.kind === 'objective' && item.objectiveId) return document.querySelector(`[data-objective-id="${CSS.escape(item.objectiveId)}"]`);
  if (item.kind === 'section' && item.section) {
    const wanted = item.section.trim();
    return [...document.querySelectorAll('.ProseMirror :is(h1, h2, h3, h4, h5, h6)')].find((h) => h.textContent?.trim() === wanted) ?? null;
  }
  return null;
}
