import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { TestClient } from '../support/clients';
import { useStage } from './browser';
import { objectivesAndParagraph as opened, othersSee, OWN_TEXT, pastePlain, SHARED_TEXT } from './objectiveEdges';
import { blockTexts, selectAcross } from './selectAcross';

// Edits over a selection that runs out of an objective's field into a paragraph or another objective (no other party's
// objective in between): the selected words go as in any word processor, every field and fact is kept.
const stage = useStage();
const objectivesAndParagraph = () => opened(stage);

/** `edit` over the selection from `start` to `end`; the other party sees `after`; one undo brings `before` back; no notice says nothing changed. */
async function editedThenUndone(
  page: Page,
  w: TestClient,
  selection: [start: string, end: string, holding: string],
  edit: () => Promise<void>,
  after: string[],
  before: string[],
) {
  await selectAcross(page, ...selection);
  await edit();
  await othersSee(w, after, `the edit over ${selection.join(' → ')}`);
  await page.keyboard.press('Control+z');
  await othersSee(w, before, `the edit over ${selection.join(' → ')} undone`);
  expect(await page.getByTestId('foreign-objective-refused').count()).toBe(0);
  expect(await page.getByTestId('objective-shape-refused').count()).toBe(0);
}

describe('an edit over a selection from an objective’s field into a paragraph or another objective', () => {
  // The fact-field guard refused these: the step also took the objective's owners and indicators fields. Nothing happened, nothing was said.
  it('Delete, Backspace, typing, Cut and a paste from a field into the next paragraph take the selected words and keep every field', async () => {
    const { w, page, before } = await objectivesAndParagraph();
    const sel: [string, string, string] = ['10 to 20', 'of the agreement', 'when staff leave'];
    const cut = ['Shared objectives', SHARED_TEXT, 'Train kiosk staffSkilled staffBen', 'of the agreement.'];
    for (const key of ['Delete', 'Backspace']) await editedThenUndone(page, w, sel, () => page.keyboard.press(key), cut, before);
    const typed = ['Shared objectives', SHARED_TEXT, 'Train kiosk staffSkilled staffxBen', 'of the agreement.'];
    await editedThenUndone(page, w, sel, () => page.keyboard.type('x'), typed, before);
    await editedThenUndone(page, w, sel, () => page.keyboard.press('Control+x'), cut, before);
    // Paragraphs pasted into a field come in as its lines (a line break between them).
    const pasted = ['Shared objectives', SHARED_TEXT, 'Train kiosk staffSkilled staffFiveSixBen', 'of the agreement.'];
    await editedThenUndone(page, w, sel, () => pastePlain(page, 'Five\n\nSix'), pasted, before);
  });

  it('typing and Delete from a heading into a field, and from one objective’s field into the next objective’s, take the selected words', async () => {
    const { w, page, before } = await objectivesAndParagraph();
    const fromHeading: [string, string, string] = ['objectives', 'water kiosks', 'Fund the'];
    const typed = ['Shared x', 'water kiosksSafe water40 to 60 kioskswhen prices riseBen', OWN_TEXT, 'Closing words of the agreement.'];
    await editedThenUndone(page, w, fromHeading, () => page.keyboard.type('x'), typed, before);
    const pasted = ['Shared Five', 'Six', 'water kiosksSafe water40 to 60 kioskswhen prices riseBen', OWN_TEXT, 'Closing words of the agreement.'];
    await editedThenUndone(page, w, fromHeading, () => pastePlain(page, 'Five\n\nSix'), pasted, before);

    const fieldToField: [string, string, string] = ['60 kiosks', 'kiosk staff', 'Train'];
    const deleted = [
      'Shared objectives',
      'Fund the water kiosksSafe water40 to Ben',
      'kiosk staffSkilled staff10 to 20 trainedwhen staff leaveBen',
      'Closing words of the agreement.',
    ];
    await editedThenUndone(page, w, fieldToField, () => page.keyboard.press('Delete'), deleted, before);
    const typedAcross = [
      'Shared objectives',
      'Fund the water kiosksSafe water40 to yBen',
      'kiosk staffSkilled staff10 to 20 trainedwhen staff leaveBen',
      'Closing words of the agreement.',
    ];
    await editedThenUndone(page, w, fieldToField, () => page.keyboard.type('y'), typedAcross, before);
  });

  // Not remade (a whole objective pasted into the middle of another would nest or split it): refused whole, as
  // before, but no longer in silence.
  it('a paste holding a whole objective over such a selection changes nothing, and says why', async () => {
    const { w, page, before } = await objectivesAndParagraph();
    const copied = await page.locator('.ProseMirror').evaluate((el) => {
      const { view } = (el as HTMLElement & { editor: { view: import('@tiptap/pm/view').EditorView } }).editor;
      let at = -1;
      view.state.doc.forEach((node, offset) => {
        if (node.type.name === 'objective' && at < 0) at = offset;
      });
      return view.serializeForClipboard(view.state.doc.slice(at, at + view.state.doc.nodeAt(at)!.nodeSize)).dom.innerHTML;
    });
    await selectAcross(page, '10 to 20', 'of the agreement', 'when staff leave');
    await page.locator('.ProseMirror').evaluate((el, html) => {
      (el as HTMLElement & { editor: { view: import('@tiptap/pm/view').EditorView } }).editor.view.pasteHTML(html);
    }, copied);
    await page.getByTestId('objective-shape-refused').getByText('Nothing was changed').waitFor({ timeout: 5_000 });
    expect(blockTexts(w)).toEqual(before);
    expect(await page.getByTestId('objective').count()).toBe(2);
  });
});
