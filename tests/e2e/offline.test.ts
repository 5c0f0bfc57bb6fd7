import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { api, createAgreement, removeDir, stoppableServer, tempDir } from '../support/server';
import * as Y from 'yjs';
import {
  DIST,
  cast,
  deviceCopy,
  asksBeforeLeaving,
  editorText,
  selectText,
  seriousFindings,
  storedCopy,
  useStage,
  waitForConnection,
  waitForOfflineShell,
  waitForStoredLocally,
  waitForText,
  writeAtEnd,
  type Cast,
  type Person,
} from './browser';
import { connectClient, synced } from '../support/clients';
import { waitFor } from '../support/poll';
import { liveInsertedBy } from '../support/authorship';
import { contentRoom } from '#shared/rooms';
import { sharedDeviceCopyName } from '../../client/src/session/deviceCopyName';

// Offline, reloads and a restarting server: apart from agreement.test.ts so the two run side by side.
const stage = useStage();

const newCast = () => cast(stage.server);

const join = (url: string): Promise<Person> => stage.join(url);

/** In the page: the bytes of the deletions a device copy keeps (0: none yet). */
function storedDeletionBytes(db: string): Promise<number> {
  return new Promise((done) => {
    const open = indexedDB.open(db);
    open.onerror = () => done(0);
    open.onsuccess = () => {
      const read = open.result.transaction('custom').objectStore('custom').get('writerDeletions');
      read.onsuccess = () => {
        open.result.close();
        done(read.result instanceof ArrayBuffer ? read.result.byteLength : 0);
      };
      read.onerror = () => done(0);
    };
  });
}

/** Goes offline, types `text`, waits until the device's copy (`copy`) holds it, and closes the page: edits left unsent. */
async function typeOfflineAndLeave(person: Person, copy: string, text: string): Promise<void> {
  await person.context.setOffline(true);
  await waitForConnection(person.page, 'offline');
  await person.page.bringToFront();
  await person.page.locator('.ProseMirror').click();
  await person.page.keyboard.insertText(text);
  await waitForStoredLocally(person.page, copy, text);
  await person.page.close();
}

/**
 * Closes the tab as a person does (the page's `beforeunload` runs). When the browser asks whether
 * to leave, the person stays: answers 'asked' and the page stays open; else 'closed'.
 */
async function closeTab(page: Page): Promise<'asked' | 'closed'> {
  const asked = page.waitForEvent('dialog', { timeout: 15_000 }).then(async (dialog) => {
    expect(dialog.type()).toBe('beforeunload');
    await dialog.dismiss();
    return 'asked' as const;
  });
  const closed = page.waitForEvent('close', { timeout: 15_000 }).then(() => 'closed' as const);
  // The loser times out later: its rejection is expected.
  asked.catch(() => {});
  closed.catch(() => {});
  await page.close({ runBeforeUnload: true });
  return Promise.race([asked, closed]);
}

/** The broker makes Nia (the cast's first NGO negotiator) an observer. */
async function makeNiaAnObserver(c: Cast): Promise<void> {
  const path = `/api/agreements/${c.fx.agreement.id}/people`;
  const people = await api<{ people: { id: string; name: string }[] }>(stage.server, 'GET', path, undefined, c.fx.brokerToken);
  const nia = people.body.people.find((p) => p.name === 'Nia Otieno')!;
  expect((await api(stage.server, 'PATCH', `${path}/${nia.id}`, { role: 'observer' }, c.fx.brokerToken)).status).toBe(200);
}

/** Nia (NGO) and Ben (business) both see 'Shared start.', written by Nia; then Nia's device goes offline. */
async function bothOnASharedStartThenNiaOffline(): Promise<{ c: Cast; ngo: Person; business: Person }> {
  const c = await newCast();
  const ngo = await join(c.url(c.ngo));
  const business = await join(c.url(c.business));
  await writeAtEnd(ngo.page, 'Shared start.');
  await waitForText(business.page, 'Shared start.');
  await ngo.context.setOffline(true);
  await waitForConnection(ngo.page, 'offline');
  return { c, ngo, business };
}

