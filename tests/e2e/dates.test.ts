import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { contentRoom } from '#shared/rooms';
import type { LiveSession } from '#shared/sessions';
import { connectClient, synced } from '../support/clients';
import { objective, writeDocument } from '../support/document';
import { waitFor } from '../support/poll';
import { api, objectivesOnServer } from '../support/server';
import { cast, seriousFindings, useStage } from './browser';

const stage = useStage();

/** Opens `url` on a device of its own whose clock is `offsetMs` off and whose time zone is `timezoneId`. */
async function openOn(url: string, { timezoneId = 'UTC', offsetMs = 0, at }: { timezoneId?: string; offsetMs?: number; at?: Date } = {}): Promise<Page> {
  const context = await stage.newContext({ timezoneId, locale: 'en-US' });
  if (offsetMs) await context.clock.setSystemTime(Date.now() + offsetMs);
  // A device whose clock stands at `at` and runs on from there (its timers too, so a test can move it on).
  if (at) await context.clock.install({ time: at });
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('.ProseMirror').waitFor();
  return page;
}

// A comment's time is the server's; its "ago" was counted against the device's clock. A laptop two hours
// slow read a comment written that second as "in 2 hours", one two hours fast as "2 hours ago".
it('a person whose device clock is two hours off reads a comment just written as “just now”', async () => {
  const c = await cast(stage.server);
  const id = c.fx.agreement.id;
  const slow = await openOn(c.url(c.ngo), { offsetMs: -2 * 3600_000 });
  const fast = await openOn(c.url(c.ngo2), { offsetMs: 2 * 3600_000 });
  const written = await api(stage.server, 'POST', `/api/agreements/${id}/threads`, { body: 'Our floor is 40%', caucus: true }, c.ngo2);
  expect(written.status).toBe(201);
  for (const page of [slow, fast]) {
    await page.bringToFront();
    await page.getByTestId('caucus-tab').click();
    const thread = page.getByTestId('caucus-threads').getByTestId('thread').filter({ hasText: 'Our floor is 40%' });
    await thread.waitFor();
    expect(await thread.locator('time').first().textContent()).toBe('just now');
  }
});

/** The quick-wins timeline as a broker reads it: each entry's date, its overdue mark, and what it is. */
function timeline(page: Page): Promise<string[]> {
  return page
    .getByTestId('quick-wins')
    .locator(':scope > li')
    .evaluateAll((items) =>
      items.map((li) =>
        [
          li.querySelector('.timeline__date')?.textContent,
          li.querySelector('.timeline__overdue') ? 'OVERDUE' : '',
          li.querySelector('button')?.textContent ?? [...li.querySelectorAll('span')].map((e) => e.textContent).find((t) => t?.startsWith('Action: ')),
        ]
          .filter(Boolean)
          .join(' | '),
      ),
    );
}

// 23:50 on 1 March 2027 in Manila (UTC+8) is 10:50 that same day in New York (UTC-5): ten minutes
// for a loaded machine to open the pages before the test moves the clocks past midnight.
const MANILA_BEFORE_MIDNIGHT = new Date('2027-03-01T15:50:00Z');

