import { describe, expect, it } from 'vitest';
import { anchorAt, contentFragment } from '#shared/anchors';
import { contentRoom } from '#shared/rooms';
import { connectClient, synced } from '../support/clients';
import { paragraph, writeDocument } from '../support/document';
import { waitFor } from '../support/poll';
import { api } from '../support/server';
import { cast, paragraphs, seriousFindings, useStage } from './browser';

const stage = useStage();

/**
 * With several suggestions open, a screen reader's list of buttons read "Accept, Reject, Accept,
 * Reject": nothing said whose suggestion, or what it changes, each one decides.
 */
describe('the accept and reject controls of a suggestion, without sight or a mouse', () => {
  it('name the suggester and the change, pass axe, and accept by keyboard', async () => {
    const c = await cast(stage.server);
    const room = contentRoom(c.fx.agreement.id);
    const writer = connectClient(stage.server.ws, room, c.ngo);
    const clause = 'Payment is due within thirty days.';
    try {
      await synced(writer);
      writeDocument(writer.doc, { type: 'doc', content: [paragraph(clause)] });
      await waitFor(() => stage.server.app.ctx.rooms.with(room, (r) => r.doc.getXmlFragment('content').toString().includes(clause)), { what: 'the clause' });
      const suggest = (token: string, text: string, passage: string) => {
        const from = 1 + clause.indexOf(passage);
        const body = { anchor: anchorAt(contentFragment(writer.doc), from, from + passage.length), text };
        return api(stage.server, 'POST', `/api/agreements/${c.fx.agreement.id}/suggestions`, body, token);
      };
      expect((await suggest(c.legal, 'sixty', 'thirty')).status).toBe(201);
      expect((await suggest(c.business, 'owed', 'due')).status).toBe(201);
    } finally {
      writer.destroy();
    }
    const { page, errors } = await stage.join(c.url(c.ngo));
    const accept = page.getByRole('button', { name: 'Accept Lena Vogt’s suggestion: thirty → sixty' });
    await accept.waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Reject Lena Vogt’s suggestion: thirty → sixty' }).waitFor();
    await page.getByRole('button', { name: 'Accept Ben Kamau’s suggestion: due → owed' }).waitFor();
    expect(await seriousFindings(page, ['[data-testid="suggestions-panel"]'])).toEqual([]);

    await accept.focus();
    await page.keyboard.press('Enter');
    await waitFor(async () => (await paragraphs(page, ['.suggestion-ins'])).join('') === 'Payment is due within sixty days.', {
      what: 'the accepted text',
      timeoutMs: 15_000,
    });
    expect(errors).toEqual([]);
  });
});