describe('offline in the browser', () => {
  // The device's copy keeps what was written, but nobody else sees it until this person opens the
  // agreement on this device again; a comment being written is kept nowhere. A serious editor asks.
  it('asks before the tab closes while the text has unconfirmed changes or a comment is half written, and not otherwise', async () => {
    const c = await newCast();
    const ngo = await join(c.url(c.ngo));
    const business = await join(c.url(c.business));
    const { page } = ngo;
    await writeAtEnd(page, 'Clause 1. Both parties report each quarter.');
    await waitForText(business.page, 'Both parties report each quarter.');
    await expect.poll(() => asksBeforeLeaving(page), { timeout: 15_000 }).toBe(false);

    await ngo.context.setOffline(true);
    await waitForConnection(page, 'offline');
    await writeAtEnd(page, ' Written offline.');
    expect(await closeTab(page)).toBe('asked');
    expect(page.isClosed()).toBe(false);

    await ngo.context.setOffline(false);
    await waitForText(business.page, 'Written offline.');
    await expect.poll(() => asksBeforeLeaving(page), { timeout: 15_000 }).toBe(false);

    // A comment being written: asked while the field holds words, not once it is emptied.
    await selectText(page, 'Both parties report');
    await page.getByTestId('comment-selection').click();
    const field = page.getByTestId('thread-draft').getByRole('textbox');
    await field.fill('Quarterly is too often for us.');
    expect(await closeTab(page)).toBe('asked');
    await field.fill('');
    await expect.poll(() => asksBeforeLeaving(page)).toBe(false);
    expect(await closeTab(page)).toBe('closed');
  });

  it('asks before leaving within the app (its home link, back and forward) while a comment is half written, and stays if told to', async () => {
    // The app's own links and the browser's back and forward between the app's pages change the
    // page without unloading it: the browser asks nothing there, so the app must.
    const c = await newCast();
    const { page } = await join(c.url(c.ngo));
    const agreementPath = new URL(page.url()).pathname;
    const path = () => new URL(page.url()).pathname;
    const homeLink = page.locator('.topbar--agreement a.brand');
    const questions: string[] = [];
    const answerNextQuestion = (leave: boolean) =>
      page.once('dialog', (dialog) => {
        questions.push(dialog.type());
        void (leave ? dialog.accept() : dialog.dismiss());
      });

    // Nothing held (the words confirmed by the server): the home link and back leave at once.
    await writeAtEnd(page, 'Both parties report each quarter.');
    await expect.poll(() => asksBeforeLeaving(page), { timeout: 15_000 }).toBe(false);
    await homeLink.click();
    await page.locator('.home').waitFor();
    await page.goBack();
    await page.locator('.ProseMirror').waitFor();
    await waitForText(page, 'Both parties report each quarter.');
    expect(questions).toEqual([]);

    await selectText(page, 'Both parties report');
    await page.getByTestId('comment-selection').click();
    const field = page.getByTestId('thread-draft').getByRole('textbox');
    await field.fill('Quarterly is too often for us.');

    // The home link: asked; told to stay, the page and the words stay.
    answerNextQuestion(false);
    await homeLink.click();
    await expect.poll(() => questions).toEqual(['confirm']);
    expect(path()).toBe(agreementPath);
    expect(await field.inputValue()).toBe('Quarterly is too often for us.');

    // Forward to the home page (the entry the link made before): asked; told to stay, the address
    // goes back to the agreement and the words stay.
    answerNextQuestion(false);
    await page.goForward();
    await expect.poll(() => questions).toEqual(['confirm', 'confirm']);
    await expect.poll(path).toBe(agreementPath);
    expect(await page.locator('.home').count()).toBe(0);
    expect(await field.inputValue()).toBe('Quarterly is too often for us.');

    // Told to leave: the home page.
    answerNextQuestion(true);
    await homeLink.click();
    await page.locator('.home').waitFor();
    expect(questions).toEqual(['confirm', 'confirm', 'confirm']);
  });

  it('keeps editing offline and merges both sides when the connection returns', async () => {
    const { ngo, business } = await bothOnASharedStartThenNiaOffline();
    await writeAtEnd(ngo.page, ' NGO wrote this offline.');
    await writeAtEnd(business.page, ' Business wrote this meanwhile.');
    await waitForText(ngo.page, 'NGO wrote this offline.');
    expect(await editorText(ngo.page)).not.toContain('Business wrote this meanwhile.');

    await ngo.context.setOffline(false);
    await waitForConnection(ngo.page, 'live');
    for (const { page } of [ngo, business]) {
      await waitForText(page, 'NGO wrote this offline.');
      await waitForText(page, 'Business wrote this meanwhile.');
    }
    expect(await editorText(ngo.page)).toBe(await editorText(business.page));
  });

  it('reloads while offline from the device, with the unsent edits, and sends them when back online, credited to their writer', async () => {
    const c = await newCast();
    const ngo = await join(c.url(c.ngo));
    const business = await join(c.url(c.business));
    const text = 'Written with the cable pulled.';
    const before = await api<{ id: string }>(stage.server, 'POST', `/api/agreements/${c.fx.agreement.id}/snapshots`, { label: 'Before' }, c.fx.brokerToken);
    // The app shell is on the device once the service worker controls the page and has cached it.
    await waitForOfflineShell(ngo.page);

    await ngo.context.setOffline(true);
    await waitForConnection(ngo.page, 'offline');
    await ngo.page.bringToFront();
    await ngo.page.locator('.ProseMirror').click();
    await ngo.page.keyboard.insertText(text);
    await waitForText(ngo.page, text);
    await waitForStoredLocally(ngo.page, deviceCopy(c.fx.agreement.id, c.ngo), text);

    await ngo.page.reload();
    await ngo.page.locator('.ProseMirror').waitFor({ state: 'visible', timeout: 15_000 });
    await waitForText(ngo.page, text);
    await waitForConnection(ngo.page, 'offline');
    expect(await editorText(business.page)).not.toContain(text);

    await ngo.context.setOffline(false);
    await waitForConnection(ngo.page, 'live');
    await waitForText(business.page, text);
    // Written under the page's id before the reload: hers (that id was her presence here, and the page names it from the device).
    const by = await liveInsertedBy(stage.server, c.fx.agreement.id, before.body.id, c.fx.brokerToken);
    expect(by['Nia Otieno']).toContain(text);
    expect(by.Unknown).toBeUndefined();
  });

  // A delete set names no deleter: a page's sync answer is credited with deletions only as far as the
  // page names them (the server lost some? they are nobody's until their deleter's page names them).
  it('a deletion made offline and kept over a reload is credited to its deleter when it reaches the server', async () => {
    const c = await newCast();
    const ngo = await join(c.url(c.ngo));
    const business = await join(c.url(c.business));
    await writeAtEnd(ngo.page, 'Kept words. Struck offline.');
    await waitForText(business.page, 'Struck offline.');
    const before = await api<{ id: string }>(stage.server, 'POST', `/api/agreements/${c.fx.agreement.id}/snapshots`, { label: 'Before' }, c.fx.brokerToken);
    await waitForOfflineShell(ngo.page);

    await ngo.context.setOffline(true);
    await waitForConnection(ngo.page, 'offline');
    await selectText(ngo.page, ' Struck offline.');
    await ngo.page.keyboard.press('Backspace');
    await waitFor(async () => !(await editorText(ngo.page)).includes('Struck'), { what: 'the words gone from the page' });
    const copy = deviceCopy(c.fx.agreement.id, c.ngo);
    await waitFor(() => ngo.page.evaluate(storedDeletionBytes, copy), { timeoutMs: 15_000, what: 'the deletion kept on the device' });

    await ngo.page.reload();
    await ngo.page.locator('.ProseMirror').waitFor({ state: 'visible', timeout: 15_000 });
    await ngo.context.setOffline(false);
    await waitForConnection(ngo.page, 'live');
    await waitFor(async () => !(await editorText(business.page)).includes('Struck'), { timeoutMs: 15_000, what: 'the deletion at the other page' });
    const by = await waitFor(
      async () => {
        const deleted = await liveInsertedBy(stage.server, c.fx.agreement.id, before.body.id, c.fx.brokerToken, 'deletion');
        return deleted['Nia Otieno'] ? deleted : undefined;
      },
      { timeoutMs: 15_000, what: 'the deletion credited' },
    );
    expect(by).toEqual({ 'Nia Otieno': ' Struck offline.' });
  });

  it('reads who the person is again when the connection returns: a role changed while offline shows, and the text is read-only (reading mode)', async () => {
    const c = await newCast();
    const ngo = await join(c.url(c.ngo));
    expect(await ngo.page.getByTestId('role-badge').textContent()).toMatch(/Negotiator/);
    await ngo.context.setOffline(true);
    await waitForConnection(ngo.page, 'offline');

    await makeNiaAnObserver(c);

    await ngo.context.setOffline(false);
    await waitForConnection(ngo.page, 'live');
    await ngo.page.waitForFunction(() => /Observer/.test(document.querySelector('[data-testid="role-badge"]')?.textContent ?? ''), undefined, {
      polling: 50,
      timeout: 15_000,
    });
    await ngo.page.waitForFunction(() => document.querySelector('.ProseMirror')?.getAttribute('aria-readonly') === 'true', undefined, {
      polling: 50,
      timeout: 5_000,
    });
  });

  it('a reconnect that finds the person unchanged keeps the editor as it is (nothing is built again)', async () => {
    const c = await newCast();
    const ngo = await join(c.url(c.ngo));
    await ngo.page.locator('.ProseMirror').evaluate((el) => ((el as HTMLElement & { keptMark?: boolean }).keptMark = true));
    let read = 0;
    ngo.page.on('response', (response) => {
      if (response.url().endsWith(`/api/agreements/${c.fx.agreement.id}`) && response.request().method() === 'GET') read++;
    });
    await ngo.context.setOffline(true);
    await waitForConnection(ngo.page, 'offline');
    await ngo.context.setOffline(false);
    await waitForConnection(ngo.page, 'live');
    await waitFor(() => read > 0, { what: 'who the person is read again', timeoutMs: 10_000 });
    await writeAtEnd(ngo.page, 'After the reconnect.');
    expect(await ngo.page.locator('.ProseMirror').evaluate((el) => (el as HTMLElement & { keptMark?: boolean }).keptMark === true)).toBe(true);
  });

  it('keeps the agreement on screen when reading who the person is fails for a moment on reconnecting (a busy or restarting server)', async () => {
    const c = await newCast();
    const ngo = await join(c.url(c.ngo));
    await writeAtEnd(ngo.page, 'Shared start.');
    let refused = 0;
    await ngo.page.route(`**/api/agreements/${c.fx.agreement.id}`, async (route) => {
      refused++;
      await route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ error: 'storage unavailable', code: 'storage_unavailable' }),
      });
    });
    await ngo.context.setOffline(true);
    await waitForConnection(ngo.page, 'offline');
    await ngo.context.setOffline(false);
    await waitForConnection(ngo.page, 'live');
    await waitFor(() => refused > 0, { what: 'who the person is read again, and refused', timeoutMs: 10_000 });
    // The page stays: the text, still editable, and no error page.
    await writeAtEnd(ngo.page, ' Still here.');
    await waitForText(ngo.page, 'Shared start. Still here.');
    expect(await ngo.page.getByTestId('role-badge').textContent()).toMatch(/Negotiator/);
  });

  it('keeps the words of a refused offline change on screen to copy: a negotiator made an observer while offline loses no sentence', async () => {
    const { c, ngo, business } = await bothOnASharedStartThenNiaOffline();
    await writeAtEnd(ngo.page, ' Our field teams will report monthly.');
    await waitForText(ngo.page, 'Our field teams will report monthly.');

    // Meanwhile the broker makes her an observer: on her return the server refuses the change.
    await makeNiaAnObserver(c);
    await ngo.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await ngo.context.setOffline(false);

    await ngo.page.getByTestId('notice-write-refused').waitFor({ timeout: 15_000 });
    const unsaved = ngo.page.getByTestId('unsaved-words');
    await unsaved.waitFor({ timeout: 15_000 });
    expect(await unsaved.textContent()).toContain('Shared start. Our field teams will report monthly.');
    expect(await seriousFindings(ngo.page, ['[data-testid="notice-write-refused"]'])).toEqual([]);
    await unsaved.getByRole('button', { name: /copy/i }).click();
    await waitFor(async () => (await ngo.page.evaluate(() => navigator.clipboard.readText())).includes('Our field teams will report monthly.'), {
      what: 'the words on the clipboard',
    });
    // The text itself is the server's: her words reached nobody.
    await waitFor(async () => (await editorText(ngo.page)) === 'Shared start.', { what: 'the text reloaded as the server holds it', timeoutMs: 15_000 });
    expect(await editorText(business.page)).toBe('Shared start.');

    // A reload (or the tab closed) before she copied them keeps them on this device, until she dismisses them.
    await ngo.page.reload();
    await unsaved.waitFor({ timeout: 15_000 });
    expect(await unsaved.textContent()).toContain('Shared start. Our field teams will report monthly.');
    await ngo.page.getByTestId('notice-write-refused').getByRole('button', { name: 'Dismiss' }).click();
    await ngo.page.reload();
    await waitForConnection(ngo.page, 'live');
    expect(await ngo.page.getByTestId('notice-write-refused').count()).toBe(0);
  });

  it('keeps unsent offline edits on the device and sends them when the agreement is reopened', async () => {
    const c = await newCast();
    const ngo = await join(c.url(c.ngo));
    const business = await join(c.url(c.business));
    const text = 'Drafted on the train, never sent.';

    await typeOfflineAndLeave(ngo, deviceCopy(c.fx.agreement.id, c.ngo), text);
    expect(await editorText(business.page)).not.toContain(text);

    // Back online, the same person reopens the agreement without the link's #token.
    await ngo.context.setOffline(false);
    const reopened = await ngo.context.newPage();
    await reopened.goto(`${stage.server.http}/a/${c.fx.agreement.id}`);
    await waitForConnection(reopened, 'live');
    await waitForText(business.page, text);
    expect(await editorText(reopened)).toBe(await editorText(business.page));
  });

  // One laptop, two people: the device keeps a copy of the agreement per person. What the first left
  // unsent stays in theirs until they come back; the second opens their own and never sends it (the
  // server would decline another person's writing, and the page would drop it with the copy).
  it('two people on one device: the second neither sends nor loses what the first left unsent; the first sends it on return', async () => {
    const c = await newCast();
    const ngo = await join(c.url(c.ngo));
    const business = await join(c.url(c.business));
    const text = 'Left unsent by Nia.';
    // Nia has written from this page before (the server knows its id as hers).
    await writeAtEnd(ngo.page, 'Sent by Nia.');
    await waitForText(business.page, 'Sent by Nia.');

    await typeOfflineAndLeave(ngo, deviceCopy(c.fx.agreement.id, c.ngo), text);
    await ngo.context.setOffline(false);

    const colleague = await ngo.context.newPage();
    await colleague.goto(c.url(c.ngo2));
    // The device holds Nia's link: the colleague is asked before theirs takes its place.
    await colleague.getByTestId('other-persons-link').getByRole('button', { name: 'Open as the link’s person' }).click();
    await waitForConnection(colleague, 'live');
    await writeAtEnd(colleague, ' From the colleague.');
    await waitForText(business.page, 'From the colleague.');
    expect(await colleague.getByTestId('notice-write-refused').count()).toBe(0);
    expect(await editorText(colleague)).not.toContain(text);
    expect(await editorText(business.page)).not.toContain(text);
    await waitForStoredLocally(colleague, deviceCopy(c.fx.agreement.id, c.ngo2), 'From the colleague.');
    await colleague.close();

    // Nia opens her link again on the same device: her copy still holds her words, and they are sent.
    const back = await ngo.context.newPage();
    await back.goto(c.url(c.ngo));
    await back.getByTestId('other-persons-link').getByRole('button', { name: 'Open as the link’s person' }).click();
    await waitForConnection(back, 'live');
    await waitForText(business.page, text);
    expect(await editorText(back)).toBe(await editorText(business.page));
  });

  // Before copies were per person, a device kept one per agreement (`cg:<room>`): the next person to
  // open that agreement there takes it over (as anyone opening it did then), so its unsent edits are
  // sent, and it is removed.
  it('a copy kept the old way, one for everyone, is taken over on the next open: its unsent edits are sent', async () => {
    const c = await newCast();
    const room = contentRoom(c.fx.agreement.id);
    // What an earlier version of the app left on this device: the text as it was, and a paragraph never sent.
    const source = connectClient(stage.server.ws, room, c.ngo);
    let stored: Uint8Array;
    try {
      await synced(source);
      const device = new Y.Doc();
      Y.applyUpdate(device, Y.encodeStateAsUpdate(source.doc));
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText('Kept on the device from before.')]);
      device.getXmlFragment('content').push([paragraph]);
      stored = Y.encodeStateAsUpdate(device);
    } finally {
      source.destroy();
    }
    const context = await stage.newContext();
    const page = await context.newPage();
    await page.goto(`${stage.server.http}/`);
    await page.evaluate(
      ({ name, record }) =>
        new Promise<void>((done, fail) => {
          // y-indexeddb's layout: records in 'updates' (auto-incremented keys), metadata in 'custom'.
          const open = indexedDB.open(name);
          open.onupgradeneeded = () => {
            open.result.createObjectStore('updates', { autoIncrement: true });
            open.result.createObjectStore('custom');
          };
          open.onerror = () => fail(open.error);
          open.onsuccess = () => {
            const write = open.result.transaction('updates', 'readwrite');
            write.objectStore('updates').add(new Uint8Array(record));
            write.oncomplete = () => {
              open.result.close();
              done();
            };
            write.onerror = () => fail(write.error);
          };
        }),
      { name: sharedDeviceCopyName(room), record: Array.from(stored) },
    );

    const business = await join(c.url(c.business));
    await page.goto(c.url(c.ngo));
    await waitForConnection(page, 'live');
    await waitForText(business.page, 'Kept on the device from before.');
    await waitForStoredLocally(page, deviceCopy(c.fx.agreement.id, c.ngo), 'Kept on the device from before.');
    await waitFor(
      async () => (await page.evaluate(async () => (await indexedDB.databases()).map((db) => db.name))).every((name) => name !== sharedDeviceCopyName(room)),
      {
        timeoutMs: 15_000,
        what: 'the old shared copy removed',
      },
    );
    expect(await storedCopy(page, sharedDeviceCopyName(room))).toEqual({ records: 0, bytes: 0 });
  });
  it('keeps what others wrote on the device, before the page opened and while it was open: reloaded offline, it shows', async () => {
    const c = await newCast();
    const other = connectClient(stage.server.ws, contentRoom(c.fx.agreement.id), c.business);
    try {
      await synced(other);
      const paragraph = (text: string) => {
        const p = new Y.XmlElement('paragraph');
        p.insert(0, [new Y.XmlText(text)]);
        other.doc.getXmlFragment('content').push([p]);
      };
      paragraph('Written before you came.');
      const ngo = await join(c.url(c.ngo));
      await waitForText(ngo.page, 'Written before you came.');
      paragraph('Written while you read.');
      await waitForText(ngo.page, 'Written while you read.');
      const copy = deviceCopy(c.fx.agreement.id, c.ngo);
      await waitForStoredLocally(ngo.page, copy, 'Written before you came.');
      await waitForStoredLocally(ngo.page, copy, 'Written while you read.');
      // Kept as the server sent it, not a larger buffer around it.
      const { bytes } = await storedCopy(ngo.page, copy);
      expect(bytes).toBeLessThan(10_000);

      await waitForOfflineShell(ngo.page);
      await ngo.context.setOffline(true);
      await waitForConnection(ngo.page, 'offline');
      await ngo.page.reload();
      await ngo.page.locator('.ProseMirror').waitFor({ state: 'visible', timeout: 15_000 });
      await waitForText(ngo.page, 'Written before you came.');
      await waitForText(ngo.page, 'Written while you read.');
      await ngo.context.setOffline(false);
    } finally {
      other.destroy();
    }
  });
});