it('the broker sees quick wins and actions past their date marked overdue by the day of their own zone, marked at midnight without a reload', async () => {
  const c = await cast(stage.server);
  const id = c.fx.agreement.id;
  const writer = connectClient(stage.server.ws, contentRoom(id), c.ngo);
  await synced(writer);
  const win = (oid: string, title: string, targetDate: string) => objective(oid, { title, intent: 'x' }, { quickWin: true, targetDate });
  writeDocument(writer.doc, {
    type: 'doc',
    content: [
      win('o1', 'First wells', '2027-03-01'),
      win('o2', 'Old pumps', '2027-02-27'),
      win('o3', 'Undated fair', ''),
      win('o4', 'Year-end fair', '2026-12-31'),
    ],
  });
  const call = <T>(method: string, path: string, body?: unknown) => api<T>(stage.server, method, `/api/agreements/${id}${path}`, body, c.fx.brokerToken);
  await objectivesOnServer(stage.server, id, c.fx.brokerToken, 4);
  writer.destroy();
  const planned = await call<LiveSession>('POST', '/sessions', { title: 'Working session', agenda: [{ kind: 'free', title: 'Actions', plannedMinutes: 10 }] });
  const s = `/sessions/${planned.body.id}`;
  expect((await call('POST', `${s}/start`)).status).toBe(200);
  for (const [what, due] of [
    ['Survey the wells', '2027-03-02'],
    ['Report to donors', '2028-01-15'],
  ]) {
    expect((await call('POST', `${s}/actions`, { what, owner: { kind: 'party', id: c.fx.ngoId }, due })).status).toBe(201);
  }

  const manila = await openOn(c.url(c.fx.brokerToken), { timezoneId: 'Asia/Manila', at: MANILA_BEFORE_MIDNIGHT });
  const newYork = await openOn(c.url(c.fx.brokerToken), { timezoneId: 'America/New_York', at: MANILA_BEFORE_MIDNIGHT });
  // Soonest first across years, the undated last; a date-only day reads as the same day in both zones.
  const onFirstOfMarch = [
    'Dec 31, 2026 | OVERDUE | Year-end fair',
    'Feb 27, 2027 | OVERDUE | Old pumps',
    'Mar 1, 2027 | First wells',
    'Mar 2, 2027 | Action: Survey the wells',
    'Jan 15, 2028 | Action: Report to donors',
    'No date yet | Undated fair',
  ];
  for (const page of [manila, newYork]) {
    await page.bringToFront();
    await page.getByTestId('timeline-action').nth(1).waitFor();
    expect(await timeline(page)).toEqual(onFirstOfMarch);
    // The objective block says its target date as the same day too.
    expect(await page.getByTestId('objective').first().locator('.objective__date-shown').textContent()).toBe('Mar 1, 2027');
  }

  // Midnight in Manila: 1 March is past there, still today in New York. Neither page is reloaded.
  await manila.bringToFront();
  await manila.clock.fastForward('10:20');
  await newYork.clock.fastForward('10:20');
  const marked = onFirstOfMarch.map((line) => (line === 'Mar 1, 2027 | First wells' ? 'Mar 1, 2027 | OVERDUE | First wells' : line));
  await waitFor(async () => JSON.stringify(await timeline(manila)) === JSON.stringify(marked), { what: 'First wells marked overdue in Manila after midnight' });
  expect(await timeline(newYork)).toEqual(onFirstOfMarch);
  // The mark's colour keeps the text readable.
  expect(await seriousFindings(manila, ['[data-testid="quick-wins"]'])).toEqual([]);
});

// The files a legal reviewer signs off give their times in UTC; the app gave the same moments on the reader's
// clock and named no zone: in New York a snapshot "Dec 5, 2026, 4:58:12 PM", its file "21:58:12 UTC".
it('a legal reviewer in New York reads a snapshot’s time and a session’s minutes with the time zone named', async () => {
  const c = await cast(stage.server);
  const id = c.fx.agreement.id;
  const call = <T>(method: string, path: string, body?: unknown) => api<T>(stage.server, method, `/api/agreements/${id}${path}`, body, c.fx.brokerToken);
  const planned = await call<LiveSession>('POST', '/sessions', {
    title: 'Working session',
    agenda: [{ kind: 'free', title: 'Introductions', plannedMinutes: 10 }],
  });
  for (const step of ['start', 'end']) expect((await call('POST', `/sessions/${planned.body.id}/${step}`)).status).toBe(200);
  expect((await call('POST', '/snapshots', { label: 'For review' })).status).toBe(201);

  const page = await openOn(c.url(c.legal), { timezoneId: 'America/New_York' });
  const zone = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', timeZoneName: 'short' })
    .formatToParts(new Date())
    .find((p) => p.type === 'timeZoneName')!.value;
  await page.getByTestId('history-panel').getByTestId('snapshot-item').filter({ hasText: 'For review' }).getByRole('button', { name: 'Open' }).click();
  const viewer = page.getByTestId('snapshot-viewer');
  await viewer.locator('.history-meta time').waitFor();
  expect(await viewer.locator('.history-meta time').textContent()).toMatch(new RegExp(`\\d:\\d\\d:\\d\\d [AP]M ${zone}$`));
  await page.getByRole('button', { name: 'Close' }).click();

  await page.getByTestId('past-session').getByRole('button', { name: 'Minutes' }).click();
  const minutes = page.getByTestId('minutes');
  await minutes.waitFor();
  expect(await minutes.textContent()).toContain(`Times are in your time zone (${zone})`);
});

/** A quick win dated 1 March 2027, written by the NGO's second negotiator (`writer`), with every target date it has read in turn (`seen`). */
async function objectiveDated() {
  const c = await cast(stage.server);
  const writer = connectClient(stage.server.ws, contentRoom(c.fx.agreement.id), c.ngo2);
  await synced(writer);
  writeDocument(writer.doc, { type: 'doc', content: [objective('o1', { title: 'First wells', intent: 'x' }, { quickWin: true, targetDate: '2027-03-01' })] });
  const targetDate = () => /targetDate="([^"]*)"/.exec(writer.doc.getXmlFragment('content').toString())?.[1];
  const seen: (string | undefined)[] = [];
  writer.doc.on('afterTransaction', () => (seen.at(-1) === targetDate() ? undefined : seen.push(targetDate())));
  return { c, writer, targetDate, seen };
}

