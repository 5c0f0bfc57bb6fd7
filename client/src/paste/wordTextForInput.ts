import { withoutWordComments } from './wordComments';
import { withTrackedChangesAccepted } from './wordTrackedChanges';

const BLOCKS = 'p, li, h1, h2, h3, h4, h5, h6';

/**
 * The words a one-line text input (an objective's owners, its indicators) takes from clipboard HTML that
 * holds Word's tracked changes, as Word shows them with every change accepted: blocks joined by a space,
 * Word's comments left out; and how many changes it accepted, to tell the person. Null when the HTML holds no tracked change: the input takes the plain text.
 * An input pastes the clipboard's plain text, and Word's plain text of a copy with tracked changes is not
 * the accepted text the body and the objective's other fields take from its HTML.
 */
export function wordTextForInput(html: string): { text: string; trackedChanges: number } | null {
  if (!html) return null;
  const { html: accepted, trackedChanges } = withTrackedChangesAccepted(withoutWordComments(html).html);
  if (trackedChanges === 0) return null;
  const doc = new DOMParser().parseFromString(accepted, 'text/html');
  const blocks = Array.from(doc.body.querySelectorAll(BLOCKS)).filter((block) => !block.querySelector(BLOCKS));
  const text = (blocks.length > 0 ? blocks : [doc.body])
    .map((block) => (block.textContent ?? '').replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join(' ');
  return { text, trackedChanges };
}
