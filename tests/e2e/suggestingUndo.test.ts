import { describe, expect, it } from 'vitest';
import { contentRoom } from '#shared/rooms';
import type { SuggestionListing } from '#shared/suggestions';
import { waitFor } from '../support/poll';
import { api } from '../support/server';
import { cast, paragraphs, selectText, typeAtEnd, useStage } from './browser';

const stage = useStage();

/**
 * In Suggesting mode the person's edits never reach the text; Undo must not either. The editor's
 * undo is Yjs's, which undoes the person's own earlier writes straight into the shared text: Ctrl+Z
 * to take back a typo of a suggestion deleted the paragraph they had typed before, for everyone.
 */
describe('Undo in Suggesting mode', () => {
  it('takes back what is being suggested, keystroke by keystroke, and never the text written before', async () => {
    const c = await cast(stage.server);
    const ngo = await stage.join(c.url(c.ngo));
    const clause = 'Liability is shared between the parties.';
    await typeAtEnd(ngo.page, clause);
    const serverText = () => stage.server.app.ctx.rooms.with(contentRoom(c.fx.agreement.id), (room) => room.doc.getXmlFragment('content').toString());
    await waitFor(async () => (await serverText()).includes(clause), { what: 'the clause on the server' });

    await ngo.page.getByTestId('mode-suggesting').click();
    await selectText(ngo.page, 'shared', { caretAfter: true });
    await ngo.page.keyboard.type(' fairly');
    await ngo.page.locator('.ProseMirror .suggestion-ins', { hasText: ' fairly' }).waitFor();
    // Seven characters typed, nine undos: the draft goes, and the two left over change nothing.
    for (let i = 0; i < 9; i++) await ngo.page.keyboard.press('Control+z');
    await ngo.page.locator('.ProseMirror .suggestion-ins').waitFor({ state: 'detached', timeout: 10_000 });
    // The toolbar's Undo has nothing left to take back either (it was the text's undo, enabled by the clause typed before).
    await expect.poll(() => ngo.page.getByRole('button', { name: 'Undo your last change' }).isDisabled(), { timeout: 10_000 }).toBe(true);
    await ngo.page.keyboard.type(' equally');
    await ngo.page.keyboard.press('Control+z');
    await ngo.page.keyboard.type('y');

    const listed = async () =>
      (await api<{ suggestions: SuggestionListing[] }>(stage.server, 'GET', `/api/agreements/${c.fx.agreement.id}/suggestions`, undefined, c.ngo)).body
        .suggestions;
    await waitFor(async () => (await listed()).length > 0, { what: 'the suggestion stored', timeoutMs: 15_000 });
    const [suggestion, ...others] = await listed();
    expect(others).toEqual([]);
    expect(suggestion).toMatchObject({ kind: 'text', deleted: '', text: ' equally', outdated: false, from: 1 + clause.indexOf(' between') });
    expect(await serverText()).toBe(`<paragraph>${clause}</paragraph>`);
    // The page shows the text as it is too (its suggestion drawn over it left out).
    expect(await paragraphs(ngo.page, ['.suggestion-ins'])).toEqual([clause]);
    expect(ngo.errors).toEqual([]);
  });
});
