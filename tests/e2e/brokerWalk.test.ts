import { afterEach, describe, expect, it } from 'vitest';
import type { JSONContent } from '@tiptap/core';
import type { Page } from 'playwright-core';
import { contentRoom, recordsRoom } from '#shared/rooms';
import type { AttendanceEntry, LiveSession } from '#shared/sessions';
import { connectClient, synced, type TestClient } from '../support/clients';
import { heading, objective, paragraph, writeDocument } from '../support/document';
import { waitFor } from '../support/poll';
import { api } from '../support/server';
import { cast, cutFieldTexts, drawnTexts, useStage, waitForConnection, type Cast } from './browser';

// Fixes from a walk-through as the broker who runs a live session and the negotiators who follow it.
const stage = useStage();
const SLOW = { timeout: 60_000 };
const writers: TestClient[] = [];
afterEach(() => {
  for (const w of writers.splice(0)) w.destroy();
});

/** A long text: many short paragraphs, then the "Shared objectives" section far down, then more. */
async function writeLongText(c: Cast): Promise<void> {
  const writer = connectClient(stage.server.ws, contentRoom(c.fx.agreement.id), c.ngo);
  writers.push(writer);
  await synced(writer);
  writeDocument(writer.doc, {
    type: 'doc',
    content: [
      heading(2, 'Background'),
      ...Array.from({ length: 40 }, (_, i) => paragraph(`Background paragraph ${i + 1} about the river basin.`)),
      heading(2, 'Shared objectives'),
      objective('obj1', { title: 'Safe water for households', intent: 'Every household has safe water', band: '500 to 800', trigger: 'Drought' }),
      ...Array.from({ length: 40 }, (_, i) => paragraph(`Closing paragraph ${i + 1}.`)),
    ],
  });
  await waitFor(() => stage.server.app.ctx.rooms.with(c.fx.agreement.id, (r) => r.doc.getXmlFragment('content').toString().includes('Closing paragraph 40')), {
    what: 'the long text on the server',
  });
}

/** Plans and starts a session whose first item is the "Shared objectives" section. */
async function startSessionOnSection(c: Cast): Promise<void> {
  const path = `/api/agreements/${c.fx.agreement.id}/sessions`;
  const agenda = [{ kind: 'section', section: 'Shared objectives', title: 'Shared objectives', plannedMinutes: 15 }];
  const planned = await api<LiveSession>(stage.server, 'POST', path, { title: 'Working session', agenda }, c.fx.brokerToken);
  expect(planned.status).toBe(201);
  expect((await api(stage.server, 'POST', `${path}/${planned.body.id}/start`, undefined, c.fx.brokerToken)).status).toBe(200);
}

/** Headings, each with a paragraph under it. */
const sections = (...titles: string[]): JSONContent[] => titles.flatMap((t) => [heading(2, t), paragraph(`About ${t}.`)]);
const section = (title: string) => ({ kind: 'section', section: title, title, plannedMinutes: 15 });
const free = (title: string) => ({ kind: 'free', title, plannedMinutes: 5 });

/** The broker's page on a new agreement whose text a negotiator's stock client wrote as `content`. */
async function brokerOn(content: JSONContent[]): Promise<Page> {
  const c = await cast(stage.server);
  const writer = connectClient(stage.server.ws, contentRoom(c.fx.agreement.id), c.ngo);
  writers.push(writer);
  await synced(writer);
  writeDocument(writer.doc, { type: 'doc', content });
  return (await stage.join(c.url(c.fx.brokerToken))).page;
}

/**
 * A session on `items` over the text `content`, taken through `steps` ('start', then 'end' for its
 * minutes) by the broker, and the business negotiator's page on it.
 */
