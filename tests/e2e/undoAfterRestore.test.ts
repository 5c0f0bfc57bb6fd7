import { describe, expect, it } from 'vitest';
import { contentRoom } from '#shared/rooms';
import { waitFor } from '../support/poll';
import { api } from '../support/server';
import { paragraph } from '../support/document';
import { cast, paragraphs, selectText, useStage, waitForText, writeBeforeOpening } from './browser';

const stage = useStage();

/**
 * A restore makes the text a snapshot's as one change by the broker. What a person did before it
 * is not theirs to take back any more: Yjs's undo would put the words they had deleted back beside
 * the restored ones (or, their typing gone with the restore, silently take back an older step).
 */
describe('undo after a snapshot is restored', () => {
  it('Ctrl+Z after the broker restored a snapshot does not bring a clause back a second time', async () => {
    const c = await cast(stage.server);
    const id = c.fx.agreement.id;
    await writeBeforeOpening(
      stage.server,
      id,
      c.business,
      { type: 'doc', content: [paragraph('Scope.'), paragraph('Liability is capped.'), paragraph('The end.')] },
      'The end.',
    );
    const nia = await stage.join(c.url(c.ngo));
    await waitForText(nia.page, 'The end.');
    const serverText = () => stage.server.app.ctx.rooms.with(contentRoom(id), (room) => room.doc.getXmlFragment('content').toString());
    const taken = await api<{ id: string }>(stage.server, 'POST', `/api/agreements/${id}/snapshots`, { label: 'Board draft' }, c.fx.brokerToken);
    expect(taken.status).toBe(201);

    // Nia deletes the clause; the broker then restores the board's draft, which has it.
    await selectText(nia.page, 'Liability is capped.');
    await nia.page.keyboard.press('Backspace');
    await waitFor(async () => !(await serverText()).includes('Liability'), { what: 'the clause deleted on the server' });
    expect((await api(stage.server, 'POST', `/api/agreements/${id}/snapshots/${taken.body.id}/restore`, {}, c.fx.brokerToken)).status).toBe(200);
    await waitForText(nia.page, 'Liability is capped.');
    await nia.page.getByTestId('history-panel').getByTestId('snapshot-item').filter({ hasText: 'Before restoring “Board draft”' }).waitFor();

    await nia.page.bringToFront();
    await selectText(nia.page, 'The end.', { caretAfter: true });
    await nia.page.keyboard.press('Control+z');
    await nia.page.keyboard.type('!');
    await waitFor(async () => (await serverText()).includes('!'), { what: 'the letter typed after Ctrl+Z on the server' });
    expect(await paragraphs(nia.page)).toEqual(['Scope.', 'Liability is capped.', 'The end.!']);
    expect(await serverText()).toBe('<paragraph>Scope.</paragraph><paragraph>Liability is capped.</paragraph><paragraph>The end.!</paragraph>');
  });
});
