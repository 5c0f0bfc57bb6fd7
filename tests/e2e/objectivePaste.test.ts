import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { cast, useStage, waitForText, writeBeforeOpening } from './browser';
import { objective, paragraph } from '../support/document';

const stage = useStage();

/** The clipboard's HTML of the first objective of the text, as a copy of it carries it. */
const copiedObjective = (page: Page): Promise<string> =>
  page.locator('.ProseMirror').evaluate((el) => {
    const { view } = (el as HTMLElement & { editor: { view: import('@tiptap/pm/view').EditorView } }).editor;
    let at = -1;
    view.state.doc.forEach((node, offset) => {
      if (node.type.name === 'objective' && at < 0) at = offset;
    });
    return view.serializeForClipboard(view.state.doc.slice(at, at + view.state.doc.nodeAt(at)!.nodeSize)).dom.innerHTML;
  });

/** Pastes `html` at the end of the text, as Ctrl+V would. */
const pasteAtEnd = (page: Page, html: string) =>
  page.locator('.ProseMirror').evaluate((el, html) => {
    const { view } = (el as HTMLElement & { editor: { view: import('@tiptap/pm/view').EditorView } }).editor;
    view.focus();
    const end = view.state.doc.content.size - 1;
    view.dispatch(
      view.state.tr.setSelection((view.state.selection.constructor as typeof import('@tiptap/pm/state').TextSelection).create(view.state.doc, end)),
    );
    view.pasteHTML(html);
  }, html);

// A negotiator who copied another party's own objective (to start one of the same kind) or an
// objective from another agreement and pasted it saw nothing happen: the editor refused the paste
// in silence, since the copy would have been written in another party's name (or a party of
// another agreement, whom nobody here may write for).
// Before: timed out waiting for 2 objectives (the paste was dropped).
it('another party’s objective, or another agreement’s, pasted by a negotiator comes in as a shared objective, and the negotiator is told', async () => {
  const c = await cast(stage.server);
  await writeBeforeOpening(
    stage.server,
    c.fx.agreement.id,
    c.fx.brokerToken,
    {
      type: 'doc',
      content: [objective('acme1', { title: 'Acme sells more bottles', intent: 'Market share' }, { scope: c.fx.businessId }), paragraph('The end.')],
    },
    'The end',
  );
  const nia = await stage.join(c.url(c.ngo));
  await waitForText(nia.page, 'Acme sells more bottles');
  const copied = await copiedObjective(nia.page);
  const elsewhere = copied
    .replace(/data-scope="[^"]*"/, 'data-scope="party-of-another-agreement"')
    .replace('Acme sells more bottles', 'From another agreement');

  const objectives = nia.page.getByTestId('objective');
  await pasteAtEnd(nia.page, copied);
  await nia.page.waitForFunction(() => document.querySelectorAll('[data-testid="objective"]').length === 2, undefined, { polling: 50, timeout: 10_000 });
  await pasteAtEnd(nia.page, elsewhere);
  await nia.page.waitForFunction(() => document.querySelectorAll('[data-testid="objective"]').length === 3, undefined, { polling: 50, timeout: 10_000 });

  expect(await objectives.locator('.objective__kind').allTextContents()).toEqual(["Acme Beverages's own objective", 'Shared objective', 'Shared objective']);
  expect(await objectives.nth(1).getAttribute('data-objective-id')).not.toBe('acme1');
  await nia.page.getByTestId('paste-made-shared').getByText('pasted as a shared objective').waitFor({ timeout: 5_000 });
  // Nia writes on in the copy: it is hers to write.
  await objectives.nth(1).locator('[data-objective-field="title"]').click();
  await nia.page.keyboard.press('End');
  await nia.page.keyboard.type(' and water');
  const ben = await stage.join(c.url(c.business));
  await waitForText(ben.page, 'Acme sells more bottles and water');
});
