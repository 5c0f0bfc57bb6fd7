import type { Node as PMNode } from '@tiptap/pm/model';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { insertedText } from '#shared/suggestions';
import type { SuggestionsController } from './SuggestionsController';
import { textlessInsertionInWords } from './text';

/** An insertion shown in the text: the suggester's words, underlined in their party's colour. */
function insertionElement(text: string, color: string, classes: string, key: string): HTMLElement {
  const span = document.createElement('span');
  span.className = `suggestion-ins ${classes}`;
  span.style.setProperty('--suggestion-color', color);
  span.textContent = text;
  // Typing beside it must go into the text (and so to the draft), never into this drawing.
  span.contentEditable = 'false';
  span.dataset.suggestion = key;
  return span;
}

/**
 * The open suggestions and the draft in `doc`, drawn as decorations: deletions struck, insertions shown where they go,
 * formatting marked, whole blocks given a change bar. Nothing is written into the text.
 */
export function drawSuggestions(controller: SuggestionsController, doc: PMNode): DecorationSet {
  const decorations: Decoration[] = [];
  const size = doc.content.size;
  for (const s of controller.getSnapshot().suggestions) {
    if (s.status !== 'open') continue;
    const place = controller.place(s, doc);
    if (!place || place.to > size) continue;
    const color = controller.colorOf(s.author.party);
    const state = place.outdated ? ' suggestion--outdated' : '';
    if (place.to > place.from && s.kind === 'blocks') {
      // Whole blocks deleted carry a change bar, as Word draws one beside changed lines (an empty paragraph has no text to strike).
      doc.nodesBetween(place.from, place.to, (node, pos) => {
        if (pos < place.from || pos + node.nodeSize > place.to || !node.isBlock) return true;
        decorations.push(
          Decoration.node(
            pos,
            pos + node.nodeSize,
            { class: `suggestion-del-block${state}`, style: `--suggestion-color: ${color}` },
            { key: `del-block:${s.id}:${pos}` },
          ),
        );
        return false;
      });
    }
    if (s.kind === 'format') {
      // Formatting proposed: the passage is marked, not struck (the card says which formatting).
      if (place.to > place.from)
        decorations.push(
          Decoration.inline(
            place.from,
            place.to,
            { class: `suggestion-format${state}`, style: `--suggestion-color: ${color}`, 'data-suggestion': s.id },
            { key: `format:${s.id}` },
          ),
        );
      continue;
    }
    if (place.to > place.from) {
      decorations.push(
        Decoration.inline(
          place.from,
          place.to,
          { class: `suggestion-del${state}`, style: `--suggestion-color: ${color}`, 'data-suggestion': s.id },
          { key: `del:${s.id}` },
        ),
      );
    }
    // Blocks with no text (an empty paragraph, a rule) are named in brackets: there are no words to underline.
    const described = textlessInsertionInWords(s);
    const inserted = described || insertedText(s);
    if (inserted) {
      const classes = `${s.kind === 'blocks' ? 'suggestion-ins--block' : ''}${described ? ' suggestion-ins--described' : ''}${state}`;
      decorations.push(
        Decoration.widget(place.to, () => insertionElement(inserted, color, classes, s.id), { side: -1, key: `ins:${s.id}:${inserted}:${state}` }),
      );
    }
  }
  const draft = controller.currentDraft();
  if (draft && draft.to <= size) {
    const mine = controller.colorOf(undefined);
    if (draft.to > draft.from) decorations.push(Decoration.inline(draft.from, draft.to, { class: 'suggestion-del suggestion--draft' }, { key: 'draft-del' }));
    if (draft.text) {
      decorations.push(
        Decoration.widget(draft.to, () => insertionElement(draft.text, mine, 'suggestion--draft', 'draft'), { side: -1, key: `draft-ins:${draft.text}` }),
      );
    }
  }
  return DecorationSet.create(doc, decorations);
}