// Typing a year digit by digit, the date field's value is 0002-03-01, 0020-03-01, 0202-03-01, then 2028-03-01. Each
// was written to the shared text, and the field was set back to the old date before the new one came, which
// restarted the year: "2028" typed over 2027 left year 2 for everyone a moment, then no target date at all.
it('a negotiator who types a new year into a target date changes it to that year, and only that date reaches the others', async () => {
  const { c, writer, targetDate, seen } = await objectiveDated();
  try {
    const page = await openOn(c.url(c.ngo), { timezoneId: 'Asia/Manila' });
    const field = page.locator('.objective__date input');
    await field.focus();
    // Month, day, then the year (en-US order), typed as a person does.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.type('2028');
    await page.keyboard.press('Tab');
    await waitFor(() => targetDate() === '2028-03-01' || seen.includes(''), { what: 'the new date, or none, at the others' });
    expect(seen).toEqual(['2027-03-01', '2028-03-01']);
    expect(await field.inputValue()).toBe('2028-03-01');

    // Emptied, the date is cleared once the person leaves the field, not while they are still in it.
    await field.focus();
    await page.keyboard.press('Backspace');
    expect(await field.inputValue()).toBe('');
    expect(targetDate()).toBe('2028-03-01');
    await field.blur();
    await waitFor(() => targetDate() === '', { what: 'the date cleared at the others' });
  } finally {
    writer.destroy();
  }
});

// A month or a day typed digit by digit passes through another whole date: "12" is month 01, then 12. Each was a
// finished date, written to the shared text: the others saw 1 January, then 1 December, then the 2nd, then the 25th.
it('a negotiator who types a month and a day into a target date sends the others only the date she typed', async () => {
  const { c, writer, targetDate, seen } = await objectiveDated();
  try {
    const page = await openOn(c.url(c.ngo), { timezoneId: 'Asia/Manila' });
    const field = page.locator('.objective__date input');
    await field.focus();
    // Month then day (en-US order), each digit by digit, as a person types them.
    await page.keyboard.type('1225');
    expect(await field.inputValue()).toBe('2027-12-25');
    await page.keyboard.press('Tab');
    await waitFor(() => targetDate() !== '2027-03-01', { what: 'a new date at the others' });
    expect(seen).toEqual(['2027-03-01', '2027-12-25']);

    // Typed and left alone (the person looks away, the field still focused), the date reaches the others too.
    await field.focus();
    await page.keyboard.type('06');
    await waitFor(() => targetDate() === '2027-06-25', { timeoutMs: 10_000, what: 'the date typed and left at the others' });
    expect(seen).toEqual(['2027-03-01', '2027-12-25', '2027-06-25']);
  } finally {
    writer.destroy();
  }
});

// An action past its due date read "Overdue" for ever: nobody could say it was done.
it('a negotiator marks her party’s overdue action done; the other party reads it done, and cannot mark it', async () => {
  const c = await cast(stage.server);
  const call = <T>(method: string, path: string, body?: unknown) =>
    api<T>(stage.server, method, `/api/agreements/${c.fx.agreement.id}${path}`, body, c.fx.brokerToken);
  const planned = await call<LiveSession>('POST', '/sessions', { title: 'Working session', agenda: [{ kind: 'free', title: 'Actions', plannedMinutes: 10 }] });
  const s = `/sessions/${planned.body.id}`;
  expect((await call('POST', `${s}/start`)).status).toBe(200);
  for (const [what, owner] of [
    ['Survey the wells', c.fx.ngoId],
    ['Fund the pumps', c.fx.businessId],
  ])
    expect((await call('POST', `${s}/actions`, { what, owner: { kind: 'party', id: owner }, due: '2026-01-15' })).status).toBe(201);

  const nia = await openOn(c.url(c.ngo));
  const ben = await openOn(c.url(c.business));
  const overdue = ['Jan 15, 2026 | OVERDUE | Action: Fund the pumps', 'Jan 15, 2026 | OVERDUE | Action: Survey the wells'];
  for (const page of [nia, ben])
    await waitFor(async () => JSON.stringify((await timeline(page)).sort()) === JSON.stringify(overdue), { what: 'both actions overdue' });
  // Each negotiator may mark only their own party's action.
  expect(await nia.getByRole('checkbox', { name: /^Done: / }).evaluateAll((boxes) => boxes.map((b) => b.getAttribute('aria-label')))).toEqual([
    'Done: Survey the wells',
  ]);
  await nia.bringToFront();
  await nia.getByRole('checkbox', { name: 'Done: Survey the wells' }).check();
  const wells = ben.getByTestId('timeline-action').filter({ hasText: 'Survey the wells' });
  await wells.locator('.timeline__done').waitFor();
  expect(await timeline(ben)).toContain('Jan 15, 2026 | Action: Survey the wells');
  expect(await wells.locator('.timeline__meta').textContent()).toBe('Owner: WaterAid Kenya · marked done by Nia Otieno');
  expect(await ben.getByRole('checkbox', { name: 'Done: Survey the wells' }).count()).toBe(0);
  // Unticked: overdue again, for everyone.
  await nia.getByRole('checkbox', { name: 'Done: Survey the wells' }).uncheck();
  await wells.locator('.timeline__overdue').waitFor();
  expect(await seriousFindings(nia, ['[data-testid="quick-wins"]'])).toEqual([]);
});