async function sessionSeenBy(content: JSONContent[], items: Record<string, unknown>[], steps: ('start' | 'end')[]): Promise<Page> {
  const c = await cast(stage.server);
  const writer = connectClient(stage.server.ws, contentRoom(c.fx.agreement.id), c.ngo);
  writers.push(writer);
  await synced(writer);
  writeDocument(writer.doc, { type: 'doc', content: [...content, paragraph('End of the text.')] });
  await waitFor(() => stage.server.app.ctx.rooms.with(c.fx.agreement.id, (r) => r.doc.getXmlFragment('content').toString().includes('End of the text.')), {
    what: 'the text on the server',
  });
  const path = `/api/agreements/${c.fx.agreement.id}/sessions`;
  const planned = await api<LiveSession>(stage.server, 'POST', path, { title: 'Working session', agenda: items }, c.fx.brokerToken);
  expect(planned.status).toBe(201);
  for (const step of steps) expect((await api(stage.server, 'POST', `${path}/${planned.body.id}/${step}`, undefined, c.fx.brokerToken)).status).toBe(200);
  return (await stage.join(c.url(c.business))).page;
}

/** The session bar's agenda as Chromium draws it (its count included), for a session on `items` started over the text `content`. */
async function agendaOf(content: JSONContent[], items: Record<string, unknown>[]): Promise<string[]> {
  const page = await sessionSeenBy(content, items, ['start']);
  await page.getByTestId('session-bar').getByTestId('agenda-item').first().waitFor();
  return drawnTexts(page, '[data-testid="session-bar"] [data-testid="agenda-item"]');
}

/** The items of the minutes of a session on `items`, ended at once, as Chromium draws them: the list's own marker, then the title. */
async function minutesItemsOf(content: JSONContent[], items: Record<string, unknown>[]): Promise<string[]> {
  const page = await sessionSeenBy(content, items, ['start', 'end']);
  await page.getByTestId('past-session').getByRole('button', { name: 'Minutes' }).click();
  const shown = page.getByTestId('minutes').getByTestId('minutes-item');
  await shown.first().waitFor();
  return shown.evaluateAll((lis) =>
    lis.map((li, i) => {
      const style = getComputedStyle(li);
      const marker = style.display === 'list-item' && style.listStyleType === 'decimal' ? `${i + 1}. ` : '';
      return marker + (li.querySelector('h4')?.firstChild?.textContent ?? '').trim();
    }),
  );
}

/** Frames the heading must stay put: more than scrollToBlock's five still frames before it corrects a landing. */
const SETTLED_FRAMES = 10;

/** Where the heading `text` is once it has stopped moving: its top against the window's. */
async function settledHeadingTop(page: Page, text: string): Promise<{ top: number; bottom: number; window: number }> {
  type Watch = { top: number; still: number };
  await page.evaluate(() => delete (window as unknown as { headingWatch?: Watch }).headingWatch);
  // Read once a frame (Playwright's default polling): the window has scrolled and the heading's top reads the same for SETTLED_FRAMES in a row.
  await page.waitForFunction(
    ({ wanted, frames }) => {
      const watch = ((window as unknown as { headingWatch?: Watch }).headingWatch ??= { top: NaN, still: 0 });
      const h = [...document.querySelectorAll('.ProseMirror h2')].find((el) => el.textContent === wanted);
      const top = h && scrollY > 0 ? h.getBoundingClientRect().top : NaN;
      watch.still = top === watch.top ? watch.still + 1 : 0;
      watch.top = top;
      return watch.still >= frames;
    },
    { wanted: text, frames: SETTLED_FRAMES },
    { timeout: 15_000 },
  );
  return page.evaluate((wanted) => {
    const h = [...document.querySelectorAll('.ProseMirror h2')].find((el) => el.textContent === wanted) as HTMLElement;
    const rect = h.getBoundingClientRect();
    return { top: rect.top, bottom: rect.bottom, window: innerHeight };
  }, text);
}