describe('a view that loads on demand, offline', () => {
  // Before the app is stored on the device (its first minute, or a browser that keeps none) a view's code
  // cannot load offline: opening a snapshot took the whole agreement off the screen for "Could not load the
  // editor", whose "Try again" then reloaded into the browser's offline page.
  it('that cannot load keeps the agreement on screen, and says so in its place', async () => {
    const c = await newCast();
    expect((await api(stage.server, 'POST', `/api/agreements/${c.fx.agreement.id}/snapshots`, { label: 'First' }, c.fx.brokerToken)).status).toBe(201);
    const context = await stage.browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
    try {
      const page = await context.newPage();
      await page.goto(c.url(c.ngo));
      await waitForConnection(page, 'live');
      await writeAtEnd(page, 'Written before going offline.');
      await context.setOffline(true);
      await waitForConnection(page, 'offline');
      await page.getByTestId('history-panel').getByTestId('snapshot-item').first().getByRole('button', { name: 'Open' }).click();
      await page.locator('.history-overlay').getByTestId('part-error').waitFor({ timeout: 15_000 });
      expect(await page.locator('.history-overlay').getByTestId('part-error').textContent()).toBe('Could not show the snapshot.');
      await page.getByRole('button', { name: 'Close' }).click();
      await waitForText(page, 'Written before going offline.');
      await context.setOffline(false);
    } finally {
      await context.close();
    }
  });
});

