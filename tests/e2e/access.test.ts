import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { LinkResponse, PeopleResponse } from '#shared/access';
import { waitFor } from '../support/poll';
import { api } from '../support/server';
import { cast, deviceCopy, selectText, useStage, waitForConnection, waitForStoredLocally } from './browser';

const stage = useStage();

/** Collects CSP violations the page reports (and the console's CSP complaints) from before its first script runs. */
async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('__cspViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __cspViolation: (t: string) => void }).__cspViolation(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

describe('access in the browser', () => {
  it('runs the built app under its Content-Security-Policy with no violation, and shows the creator their own link once', async () => {
    const context = await stage.newContext();
    const page = await context.newPage();
    const violations = await watchCsp(page);
    const home = await page.goto(`${stage.server.http}/`);
    expect(home?.headers()['content-security-policy']).toContain("script-src 'self'");

    await page.getByLabel('Title').fill('Schools water partnership');
    await page.getByLabel('Party 1 name').fill('WaterAid Kenya');
    await page.getByLabel('Party 2 name').fill('Acme Beverages');
    await page.getByLabel('Your name').fill('Brook Broker');
    await page.getByRole('button', { name: 'Create agreement' }).click();
    await waitForConnection(page, 'live');

    // The address bar lost the token; the broker can keep their link now, and only now.
    expect(new URL(page.url()).hash).toBe('');
    const own = await page.getByLabel('Your own link').inputValue();
    expect(own).toMatch(new RegExp(`^${stage.server.http}/a/[A-Za-z0-9_-]+#token=.+`));
    expect(await page.getByTestId('own-link').textContent()).toContain('This link is a key');

    // Typing, inviting and listing people exercise the editor, the API and the websockets.
    await page.locator('.ProseMirror').click();
    await page.keyboard.type('Both parties fund the pumps.');
    const invite = page.getByTestId('invite-panel');
    await invite.getByLabel('Name').fill('Ben Kamau');
    await invite.getByRole('button', { name: 'Create invitation link' }).click();
    await page.getByLabel('Invitation link').waitFor();
    await page.getByTestId('people-panel').locator('[data-person="Ben Kamau"]').waitFor();
    // The link's expiry reads as every date in the app (ui/When): the day the People panel gives it.
    const expires = page.getByTestId('people-panel').locator('[data-person="Ben Kamau"] .people__details time').last();
    await expect.poll(() => expires.textContent()).toMatch(/, /);
    const day = ((await expires.textContent()) ?? '').replace(/, [^,]*$/, '');
    expect(await page.getByTestId('invite-latest').textContent()).toContain(`it expires on ${day}.`);

    await page.reload();
    await waitForConnection(page, 'live');
    expect(await page.getByTestId('own-link').count()).toBe(0);
    expect(violations).toEqual([]);
  });

  it('[17] asks for the agreement’s people once while it opens, for the People panel and for mentions alike; a person invited from the page can be mentioned at once', async () => {
    const c = await cast(stage.server);
    const page = await (await stage.newContext()).newPage();
    const asked: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.endsWith('/people')) asked.push(request.method());
    });
    await page.goto(c.url(c.fx.brokerToken));
    await waitForConnection(page, 'live');
    await page.getByTestId('people-panel').locator('[data-person="Nia Otieno"]').waitFor();
    await page.waitForLoadState('networkidle');
    // The People panel, the threads' mentions and the broker's session tools read one list.
    expect(asked).toEqual(['GET']);

    // An invitation made here: the panel lists the new person, and a comment can mention them.
    const invite = page.getByTestId('invite-panel');
    await invite.getByLabel('Name').fill('Zara Ali');
    await invite.getByRole('button', { name: 'Create invitation link' }).click();
    await page.getByTestId('people-panel').locator('[data-person="Zara Ali"]').waitFor();
    await page.locator('.ProseMirror').click();
    await page.keyboard.type('Both parties fund the pumps.');
    await selectText(page, 'Both parties fund the pumps.');
    await page.keyboard.press('Control+Alt+m');
    const draft = page.getByTestId('thread-draft').getByRole('textbox');
    await draft.waitFor();
    await draft.fill('@Zar');
    await page.getByRole('option', { name: /Zara Ali/ }).waitFor();
  });

  it('a link of another person, opened where this browser holds a link to the agreement, does not replace it unasked: a broker who opens a link they made stays the broker', async () => {
    const c = await cast(stage.server);
    const { page } = await stage.join(c.url(c.fx.brokerToken));
    const badge = page.getByTestId('role-badge');
    // Opened afresh (not only the address's hash changed).
    await page.goto(`${stage.server.http}/`);
    await page.goto(c.url(c.ngo));
    const choice = page.getByTestId('other-persons-link');
    await choice.waitFor({ timeout: 15_000 });
    expect(new URL(page.url()).hash).toBe('');
    await choice.getByRole('button', { name: 'Stay Brook Broker' }).click();
    await waitForConnection(page, 'live');
    expect(await badge.textContent()).toBe('Broker');
    await page.reload();
    await waitForConnection(page, 'live');
    expect(await badge.textContent()).toBe('Broker');

    // Chosen knowingly, it opens as its person, once the broker was offered their own link to keep.
    await page.goto(c.url(c.ngo));
    await choice.waitFor({ timeout: 15_000 });
    expect(await choice.getByLabel('Brook Broker’s link').inputValue()).toBe(c.url(c.fx.brokerToken));
    await choice.getByRole('button', { name: 'Open as the link’s person' }).click();
    await waitForConnection(page, 'live');
    expect(await badge.textContent()).toBe('Negotiator · WaterAid Kenya');
  });

  // Opened in a new tab (a fresh load, not a hash change), the first render offered the link, then its
  // effect read the address bar again, found the token gone and opened the link held: the colleague
  // who opened her own link was writing as Nia.
  it('a link of another person opened in a new tab of that browser also waits for the choice, and opens as its person when chosen', async () => {
    const c = await cast(stage.server);
    const { context } = await stage.join(c.url(c.ngo));
    const tab = await context.newPage();
    await tab.goto(c.url(c.ngo2));
    const choice = tab.getByTestId('other-persons-link');
    await choice.waitFor({ timeout: 15_000 });
    await choice.getByRole('button', { name: 'Open as the link’s person' }).click();
    await waitForConnection(tab, 'live');
    expect(await tab.getByTestId('role-badge').textContent()).toContain('Negotiator');
    // Present as Noor, the link's person, not as Nia, whose link the browser holds.
    await tab.locator('.avatars [aria-label^="Noor Achieng (you)"]').waitFor({ timeout: 10_000 });
  });

  it('an old link of the same person, opened again from an old message, opens with the newer link held instead of ending access', async () => {
    const c = await cast(stage.server);
    const id = c.fx.agreement.id;
    const people = await api<PeopleResponse>(stage.server, 'GET', `/api/agreements/${id}/people`, undefined, c.fx.brokerToken);
    const nia = people.body.people.find((p) => p.name === 'Nia Otieno')!;
    // A second younger, as tokens issued before their issue time kept its milliseconds could tell (the next test: within one second).
    const issued = Math.floor(Date.parse(nia.invitedAt) / 1000);
    await waitFor(() => Math.floor(Date.now() / 1000) > issued, { timeoutMs: 2000, what: 'the next second' });
    const fresh = await api<LinkResponse>(stage.server, 'POST', `/api/agreements/${id}/people/${nia.id}/links`, {}, c.fx.brokerToken);
    const { page } = await stage.join(c.url(fresh.body.token));
    await page.goto(c.url(c.ngo));
    await waitForConnection(page, 'live');
    expect(await page.getByTestId('role-badge').textContent()).toBe('Negotiator · WaterAid Kenya');
    await page.reload();
    await waitForConnection(page, 'live');
  });

  // Two links issued within one second (a broker who pressed "New link" twice): tokens said their issue time in whole
  // seconds, the page took the one arriving on a tie, and the older link, revoked by the newer, showed "Your access has
  // ended" and forgot the newer link held. The invitation's token was also signed after the invitation was stored, so
  // under load its second could be the next one (the test above then made its new link in the very same second).
  it('of two links of the same person issued within the same second, the newer one opens, whichever is opened last', async () => {
    const c = await cast(stage.server);
    const id = c.fx.agreement.id;
    const people = await api<PeopleResponse>(stage.server, 'GET', `/api/agreements/${id}/people`, undefined, c.fx.brokerToken);
    const nia = people.body.people.find((p) => p.name === 'Nia Otieno')!;
    // At the start of a second, so both links are made within it.
    await waitFor(() => Date.now() % 1000 < 100, { timeoutMs: 2000, intervalMs: 5, what: 'the start of a second' });
    const newLink = () => api<LinkResponse>(stage.server, 'POST', `/api/agreements/${id}/people/${nia.id}/links`, {}, c.fx.brokerToken);
    const older = await newLink();
    const newer = await newLink();
    const { page } = await stage.join(c.url(newer.body.token));
    await page.goto(c.url(older.body.token));
    await waitForConnection(page, 'live');
    await page.reload();
    await waitForConnection(page, 'live');
  });

  it('a broker ends a negotiator’s access: the negotiator’s open page shows the access-ended page', async () => {
    const c = await cast(stage.server);
    const broker = await stage.join(c.url(c.fx.brokerToken));
    const nia = await stage.join(c.url(c.ngo));
    await broker.page.bringToFront();
    const row = broker.page.getByTestId('people-panel').locator('[data-person="Nia Otieno"]');
    broker.page.once('dialog', (dialog) => void dialog.accept());
    await row.getByTestId('revoke').click();
    await row.getByText('access ended').waitFor();

    await nia.page.bringToFront();
    await nia.page.getByTestId('access-ended').waitFor({ timeout: 5000 });
    expect(await nia.page.getByRole('heading').first().textContent()).toBe('Your access has ended');
    expect(await nia.page.locator('.ProseMirror').count()).toBe(0);

    // Reopening on that device finds no token any more; the old link itself says access ended.
    await nia.page.goto(c.url(c.ngo));
    await nia.page.getByTestId('access-ended').waitFor({ timeout: 15_000 });
    expect(nia.errors).toEqual([]);
  });

  // Their own words are theirs to keep; the agreement's text is no longer theirs to hold on the device.
  it('a person revoked while offline sees the words they wrote and could not send, to copy, and the device forgets the agreement’s text', async () => {
    const c = await cast(stage.server);
    const id = c.fx.agreement.id;
    const nia = await stage.join(c.url(c.ngo));
    await nia.context.setOffline(true);
    await waitForConnection(nia.page, 'offline');
    await nia.page.locator('.ProseMirror').click();
    await nia.page.keyboard.insertText('Our own words, never sent.');
    const copy = deviceCopy(id, c.ngo);
    await waitForStoredLocally(nia.page, copy, 'Our own words, never sent.');
    const people = await api<PeopleResponse>(stage.server, 'GET', `/api/agreements/${id}/people`, undefined, c.fx.brokerToken);
    const niaId = people.body.people.find((p) => p.name === 'Nia Otieno')!.id;
    expect((await api(stage.server, 'DELETE', `/api/agreements/${id}/people/${niaId}`, undefined, c.fx.brokerToken)).status).toBe(204);

    await nia.context.setOffline(false);
    const ended = nia.page.getByTestId('access-ended');
    await ended.waitFor({ timeout: 15_000 });
    await ended.getByText('Our own words, never sent.').waitFor({ timeout: 5000 });
    await waitFor(async () => !(await nia.page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).includes(copy), {
      what: 'the device copy deleted',
    });
  });

  it('[17] access ends while the page is still loading: the text session, opened early, is refused before the page listens, and the page still says access ended', async () => {
    const c = await cast(stage.server);
    const agreementId = c.fx.agreement.id;
    const people = await api<PeopleResponse>(stage.server, 'GET', `/api/agreements/${agreementId}/people`, undefined, c.fx.brokerToken);
    const nia = people.body.people.find((p) => p.name === 'Nia Otieno');
    if (!nia) throw new Error('Nia is not among the people');

    const page = await (await stage.newContext()).newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    // The page's own code is held back until the refusal has come; the session's small chunk is not.
    let releasePageCode = () => {};
    const pageCodeHeld = new Promise<void>((release) => (releasePageCode = release));
    await page.route(/\/assets\/AgreementPage-[^/]+\.js$/, async (route) => {
      await pageCodeHeld;
      await route.continue();
    });
    // The agreement's answer still lets Nia in; the broker ends her access before it reaches the page.
    await page.route(new RegExp(`/api/agreements/${agreementId}$`), async (route) => {
      const response = await route.fetch();
      expect((await api(stage.server, 'DELETE', `/api/agreements/${agreementId}/people/${nia.id}`, undefined, c.fx.brokerToken)).status).toBe(204);
      await route.fulfill({ response });
    });
    const textSocket = page.waitForEvent('websocket', (ws) => ws.url().includes(agreementId));
    await page.goto(c.url(c.ngo));
    const socket = await textSocket;
    if (!socket.isClosed()) await socket.waitForEvent('close');
    expect(await page.getByTestId('access-ended').count()).toBe(0);

    releasePageCode();
    await page.getByTestId('access-ended').waitFor({ timeout: 15_000 });
    expect(await page.locator('.ProseMirror').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
