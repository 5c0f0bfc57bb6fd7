import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { contentRoom } from '#shared/rooms';
import { connectClient, synced } from '../support/clients';
import { heading, objective, paragraph, writeDocument } from '../support/document';
import { api } from '../support/server';
import { cast, deviceCopy, useStage, waitForConnection, waitForOfflineShell, waitForStoredLocally, waitForText, writeBeforeOpening } from './browser';

// The agreement overview in the side panel: standing, quick wins, outline, completeness.
const stage = useStage();

/**
 * Opens `url` in a fresh context that records every text the phase, objectives', quick wins' and completeness panels show,
 * from the first; what the server sends on the text's socket (`text`) or the records' (`records`) reaches the page that
 * many ms later (a slow link).
 */
async function openRecordingPanels(url: string, delays: { text?: number; records?: number } = {}): Promise<Page> {
  const context = await stage.newContext();
  for (const [room, pattern] of [
    ['text', /\/collab\/[^/.?]+(\?|$)/],
    ['records', /\/collab\/[^/.?]+\.records(\?|$)/],
  ] as const) {
    const after = delays[room] ?? 0;
    if (after === 0) continue;
    await context.routeWebSocket(pattern, (socket) => {
      const server = socket.connectToServer();
      server.onMessage((message) => setTimeout(() => socket.send(message), after));
    });
  }
  await context.addInitScript(() => {
    const shown: string[] = [];
    (window as unknown as { shown: string[] }).shown = shown;
    new MutationObserver(() => {
      for (const id of ['phase-title', 'standing-title', 'quick-wins-title', 'completeness-title']) {
        const text = document.getElementById(id)?.closest('section')?.textContent ?? '';
        if (text && shown[shown.length - 1] !== text) shown.push(text);
      }
      const phase = document.querySelector('[data-testid="phase"]')?.getAttribute('data-phase');
      if (phase && !shown.includes(`phase ${phase}`)) shown.push(`phase ${phase}`);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

const shownSoFar = (page: Page) => page.evaluate(() => (window as unknown as { shown: string[] }).shown);

// The objectives were hashed after the text was read, and until then (88 ms here) the panels showed an agreement
// with none: "Objectives 0", "Quick wins 0" and the hint to mark some, on every opening. On a slow link (or a loaded
// machine) the panels came before the text itself, and read the empty page: no objectives, every part missing.
it('opening an agreement, the objectives’ and quick wins’ panels never show it without its objectives', async () => {
  const c = await cast(stage.server);
  const doc = {
    type: 'doc',
    content: [
      heading(2, 'Shared objectives'),
      objective(
        'o1',
        { title: 'First wells', intent: 'Water', band: '5 to 8', trigger: 'Drought' },
        { owners: 'Nia', quickWin: true, targetDate: '2027-03-31' },
      ),
      paragraph('The end of the text.'),
    ],
  };
  await writeBeforeOpening(stage.server, c.fx.agreement.id, c.ngo, doc, 'The end of the text');
  for (const textAfterMs of [0, 1500]) {
    const page = await openRecordingPanels(c.url(c.business), { text: textAfterMs });
    await waitForText(page, 'The end of the text.');
    await page.getByTestId('quick-wins').getByText('First wells').waitFor();
    const shown = await shownSoFar(page);
    expect(
      shown.filter((text) => /^(Objectives|Quick wins) ?0|Missing Shared objectives/.test(text)).map((text) => text.slice(0, 30)),
      `text after ${textAfterMs} ms`,
    ).toEqual([]);
  }
});

// Owners are typed as text since they became fields: spaces alone are no owner, as the completeness panel says ("empty:
// owners"), but the quick wins read "Owners:  · Waiting" with nobody named.
it('a quick win whose owners field holds only spaces reads “No owners yet”, as completeness calls it empty', async () => {
  const c = await cast(stage.server);
  const doc = {
    type: 'doc',
    content: [
      objective(
        'o1',
        { title: 'First wells', intent: 'Water', band: '5 to 8', trigger: 'Drought' },
        { owners: '   ', quickWin: true, targetDate: '2027-03-31' },
      ),
      objective('o2', { title: 'School latrines', intent: 'Hygiene', band: '2 to 4', trigger: 'Floods' }, { owners: ' Nia Otieno ', quickWin: true }),
      paragraph('The end of the text.'),
    ],
  };
  await writeBeforeOpening(stage.server, c.fx.agreement.id, c.ngo, doc, 'The end of the text');
  const { page } = await stage.join(c.url(c.business));
  await page.getByTestId('quick-wins').getByText('School latrines').waitFor();
  expect(await page.getByTestId('quick-wins').locator('.timeline__meta').allTextContents()).toEqual([
    'No owners yet · Waiting',
    'Owners: Nia Otieno · Waiting',
  ]);
  expect(await page.getByTestId('completeness').getByText('First wells').locator('..').textContent()).toContain('empty: owners');
});

// Two brokers in one session: Brook chose "Managing and maintaining" and was about to confirm when Bea moved there first.
// Brook's panel then asked "Move from Managing and maintaining to Managing and maintaining? Everyone is told, and a
// snapshot of the text is kept.", a move and a snapshot that would not happen.
it('a phase change a co-broker made first closes the same proposal on the other broker’s panel', async () => {
  const c = await cast(stage.server);
  const bea = await c.fx.invite({ role: 'broker', name: 'Bea Broker' });
  const brook = (await stage.join(c.url(c.fx.brokerToken))).page;
  await brook.getByTestId('phase-control').getByLabel('Move to').selectOption('managing');
  await brook.getByRole('group', { name: 'Confirm the phase change' }).waitFor();

  expect((await api(stage.server, 'POST', `/api/agreements/${c.fx.agreement.id}/phase`, { phase: 'managing' }, bea)).status).toBe(200);
  await brook.waitForFunction(() => document.querySelector('[data-testid="phase"]')?.getAttribute('data-phase') === 'managing');
  expect(await brook.getByTestId('phase-control').textContent()).not.toContain('Move from');
  expect(await brook.getByTestId('phase-control').getByLabel('Move to').inputValue()).toBe('managing');

  // Bea steps back: the line under the phases says so, as the log does, not "Moved to".
  const back = { phase: 'scoping', reason: 'The funder asked for a new scope' };
  expect((await api(stage.server, 'POST', `/api/agreements/${c.fx.agreement.id}/phase`, back, bea)).status).toBe(200);
  await brook.waitForFunction(() => document.querySelector('[data-testid="phase"]')?.getAttribute('data-phase') === 'scoping');
  expect(await brook.locator('section[aria-labelledby="phase-title"] > .panel__hint').textContent()).toMatch(
    /^Stepped back to Scoping and building by Bea Broker on .+: “The funder asked for a new scope”$/,
  );
});

// The outline's entries were keyed by their place: a reader on "Governance" with the keyboard, when a co-writer added a
// heading above, found the focus on "Wells" instead, and Enter took them there.
it('the outline entry a reader has the keyboard’s focus on keeps it while others add headings above', async () => {
  const c = await cast(stage.server);
  const writer = connectClient(stage.server.ws, contentRoom(c.fx.agreement.id), c.ngo);
  try {
    await synced(writer);
    const parts = [
      heading(2, 'Parties'),
      paragraph('Who we are.'),
      objective('o1', { title: 'Wells' }),
      heading(2, 'Governance'),
      paragraph('The end of the text.'),
    ];
    writeDocument(writer.doc, { type: 'doc', content: parts });
    const { page } = await stage.join(c.url(c.legal));
    await waitForText(page, 'The end of the text.');
    await page.getByTestId('outline').getByRole('button', { name: 'Governance' }).focus();
    writeDocument(writer.doc, { type: 'doc', content: [heading(2, 'Background'), paragraph('Since 2019.'), ...parts] });
    await page.getByTestId('outline').getByRole('button', { name: 'Background' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Governance');
  } finally {
    writer.destroy();
  }
});

// The panels wait for the text: from the server, or, offline, from this device's copy of it; the standing waits for the
// stances, which come from the server alone.
it('reopened offline, the overview reads the agreement from the device’s copy', async () => {
  const c = await cast(stage.server);
  const doc = {
    type: 'doc',
    content: [
      objective('o1', { title: 'First wells', intent: 'Water' }, { owners: 'Nia', quickWin: true, targetDate: '2027-03-31' }),
      paragraph('The end of the text.'),
    ],
  };
  await writeBeforeOpening(stage.server, c.fx.agreement.id, c.ngo, doc, 'The end of the text');
  const { context, page } = await stage.join(c.url(c.ngo));
  await waitForStoredLocally(page, deviceCopy(c.fx.agreement.id, c.ngo), 'The end of the text.');
  await waitForOfflineShell(page);
  await context.setOffline(true);
  await waitForConnection(page, 'offline');
  await page.reload();
  await waitForText(page, 'The end of the text.');
  await page.getByTestId('quick-wins').getByText('First wells').waitFor();
  await page.getByTestId('outline').getByText('First wells').waitFor();
  // The stances are not kept on the device: the standing waits for them rather than read every objective as waiting.
  expect(await page.getByTestId('quick-wins').locator('.timeline__meta').allTextContents()).toEqual(['Owners: Nia']);
  expect(await page.locator('section[aria-label="Objectives"]').getAttribute('aria-busy')).toBe('true');
  await context.setOffline(false);
  await page.locator('[data-testid="count-waiting"][data-count="1"]').waitFor();
});

// The stances and the phase are records, on a socket of their own: when they came after the text, the objectives all
// read "Waiting" (nobody had agreed yet, it seemed) and the phase "Scoping and building", however far the agreement was.
// A quick win's delivery is a record too: a delivered one read "Overdue" until the records came.
it('opening an agreement, the standing, the phase and a delivered quick win never show it as new while its records are on their way', async () => {
  const c = await cast(stage.server);
  const doc = {
    type: 'doc',
    content: [objective('o1', { title: 'First wells', intent: 'Water' }, { quickWin: true, targetDate: '2026-01-15' }), paragraph('The end of the text.')],
  };
  await writeBeforeOpening(stage.server, c.fx.agreement.id, c.ngo, doc, 'The end of the text');
  const id = c.fx.agreement.id;
  const { hash } = (await api<{ objectives: { hash: string }[] }>(stage.server, 'GET', `/api/agreements/${id}/objectives`, undefined, c.ngo)).body
    .objectives[0];
  for (const token of [c.ngo, c.business]) {
    expect((await api(stage.server, 'PUT', `/api/agreements/${id}/objectives/o1/stance`, { stance: 'agree', contentHash: hash }, token)).status).toBe(200);
  }
  expect((await api(stage.server, 'POST', `/api/agreements/${id}/phase`, { phase: 'reviewing' }, c.fx.brokerToken)).status).toBe(200);
  expect((await api(stage.server, 'PUT', `/api/agreements/${id}/objectives/o1/delivered`, { delivered: true }, c.ngo)).status).toBe(200);

  const page = await openRecordingPanels(c.url(c.legal), { records: 1500 });
  await page.locator('[data-testid="count-agreed"][data-count="1"]').waitFor();
  await page.locator('[data-testid="phase"][data-phase="reviewing"]').waitFor();
  await page.getByTestId('quick-wins').locator('.timeline__done').waitFor();
  const shown = await shownSoFar(page);
  expect(
    shown.filter((text) => /^Objectives.*Waiting1|Quick wins.*(· Waiting|Overdue)|^phase (?!reviewing)/.test(text)).map((text) => text.slice(0, 40)),
  ).toEqual([]);
});