describe("the broker's walk-through", () => {
  it("shows the agenda planner's fields whole in the side panel: the outline picker's prompt and the free item's example", SLOW, async () => {
    const c = await cast(stage.server);
    const { page } = await stage.join(c.url(c.fx.brokerToken));
    const planner = page.getByTestId('session-console');
    await planner.getByLabel('Add from the outline').waitFor();
    for (const [width, height] of [
      [1440, 900],
      [1280, 900],
      [1024, 720],
    ]) {
      await page.setViewportSize({ width, height });
      expect(await cutFieldTexts(planner.locator('select, input')), `${width}×${height}`).toEqual([]);
    }
  });

  // Once picked, a choice read "Objective: Safe water for hous" (266px of 319px) in the side panel,
  // and a long section, as a partnering agreement's are, lost half its name.
  it('shows the section or objective a broker picks for the agenda whole, in the side panel of a usual and of a narrow window', SLOW, async () => {
    const c = await cast(stage.server);
    const writer = connectClient(stage.server.ws, contentRoom(c.fx.agreement.id), c.ngo);
    writers.push(writer);
    await synced(writer);
    const short = ['2. Shared objectives', 'Safe water for households'];
    const long = '9. Indicators, monitoring, review and revision points';
    writeDocument(writer.doc, {
      type: 'doc',
      content: [heading(2, short[0]), objective('obj1', { title: short[1] }), heading(2, long), paragraph('How we measure.')],
    });
    const { page } = await stage.join(c.url(c.fx.brokerToken));
    const planner = page.getByTestId('session-console');
    const picker = planner.getByLabel('Add from the outline');
    await picker.locator('option', { hasText: long }).waitFor({ state: 'attached' });
    for (const [width, height] of [
      [1280, 900],
      [1024, 720],
    ]) {
      await page.setViewportSize({ width, height });
      for (const title of [...short, long]) {
        const value = await picker.locator('option', { hasText: title }).getAttribute('value');
        await picker.selectOption(value!);
        const at = `${title} at ${width}×${height}`;
        // A usual title reads whole in the picker itself.
        if (short.includes(title)) expect(await cutFieldTexts(picker), at).toEqual([]);
        // Any title, however long, reads whole on the button that adds it.
        const add = planner.getByRole('button', { name: `Add “${title}”` });
        await add.waitFor({ timeout: 5_000 });
        expect(await add.evaluate((b) => b.scrollWidth <= b.clientWidth + 1 && b.scrollHeight <= b.clientHeight + 1), at).toBe(true);
        expect(
          await add.evaluate((b) => b.getBoundingClientRect().right <= b.closest('[data-testid="session-console"]')!.getBoundingClientRect().right),
          at,
        ).toBe(true);
      }
    }
    // Adding it puts it on the agenda being planned.
    await planner.getByRole('button', { name: `Add “${long}”` }).click();
    await expect.poll(() => planner.getByTestId('agenda-row').getByLabel('Title of item 1').inputValue()).toBe(long);
    expect(await planner.getByRole('button', { name: 'Add', exact: true }).isDisabled()).toBe(true);
  });

  // The picker knew a section by its place among the headings: a heading written above the one the
  // broker had picked moved the pick to its neighbour, and Add put that neighbour on the agenda.
  it(
    'adds the section the broker picked though a negotiator writes or removes a heading meanwhile; a picked section removed leaves nothing picked',
    SLOW,
    async () => {
      const c = await cast(stage.server);
      const writer = connectClient(stage.server.ws, contentRoom(c.fx.agreement.id), c.ngo);
      writers.push(writer);
      await synced(writer);
      const write = (...titles: string[]) => writeDocument(writer.doc, { type: 'doc', content: sections(...titles) });
      write('1. Parties', '2. Shared objectives', '3. Values and principles');
      const { page } = await stage.join(c.url(c.fx.brokerToken));
      const planner = page.getByTestId('session-console');
      const picker = planner.getByLabel('Add from the outline');
      const add = planner.getByRole('button', { name: /^Add( “|$)/ });
      const hasOption = (title: string) => picker.locator('option', { hasText: title }).waitFor({ state: 'attached' });
      await hasOption('3. Values and principles');
      await picker.selectOption({ label: '2. Shared objectives' });
      await expect.poll(() => add.textContent()).toBe('Add “2. Shared objectives”');

      // Nia writes a heading above the picked one: the pick stays on "2. Shared objectives", and so does Add.
      write('Preamble', '1. Parties', '2. Shared objectives', '3. Values and principles');
      await hasOption('Preamble');
      expect(await add.textContent()).toBe('Add “2. Shared objectives”');
      expect(await picker.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent)).toBe('2. Shared objectives');
      await add.click();
      await expect.poll(() => planner.getByLabel('Title of item 1').inputValue()).toBe('2. Shared objectives');

      // She removes a heading above it: the same.
      await picker.selectOption({ label: '3. Values and principles' });
      await expect.poll(() => add.textContent()).toBe('Add “3. Values and principles”');
      write('1. Parties', '2. Shared objectives', '3. Values and principles');
      await picker.locator('option', { hasText: 'Preamble' }).waitFor({ state: 'detached' });
      expect(await add.textContent()).toBe('Add “3. Values and principles”');

      // She removes the picked heading itself: nothing is picked, and Add waits for a choice.
      await picker.selectOption({ label: '2. Shared objectives' });
      await expect.poll(() => add.textContent()).toBe('Add “2. Shared objectives”');
      write('1. Parties', '3. Values and principles');
      await picker.locator('option', { hasText: '2. Shared objectives' }).waitFor({ state: 'detached' });
      expect(await add.textContent()).toBe('Add');
      expect(await add.isDisabled()).toBe(true);
      expect(await picker.inputValue()).toBe('');
      // Nor does the pick come back when the heading does.
      write('1. Parties', '2. Shared objectives', '3. Values and principles');
      await hasOption('2. Shared objectives');
      expect(await picker.inputValue()).toBe('');
      expect(await add.isDisabled()).toBe(true);
      await expect.poll(() => planner.getByTestId('agenda-row').count()).toBe(1);
    },
  );

  // Once on the agenda being planned, a title sat in a one-line field: "9. Indicators, monitoring,
  // review and revision points" lost its end in the side panel, and the broker could not read what they planned.
  it('shows each title on the agenda being planned whole, however long, in the side panel of a usual and of a narrow window', SLOW, async () => {
    const long = '9. Indicators, monitoring, review and revision points';
    const page = await brokerOn(sections('2. Shared objectives', long));
    const planner = page.getByTestId('session-console');
    const picker = planner.getByLabel('Add from the outline');
    await picker.locator('option', { hasText: long }).waitFor({ state: 'attached' });
    await picker.selectOption({ label: long });
    await planner.getByRole('button', { name: `Add “${long}”` }).click();
    await planner.getByLabel('Free item').fill('Introductions');
    await planner.getByRole('button', { name: 'Add item' }).click();
    const titles = planner.getByTestId('agenda-row').getByRole('textbox', { name: /^Title of item \d+$/ });
    await expect.poll(() => titles.count()).toBe(2);
    expect(await titles.first().inputValue()).toBe(long);
    for (const [width, height] of [
      [1280, 900],
      [1024, 720],
    ]) {
      await page.setViewportSize({ width, height });
      // Measured once the layout has followed the window: a frame after the resize.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      const shown = await titles.evaluateAll((fields) =>
        fields.map((field) => {
          const panel = field.closest('[data-testid="session-console"]')!.getBoundingClientRect();
          const box = field.getBoundingClientRect();
          return {
            title: (field as HTMLInputElement | HTMLTextAreaElement).value,
            width: field.clientWidth,
            neededWidth: field.scrollWidth,
            height: field.clientHeight,
            neededHeight: field.scrollHeight,
            inPanel: box.left >= panel.left && box.right <= panel.right,
          };
        }),
      );
      for (const field of shown) {
        const at = `${field.title} at ${width}×${height}`;
        expect(field.width, at).toBeGreaterThanOrEqual(Math.max(field.neededWidth, 150));
        expect(field.height, at).toBeGreaterThanOrEqual(field.neededHeight);
        expect(field.inPanel, at).toBe(true);
      }
    }
    // The title stays a field the broker edits.
    await titles.first().fill('9. Indicators and review');
    await expect.poll(() => planner.getByRole('button', { name: 'Remove 9. Indicators and review' }).count()).toBe(1);
  });

  it('brings a negotiator who joins a running session to the current section: its heading shows below the header, not above the window', SLOW, async () => {
    const c = await cast(stage.server);
    await writeLongText(c);
    await startSessionOnSection(c);
    const { page } = await stage.join(c.url(c.business));
    await page.getByTestId('session-bar').locator('[aria-current="step"]').getByText('Shared objectives').waitFor();
    const heading = await settledHeadingTop(page, 'Shared objectives');
    const header = await page.locator('.topbar--agreement').evaluate((el) => el.getBoundingClientRect().bottom);
    expect(heading.top, `heading at ${heading.top}px, header ends at ${header}px`).toBeGreaterThanOrEqual(header);
    expect(heading.bottom).toBeLessThanOrEqual(heading.window);
  });

  it(
    'numbers the agenda one way: by the sections’ own numbers when its items carry them ("3. Shared objectives · Any other business"), else 1, 2, 3',
    SLOW,
    async () => {
      // The session opens on a numbered section: the agenda's own count ("2.") would run beside the text's ("3.").
      expect(await agendaOf(sections('1. Parties', '3. Shared objectives'), [section('3. Shared objectives'), free('Any other business')])).toEqual([
        '3. Shared objectives',
        'Any other business',
      ]);
      expect(await agendaOf(sections('Parties', 'Shared objectives'), [section('Shared objectives'), free('Any other business')])).toEqual([
        '1. Shared objectives',
        '2. Any other business',
      ]);
    },
  );

  // "15-minute break" and "2030 targets" start with a digit: the bar read them as numbered and took the count off every item.
  it(
    'counts an agenda whose titles only start with a figure ("2030 targets", "15-minute break") 1, 2, 3; a Roman section number still numbers it',
    SLOW,
    async () => {
      const text = [...sections('Shared objectives'), objective('obj1', { title: '2030 targets' })];
      expect(
        await agendaOf(text, [
          section('Shared objectives'),
          { kind: 'objective', objectiveId: 'obj1', title: '2030 targets', plannedMinutes: 20 },
          free('15-minute break'),
        ]),
      ).toEqual(['1. Shared objectives', '2. 2030 targets', '3. 15-minute break']);
      expect(await agendaOf(sections('IV. Values and principles'), [free('15-minute break'), section('IV. Values and principles')])).toEqual([
        '15-minute break',
        'IV. Values and principles',
      ]);
    },
  );

  // A row for the section "2. Shared objectives" read "1. 2. Shared objectives: Alt+Up…" to a screen reader.
  it('names each row of the agenda being planned with the same numbers as the session bar: the titles’ own, else 1, 2, 3', SLOW, async () => {
    const page = await brokerOn([...sections('2. Shared objectives'), objective('obj1', { title: '2030 targets' })]);
    const planner = page.getByTestId('session-console');
    const picker = planner.getByLabel('Add from the outline');
    await picker.locator('option', { hasText: '2030 targets' }).waitFor({ state: 'attached' });
    const add = async (title: string) => {
      await picker.selectOption({ label: title });
      await planner.getByRole('button', { name: `Add “${title}”` }).click();
    };
    const rows = planner.getByTestId('agenda-row');
    const names = () => rows.evaluateAll((items) => items.map((item) => item.getAttribute('aria-label')?.replace(/: Alt\+Up or Alt\+Down moves it$/, '')));

    // Titles that only start with a figure: the agenda counts its rows.
    await add('2030 targets');
    await planner.getByLabel('Free item').fill('15-minute break');
    await planner.getByRole('button', { name: 'Add item' }).click();
    await expect.poll(names).toEqual(['1. 2030 targets', '2. 15-minute break']);
    expect(await rows.first().getAttribute('aria-label')).toBe('1. 2030 targets: Alt+Up or Alt+Down moves it');
    // A section with its own number: the titles alone number the agenda, as on the bar.
    await add('2. Shared objectives');
    await expect.poll(names).toEqual(['2030 targets', '15-minute break', '2. Shared objectives']);
    await rows.nth(2).focus();
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(names).toEqual(['2030 targets', '2. Shared objectives', '15-minute break']);
    await planner.getByRole('button', { name: 'Remove 2. Shared objectives' }).click();
    await expect.poll(names).toEqual(['1. 2030 targets', '2. 15-minute break']);
  });

  // The minutes' list drew its own count beside a section's number: "1. 3. Shared objectives".
  it('numbers the items of a session’s minutes as its bar did: by the sections’ own numbers when they carry them, else 1, 2, 3', SLOW, async () => {
    expect(await minutesItemsOf(sections('1. Parties', '3. Shared objectives'), [section('3. Shared objectives'), free('Any other business')])).toEqual([
      '3. Shared objectives',
      'Any other business',
    ]);
    expect(await minutesItemsOf(sections('Parties', 'Shared objectives'), [section('Shared objectives'), free('Any other business')])).toEqual([
      '1. Shared objectives',
      '2. Any other business',
    ]);
  });

  // A reload (or a moment off the network) during a session read in the minutes as leaving and coming back:
  // "Nia Otieno, …: 9:02 AM–9:02 AM, 9:02 AM–9:40 AM", as if she had been out of the room.
  it('lists a negotiator who reloaded her page during a session as present once, from her arrival to the end, in the minutes', SLOW, async () => {
    const c = await cast(stage.server);
    const path = `/api/agreements/${c.fx.agreement.id}/sessions`;
    const planned = await api<LiveSession>(stage.server, 'POST', path, { title: 'Working session', agenda: [free('Introductions')] }, c.fx.brokerToken);
    expect((await api(stage.server, 'POST', `${path}/${planned.body.id}/start`, undefined, c.fx.brokerToken)).status).toBe(200);
    const niasEntries = (): Promise<string[]> =>
      stage.server.app.ctx.rooms.with(recordsRoom(c.fx.agreement.id), (r) =>
        r.doc
          .getArray<AttendanceEntry>('attendance')
          .toArray()
          .filter((e) => e.name === 'Nia Otieno')
          .map((e) => e.kind),
      );

    const { page } = await stage.join(c.url(c.ngo));
    await page.getByTestId('session-bar').waitFor();
    await waitFor(async () => (await niasEntries()).length === 1, { what: 'her arrival recorded' });
    await page.reload();
    await waitForConnection(page, 'live');
    await waitFor(async () => (await niasEntries()).join() === 'join,leave,join', { what: 'her reload recorded as a leave and a join' });

    expect((await api(stage.server, 'POST', `${path}/${planned.body.id}/end`, undefined, c.fx.brokerToken)).status).toBe(200);
    await page.getByTestId('past-session').getByRole('button', { name: 'Minutes' }).click();
    const line = page.getByTestId('minutes-attendees').locator('li').filter({ hasText: 'Nia Otieno' });
    expect(await line.textContent()).toMatch(/^Nia Otieno, Negotiator, WaterAid Kenya: \d+:\d\d [AP]M–\d+:\d\d [AP]M$/);
  });

  it("keeps an objective's marker in the outline on the first line of its title, however long the title", SLOW, async () => {
    const title = 'Safe drinking water for every household in the lakeside villages';
    const page = await brokerOn([heading(2, 'Shared objectives'), objective('obj1', { title }), paragraph('Closing words.')]);
    const entry = page.getByTestId('outline').locator('li', { hasText: title });
    await entry.waitFor();
    // The marker is the entry's ::before: it starts the entry's first line, so the title must start there too.
    const offset = await entry.evaluate((li) => li.querySelector('button')!.getBoundingClientRect().top - li.getBoundingClientRect().top);
    expect(offset).toBeLessThan(4);
  });

  it("shows each person's role whole in the People panel, where the broker changes it", SLOW, async () => {
    const c = await cast(stage.server);
    const { page } = await stage.join(c.url(c.fx.brokerToken));
    const panel = page.getByTestId('people-panel');
    const role = panel.getByLabel('Role of Ben Kamau');
    await role.waitFor();
    for (const width of [1440, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await cutFieldTexts(panel.locator('select')), `${width}px wide`).toEqual([]);
    }
    // Each date and time in the people's details is one unbroken piece ("2:24 / AM" wrapped before).
    const dates = panel.locator('time');
    expect(await dates.count()).toBeGreaterThan(3);
    expect(await dates.evaluateAll((times) => times.filter((t) => t.getClientRects().length > 1).map((t) => t.textContent))).toEqual([]);

    // Ben moves from Acme Beverages to WaterAid Kenya: the choice says which party, and the row follows.
    const said = panel.locator('[data-person="Ben Kamau"] .people__meta');
    expect(await said.textContent()).toBe('Negotiator · Acme Beverages');
    await role.selectOption({ label: 'WaterAid Kenya' });
    await expect.poll(() => said.textContent()).toBe('Negotiator · WaterAid Kenya');
    expect(await role.getAttribute('title')).toBe('Negotiator for WaterAid Kenya');
    await role.selectOption({ label: 'Legal reviewer' });
    await expect.poll(() => said.textContent()).toBe('Legal reviewer');
  });
});
