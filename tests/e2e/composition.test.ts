import { describe, expect, it } from 'vitest';
import type { CDPSession, Page } from 'playwright-core';
import * as Y from 'yjs';
import { contentRoom } from '#shared/rooms';
import { connectClient, contentString, synced } from '../support/clients';
import { objective, paragraph } from '../support/document';
import { waitFor } from '../support/poll';
import { cast, paragraphs, selectText, typeAtEnd, useStage, waitForText, writeBeforeOpening } from './browser';

const stage = useStage();

/**
 * Types through an input method, as a Japanese, Chinese or Korean keyboard does: each of `preedits` is
 * shown underlined in turn (the text the person is still composing), then `committed` replaces it.
 * `between` runs after the first preedit: what others do while this person composes. With `replacing`, the first
 * preedit takes the place of those characters of the paragraph, as an Android keyboard composes a word again to correct it.
 */
async function compose(
  page: Page,
  preedits: string[],
  committed: string,
  between: () => Promise<void> = async () => {},
  replacing?: { start: number; end: number },
): Promise<void> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  try {
    for (const [i, text] of preedits.entries()) {
      const replaced = i === 0 && replacing ? { replacementStart: replacing.start, replacementEnd: replacing.end } : {};
      await cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length, ...replaced });
      if (i === 0) await between();
    }
    await cdp.send('Input.insertText', { text: committed });
  } finally {
    await cdp.detach();
  }
}

/** Nia writes `text`; Lena, the legal reviewer, reads it and turns to Suggesting mode. */
async function reviewerSuggestingOn(text: string) {
  const c = await cast(stage.server);
  const ngo = await stage.join(c.url(c.ngo));
  const legal = await stage.join(c.url(c.legal));
  await typeAtEnd(ngo.page, text);
  await waitForText(legal.page, text);
  await legal.page.bringToFront();
  await legal.page.getByTestId('mode-suggesting').click();
  await legal.page.locator('.ProseMirror:not([aria-readonly])').waitFor();
  return { ngo, legal };
}