describe('when the server goes away', () => {
  // A restart waits for the client's reconnect backoff (at most 5 s): allow more than the usual 30 s.
  it('shows reconnecting, keeps the edits made meanwhile and merges them after a restart', { timeout: 60_000 }, async () => {
    const dataDir = await tempDir();
    const server = await stoppableServer({ dataDir, staticDir: DIST, authSecret: 'e2e-restart-secret-e2e-restart-secret' });
    const { http } = server;
    try {
      const fx = await createAgreement({ http });
      const ngo = await join(`${http}/a/${fx.agreement.id}#token=${await fx.invite({ role: 'negotiator', name: 'Nia Otieno', party: fx.ngoId })}`);
      const business = await join(`${http}/a/${fx.agreement.id}#token=${await fx.invite({ role: 'negotiator', name: 'Ben Kamau', party: fx.businessId })}`);
      await writeAtEnd(ngo.page, 'Before the restart.');
      await waitForText(business.page, 'Before the restart.');

      await server.stop();
      await waitForConnection(ngo.page, 'reconnecting');
      await waitForConnection(business.page, 'reconnecting');
      await writeAtEnd(ngo.page, ' Written while the server was down.');

      await server.start();
      await waitForConnection(ngo.page, 'live', 20_000);
      await waitForText(business.page, 'Written while the server was down.', 20_000);
      expect(await editorText(business.page)).toBe('Before the restart. Written while the server was down.');
    } finally {
      await server.stop();
      await removeDir(dataDir);
    }
  });
});