// A quick win delivered months ago still read "Overdue" on every page, against the party that delivered it.
it('a negotiator marks her party’s overdue quick win delivered; the other party reads it delivered live, and unticked it is overdue again', async () => {
  const c = await cast(stage.server);
  // The broker writes both parties' own objectives.
  const writer = connectClient(stage.server.ws, contentRoom(c.fx.agreement.id), c.fx.brokerToken);
  await synced(writer);
  const win = (oid: string, title: string, scope: string) => objective(oid, { title, intent: 'x' }, { quickWin: true, targetDate: '2026-01-15', scope });
  writeDocument(writer.doc, { type: 'doc', content: [win('o1', 'Village meetings', c.fx.ngoId), win('o2', 'Fund the pumps', c.fx.businessId)] });
  const nia = await openOn(c.url(c.ngo));
  const ben = await openOn(c.url(c.business));
  writer.destroy();
  const overdue = ['Jan 15, 2026 | OVERDUE | Village meetings', 'Jan 15, 2026 | OVERDUE | Fund the pumps'];
  for (const page of [nia, ben])
    await waitFor(async () => JSON.stringify(await timeline(page)) === JSON.stringify(overdue), { what: 'both quick wins overdue' });
  // Each negotiator may mark only their own party's quick win.
  const boxes = (page: Page) => page.getByTestId('quick-wins').getByRole('checkbox', { name: /^Delivered: / });
  expect(await boxes(nia).evaluateAll((all) => all.map((b) => b.getAttribute('aria-label')))).toEqual(['Delivered: Village meetings']);
  await nia.bringToFront();
  await boxes(nia).check();

  // Ben's page, not reloaded: delivered, by whom and when, on the timeline and in the objective block; no box for him.
  const meetings = ben.getByTestId('quick-wins').locator(':scope > li').filter({ hasText: 'Village meetings' });
  await meetings.locator('.timeline__done').waitFor();
  expect(await timeline(ben)).toEqual(['Jan 15, 2026 | Village meetings', 'Jan 15, 2026 | OVERDUE | Fund the pumps']);
  expect(await meetings.locator('.timeline__done').textContent()).toBe('Delivered');
  expect(await meetings.locator('.timeline__meta').textContent()).toMatch(
    /^No owners yet · .* · marked delivered by Nia Otieno on [A-Z][a-z]{2} \d{1,2}, \d{4}$/,
  );
  expect(await boxes(ben).evaluateAll((all) => all.map((b) => b.getAttribute('aria-label')))).toEqual(['Delivered: Fund the pumps']);
  const inBlock = (page: Page) => page.getByTestId('objective').filter({ hasText: 'Village meetings' }).getByTestId('objective-delivered');
  await waitFor(async () => (await inBlock(ben).textContent())?.startsWith('Delivered'), { what: 'the objective block reads it delivered' });
  expect(await inBlock(ben).textContent()).toMatch(/^Deliveredmarked by Nia Otieno on /);
  expect(await inBlock(ben).getByRole('checkbox').count()).toBe(0);

  // Nia unticks it from the objective block, by keyboard: overdue again on Ben's page.
  const blockBox = inBlock(nia).getByRole('checkbox', { name: 'Delivered: “Village meetings”' });
  expect(await blockBox.isChecked()).toBe(true);
  await blockBox.focus();
  await nia.keyboard.press('Space');
  await waitFor(async () => JSON.stringify(await timeline(ben)) === JSON.stringify(overdue), { what: 'overdue again on Ben’s page' });
  expect(await inBlock(ben).count()).toBe(0);
  expect(await seriousFindings(nia, ['[data-testid="quick-wins"]', '[data-testid="objective-delivered"]'])).toEqual([]);
});