describe('typing through an input method', () => {
  // Lena suggested a word typed in Japanese: each stage of her composition (" に", " にほ", " にほん") was
  // taken as typing of its own, and her suggestion, as every party saw it, read "shared に にほ にほん 日本 between".
  it('in suggesting mode, a composed word makes one suggestion of the committed word', async () => {
    const { ngo, legal } = await reviewerSuggestingOn('Liability is shared between the parties.');
    await selectText(legal.page, 'shared', { caretAfter: true });

    await compose(legal.page, [' に', ' にほ', ' にほん'], ' 日本');

    const card = ngo.page.getByTestId('suggestion-card').filter({ hasText: 'Lena Vogt' });
    await card.waitFor({ timeout: 15_000 });
    const seen = {
      negotiator: await paragraphs(ngo.page),
      reviewer: await paragraphs(legal.page),
      cards: await ngo.page.getByTestId('suggestion-card').count(),
    };
    expect(seen).toEqual({
      negotiator: ['Liability is shared 日本 between the parties.'],
      reviewer: ['Liability is shared 日本 between the parties.'],
      cards: 1,
    });
    expect(legal.errors).toEqual([]);
  });

  // An Android keyboard corrects a word by composing it again and committing the correction: while suggesting,
  // that is one suggestion replacing the word (the steps of a composition are read where the first one went).
  it('in suggesting mode, an Android keyboard’s correction of a word is one suggestion replacing it', async () => {
    const { ngo, legal } = await reviewerSuggestingOn('We clean teh river.');
    await selectText(legal.page, 'teh', { caretAfter: true });

    await compose(legal.page, ['teh'], 'the', undefined, { start: 9, end: 12 });

    const card = ngo.page.getByTestId('suggestion-card').filter({ hasText: 'Lena Vogt' });
    await card.waitFor({ timeout: 15_000 });
    expect(await ngo.page.getByTestId('suggestion-change').allTextContents()).toEqual(['teh → the']);
  });

  // Nia was composing a word at the end of a sentence while Ben, in the same paragraph, deleted a word before
  // it: her composition lost its place, and what she had composed so far stayed in the text before the word she
  // committed, for everyone ("Hello にほ日本"). The same when Ben added a word before it.
  it('a word composed while another person edits the same paragraph before it is committed once, as composed', async () => {
    const c = await cast(stage.server);
    const { page, errors } = await stage.join(c.url(c.ngo));
    const ben = connectClient(stage.server.ws, contentRoom(c.fx.agreement.id), c.business);
    try {
      await synced(ben);
      await typeAtEnd(page, 'Hello world.');
      await waitFor(() => contentString(ben.doc).includes('Hello world.'), { timeoutMs: 10_000, what: 'the sentence at Ben' });
      const bens = () => (ben.doc.getXmlFragment('content').get(0) as Y.XmlElement).get(0) as Y.XmlText;
      /** Ben's edit, once Nia's page shows it: she goes on composing after it arrived. */
      const benEdits = (preedit: string, edit: () => void, shown: string) => async () => {
        await waitFor(() => bens().toString().endsWith(preedit), { timeoutMs: 10_000, what: 'the preedit at Ben' });
        edit();
        await waitForText(page, shown);
      };

      await compose(
        page,
        ['に', 'にほ', 'にほん'],
        '日本',
        benEdits('に', () => bens().delete(6, 6), 'Hello に'),
      );
      await compose(
        page,
        ['ご'],
        '語',
        benEdits('ご', () => bens().insert(6, 'big '), 'Hello big '),
      );

      const wanted = ['Hello big 日本語'];
      await waitFor(() => bens().toString() === wanted[0], { timeoutMs: 10_000, what: 'Nia’s words at Ben' }).catch(() => {});
      expect({ nia: await paragraphs(page), ben: [bens().toString()] }).toEqual({ nia: wanted, ben: wanted });
      expect(errors).toEqual([]);
    } finally {
      ben.destroy();
    }
  });

  // Nia was typing an objective's owner in Japanese while Ben added a name before hers: the field took Ben's
  // words and her composition lost its place, so her preedit stayed beside the name she committed, in
  // everyone's objective ("Ben, Aminaたな田中").
  it('an owner composed while another person adds one keeps only the committed word, and both names', async () => {
    const c = await cast(stage.server);
    const doc = { type: 'doc', content: [objective('o1', { title: 'Restore the banks' }, { owners: 'Amina' }), paragraph('The end.')] };
    await writeBeforeOpening(stage.server, c.fx.agreement.id, c.ngo, doc, 'The end');
    const { page, errors } = await stage.join(c.url(c.ngo));
    const ben = connectClient(stage.server.ws, contentRoom(c.fx.agreement.id), c.business);
    try {
      await synced(ben);
      const block = ben.doc.getXmlFragment('content').get(0) as Y.XmlElement;
      const field = (name: string) =>
        (block.toArray().find((child) => child instanceof Y.XmlElement && child.nodeName === name) as Y.XmlElement).get(0) as Y.XmlText;
      const owners = page.getByLabel(/^Owners of /);
      await owners.click();
      await owners.press('End');

      await compose(page, ['た', 'たな', 'たなか'], '田中', async () => {
        await waitFor(() => field('objectiveOwners').toString() === 'Aminaた', { timeoutMs: 10_000, what: 'the preedit at Ben' });
        // Ben's name and a word of the title, in one change: the title shows when his name has arrived.
        ben.doc.transact(() => {
          field('objectiveOwners').insert(0, 'Ben, ');
          field('objectiveTitle').insert(17, ' fast');
        });
        await waitForText(page, 'Restore the banks fast');
      });

      const wanted = 'Ben, Amina田中';
      await waitFor(async () => (await owners.inputValue()) === wanted && field('objectiveOwners').toString() === wanted, {
        timeoutMs: 10_000,
        what: 'both names',
      }).catch(() => {});
      expect({ nia: await owners.inputValue(), ben: field('objectiveOwners').toString() }).toEqual({ nia: wanted, ben: wanted });
      expect(errors).toEqual([]);
    } finally {
      ben.destroy();
    }
  });
});
