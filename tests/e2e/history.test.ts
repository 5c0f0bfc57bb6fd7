import { afterEach, expect, it } from 'vitest';
import type { Route } from 'playwright-core';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connectClient, contentString, synced, type TestClient } from '../support/clients';
import { api, createAgreement, objectivesOnServer } from '../support/server';
import { waitFor } from '../support/poll';
import { contentRoom } from '#shared/rooms';
import { editorText, savedDocumentXml, useStage, waitForText, writeBeforeOpening } from './browser';
import { objective, paragraph, readDocument, writeDocument } from '../support/document';
import { toHtml } from '../../server/src/features/snapshots/export/html';
import type { ProseMirrorJSON, SnapshotSummary } from '#shared/snapshots';

const stage = useStage();
const clients: TestClient[] = [];

afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});

it('a legal reviewer compares two snapshots, sees who changed what by party, filters to one party, takes the comparison away as a Word redline and a snapshot as a .docx', async () => {
  const f = await createAgreement(stage.server);
  const id = f.agreement.id;
  const legalToken = await f.invite({ role: 'legal', name: 'Lena Vogt' });
  const ngo = connectClient(stage.server.ws, contentRoom(id), await f.invite({ role: 'negotiator', name: 'Nia Otieno', party: f.ngoId }));
  const business = connectClient(stage.server.ws, contentRoom(id), await f.invite({ role: 'negotiator', name: 'Ben Kamau', party: f.businessId }));
  clients.push(ngo, business);
  await synced(ngo);
  await synced(business);

  // The negotiators write through their own connections; the server attributes each change.
  ngo.text.insert(0, 'The partners restore the river banks together.');
  await waitFor(() => contentString(business.doc).includes('together'), { what: 'first draft reaches the business' });
  const snap = (label: string) => api(stage.server, 'POST', `/api/agreements/${id}/snapshots`, { label }, f.brokerToken);
  expect((await snap('First draft')).status).toBe(201);
  business.text.delete(business.text.toString().indexOf('river '), 'river '.length);
  ngo.text.insert(ngo.text.length - 1, ' by 2030');
  await waitFor(() => contentString(business.doc).includes('2030') && !contentString(ngo.doc).includes('river'), { what: 'edits cross' });
  expect((await snap('Second draft')).status).toBe(201);

  const legal = await stage.join(`${stage.server.http}/a/${id}#token=${legalToken}`);
  const { page } = legal;
  const panel = page.getByTestId('history-panel');
  await panel.getByTestId('snapshot-item').nth(1).waitFor();
  await panel.getByTestId('chain-status').getByText('Fingerprint chain verified by the server.').waitFor();
  // Legal reviewers compare and export, but do not take snapshots.
  expect(await panel.getByRole('button', { name: 'Take snapshot' }).count()).toBe(0);

  await panel.getByLabel('Select “First draft” to compare').check();
  await panel.getByLabel('Select “Second draft” to compare').check();
  await panel.getByRole('button', { name: 'Compare the two selected' }).click();

  const compare = page.getByTestId('compare-view');
  const inserted = compare.locator(`ins.change[data-party="${f.ngoId}"]`);
  const deleted = compare.locator(`del.change[data-party="${f.businessId}"]`);
  await inserted.waitFor();
  expect(await inserted.textContent()).toBe(' by 2030');
  expect(await inserted.getAttribute('title')).toBe('Inserted by Nia Otieno (WaterAid Kenya)');
  expect(await deleted.textContent()).toBe('river ');
  expect(await deleted.getAttribute('title')).toBe('Deleted by Ben Kamau (Acme Beverages)');
  await expect(compare.getByTestId('diff-summary').textContent()).resolves.toContain('2 changes');

  // Only the NGO's changes: the business's deletion is shown as settled.
  await compare.getByTestId('party-filter').selectOption(f.ngoId);
  await deleted.waitFor({ state: 'detached' });
  expect(await inserted.textContent()).toBe(' by 2030');
  expect(await compare.getByTestId('compare-document').textContent()).toBe('The partners restore the banks together by 2030.');

  // The comparison goes to Word as tracked changes, each by its author, whatever the party filter shows.
  const redline = await savedDocumentXml(
    compare.getByRole('button', { name: 'Word redline (.docx)' }),
    'River Restoration Partnership - First draft → Second draft (redline).docx',
  );
  expect(redline).toMatch(/<w:del [^>]*w:author="Ben Kamau"[^>]*>.*?river .*?<\/w:del>/);
  expect(redline).toMatch(/<w:ins [^>]*w:author="Nia Otieno"[^>]*>.*? by 2030.*?<\/w:ins>/);
  // Printed, the comparison is its text and summary, without the button.
  await page.emulateMedia({ media: 'print' });
  expect(await compare.getByRole('button', { name: 'Word redline (.docx)' }).isVisible()).toBe(false);
  await page.emulateMedia({ media: 'screen' });

  // Open the second draft and take it away as a Word document.
  await page.getByRole('button', { name: 'Close' }).click();
  await panel.getByTestId('snapshot-item').filter({ hasText: 'Second draft' }).getByRole('button', { name: 'Open' }).click();
  const viewer = page.getByTestId('snapshot-viewer');
  await expect(viewer.getByTestId('snapshot-document').textContent()).resolves.toBe('The partners restore the banks together by 2030.');
  const xml = await savedDocumentXml(viewer.getByRole('button', { name: 'Word (.docx)' }), 'River Restoration Partnership - Second draft.docx');
  expect(xml).toContain('The partners restore the banks together by 2030.');
  expect(legal.errors).toEqual([]);
});

it("an objective added with nothing written in it yet is shown as added in a comparison, in its party's colour, and counted", async () => {
  const f = await createAgreement(stage.server);
  const id = f.agreement.id;
  const legalToken = await f.invite({ role: 'legal', name: 'Lena Vogt' });
  const business = connectClient(stage.server.ws, contentRoom(id), await f.invite({ role: 'negotiator', name: 'Ben Kamau', party: f.businessId }));
  clients.push(business);
  await synced(business);
  const witness = connectClient(stage.server.ws, contentRoom(id), f.brokerToken);
  clients.push(witness);
  business.text.insert(0, 'Objectives follow.');
  await waitFor(() => contentString(witness.doc).includes('follow'), { what: 'the text at the server' });
  const snap = (label: string) => api(stage.server, 'POST', `/api/agreements/${id}/snapshots`, { label }, f.brokerToken);
  expect((await snap('Before')).status).toBe(201);
  const doc = readDocument(business.doc);
  doc.content!.push(objective('new-objective'));
  writeDocument(business.doc, doc);
  await waitFor(() => contentString(witness.doc).includes('new-objective'), { what: 'the objective at the server' });
  expect((await snap('With an objective')).status).toBe(201);

  const { page, errors } = await stage.join(`${stage.server.http}/a/${id}#token=${legalToken}`);
  const panel = page.getByTestId('history-panel');
  await panel.getByLabel('Select “Before” to compare').check();
  await panel.getByLabel('Select “With an objective” to compare').check();
  await panel.getByRole('button', { name: 'Compare the two selected' }).click();
  const compare = page.getByTestId('compare-view');
  const added = compare.locator(`[data-block-change="added"][data-objective]`);
  await added.waitFor();
  expect(await added.getAttribute('title')).toBe('Added by Ben Kamau (Acme Beverages)');
  expect(await added.evaluate((el) => getComputedStyle(el).boxShadow)).not.toBe('none');
  await expect(compare.getByTestId('diff-summary').textContent()).resolves.toContain('1 change');

  // Only the NGO's changes: the business's objective is shown as settled, without the mark.
  await compare.getByTestId('party-filter').selectOption(f.ngoId);
  await added.waitFor({ state: 'detached' });
  expect(await compare.locator('[data-objective]').count()).toBe(1);
  expect(errors).toEqual([]);
});

it('a snapshot altered on disk after it was taken opens with a warning that it is not the agreed text', async () => {
  const f = await createAgreement(stage.server);
  const id = f.agreement.id;
  const legalToken = await f.invite({ role: 'legal', name: 'Lena Vogt' });
  await writeBeforeOpening(
    stage.server,
    id,
    await f.invite({ role: 'negotiator', name: 'Nia Otieno', party: f.ngoId }),
    { type: 'doc', content: [paragraph('The business pays 60 % of the works.')] },
    '60 %',
  );
  const signed = (await api<SnapshotSummary>(stage.server, 'POST', `/api/agreements/${id}/snapshots`, { label: 'Signed text' }, f.brokerToken)).body;
  // Someone with access to the server's disk swaps the stored text for another agreement's.
  const other = await createAgreement(stage.server);
  const forged = (await api<SnapshotSummary>(stage.server, 'POST', `/api/agreements/${other.agreement.id}/snapshots`, { label: 'x' }, other.brokerToken)).body;
  const stored = (agreementId: string, snapshotId: string) => join(stage.server.dataDir, 'snapshots', agreementId, `${snapshotId}.ydoc`);
  await writeFile(stored(id, signed.id), await readFile(stored(other.agreement.id, forged.id)));

  const { page, errors } = await stage.join(`${stage.server.http}/a/${id}#token=${legalToken}`);
  const panel = page.getByTestId('history-panel');
  await panel.getByTestId('snapshot-item').filter({ hasText: 'Signed text' }).getByRole('button', { name: 'Open' }).click();
  const viewer = page.getByTestId('snapshot-viewer');
  await viewer.getByRole('alert').filter({ hasText: 'This snapshot was altered after it was taken' }).waitFor({ timeout: 10_000 });
  // No button offers what the server refuses for it (each would only answer with an error).
  expect(await viewer.getByRole('button', { name: 'Word (.docx)' }).count()).toBe(0);
  expect(errors).toEqual([]);
});

it('a broker takes a named snapshot from the history panel and restores it; the text before is kept', async () => {
  const f = await createAgreement(stage.server);
  const id = f.agreement.id;
  const ngo = connectClient(stage.server.ws, contentRoom(id), await f.invite({ role: 'negotiator', name: 'Nia Otieno', party: f.ngoId }));
  clients.push(ngo);
  await synced(ngo);
  ngo.text.insert(0, 'Clause 1. Scope.');

  const broker = await stage.join(`${stage.server.http}/a/${id}#token=${f.brokerToken}`);
  const { page } = broker;
  await waitForText(page, 'Clause 1. Scope.');
  const panel = page.getByTestId('history-panel');
  await panel.getByLabel('Snapshot name').fill('Early draft');
  await panel.getByRole('button', { name: 'Take snapshot' }).click();
  await panel.getByTestId('snapshot-item').filter({ hasText: 'Early draft' }).getByText('verified').waitFor();
  // The list is asked for once per snapshot taken, by the taker as by everyone (the records room tells of it).
  const listings: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'GET' && new URL(request.url()).pathname.endsWith('/snapshots')) listings.push(request.url());
  });
  await panel.getByLabel('Snapshot name').fill('Board draft');
  await panel.getByRole('button', { name: 'Take snapshot' }).click();
  const item = panel.getByTestId('snapshot-item').filter({ hasText: 'Board draft' });
  await item.getByText('verified').waitFor();

  ngo.text.insert(ngo.text.length, ' Clause 2. Duration.');
  await waitForText(page, 'Clause 2. Duration.');
  expect(listings).toHaveLength(1);

  page.on('dialog', (dialog) => void dialog.accept());
  await item.getByRole('button', { name: 'Open' }).click();
  await page.getByTestId('snapshot-viewer').getByRole('button', { name: 'Restore this version' }).click();
  await waitFor(() => contentString(ngo.doc).includes('Clause 1. Scope.') && !contentString(ngo.doc).includes('Clause 2'), {
    what: 'restore reaches the negotiator',
  });
  await panel.getByTestId('snapshot-item').filter({ hasText: 'Before restoring “Board draft”' }).waitFor();
  await waitFor(async () => (await editorText(page)) === 'Clause 1. Scope.', { what: 'the broker’s editor shows the restored text' });
  expect(broker.errors).toEqual([]);
});

it('a reviewer sees the snapshots at once while the server checks them; only the latest check counts, and a failed one is tried again', async () => {
  const f = await createAgreement(stage.server);
  const id = f.agreement.id;
  const snap = (label: string) => api(stage.server, 'POST', `/api/agreements/${id}/snapshots`, { label }, f.brokerToken);
  expect((await snap('First draft')).status).toBe(201);
  expect((await snap('Second draft')).status).toBe(201);
  const legalToken = await f.invite({ role: 'legal', name: 'Lena Vogt' });

  // The server's check (the listing) is held back, as when it fingerprints every stored state after a restart.
  const context = await stage.newContext();
  const page = await context.newPage();
  const held: Route[] = [];
  await page.route('**/api/agreements/*/snapshots', (route) => {
    if (route.request().method() === 'GET') held.push(route);
    else void route.continue();
  });
  await page.goto(`${stage.server.http}/a/${id}#token=${legalToken}`);
  const panel = page.getByTestId('history-panel');
  const items = panel.getByTestId('snapshot-item');
  await items.nth(1).waitFor();
  expect(await items.allTextContents()).toEqual([expect.stringContaining('Second draft'), expect.stringContaining('First draft')]);
  expect(await items.getByText('checking…').count()).toBe(2);
  expect(await panel.getByTestId('chain-status').textContent()).toContain('Checking');
  await waitFor(() => held.length === 1, { what: 'the first check asked for' });
  // The server answers it now (two snapshots); the page gets that answer only later.
  const firstAnswer = await held[0].fetch();

  // A snapshot taken meanwhile shows at once and asks again; that answer is the one shown, whenever the first comes.
  expect((await snap('Third draft')).status).toBe(201);
  await items.filter({ hasText: 'Third draft' }).waitFor();
  await waitFor(() => held.length === 2, { what: 'a second check asked for' });
  await held[1].continue();
  await items.filter({ hasText: 'Third draft' }).getByText('verified').waitFor();
  await panel.getByTestId('chain-status').getByText('Fingerprint chain verified by the server.').waitFor();
  await held[0].fulfill({ response: firstAnswer }).catch(() => undefined); // the page gave up on it: nothing to answer
  await waitFor(async () => (await items.getByText('verified').count()) === 3, { what: 'three verified' });
  expect(await items.count()).toBe(3);
  expect(await panel.getByTestId('chain-status').textContent()).toContain('verified');

  // A check that cannot reach the server says so and can be asked for again.
  await page.unroute('**/api/agreements/*/snapshots');
  await page.route('**/api/agreements/*/snapshots', (route) => (route.request().method() === 'GET' ? route.abort('failed') : route.continue()), { times: 1 });
  expect((await snap('Fourth draft')).status).toBe(201);
  await panel.getByTestId('chain-status').getByText('Fingerprints not checked').waitFor();
  expect(await items.filter({ hasText: 'Fourth draft' }).getByText('checking…').count()).toBe(1);
  await panel.getByRole('button', { name: 'Check again' }).click();
  await items.filter({ hasText: 'Fourth draft' }).getByText('verified').waitFor();
  expect(await items.getByText('verified').count()).toBe(4);
});

it('a check the server could not do now (503) is tried again by itself, and the snapshots end verified without a click', async () => {
  const f = await createAgreement(stage.server);
  const id = f.agreement.id;
  expect((await api(stage.server, 'POST', `/api/agreements/${id}/snapshots`, { label: 'Board draft' }, f.brokerToken)).status).toBe(201);
  const legalToken = await f.invite({ role: 'legal', name: 'Lena Vogt' });

  const context = await stage.newContext();
  const page = await context.newPage();
  let listings = 0;
  // The first listing meets a busy server (its document worker stuck or being replaced answers 503).
  await page.route('**/api/agreements/*/snapshots', (route) => {
    if (route.request().method() !== 'GET') return route.continue();
    listings++;
    if (listings > 1) return route.continue();
    return route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: 'the server is busy; try again shortly' }) });
  });
  await page.goto(`${stage.server.http}/a/${id}#token=${legalToken}`);
  const panel = page.getByTestId('history-panel');
  await panel.getByTestId('chain-status').getByText('Fingerprints not checked').waitFor();
  expect(await panel.getByTestId('chain-status').textContent()).toContain('Trying again');
  await panel.getByTestId('snapshot-item').filter({ hasText: 'Board draft' }).getByText('verified').waitFor({ timeout: 15_000 });
  await panel.getByTestId('chain-status').getByText('Fingerprint chain verified by the server.').waitFor();
  expect(listings).toBe(2);
});

// A stance holds for the text it was given on. The snapshot viewer listed every stance of that
// moment as it was stated: "WaterAid Kenya: Agree" over an objective reworded after the NGO agreed
// ("30 to 50 wells" became "3 to 5 wells"), where the live page said the stance was outdated.
it('a snapshot shows a stance given on an earlier text of its objective as outdated, and one on its text as it is', async () => {
  const f = await createAgreement(stage.server);
  const id = f.agreement.id;
  const ngoToken = await f.invite({ role: 'negotiator', name: 'Nia Otieno', party: f.ngoId });
  const ngo = connectClient(stage.server.ws, contentRoom(id), ngoToken);
  clients.push(ngo);
  await synced(ngo);
  const text = (band: string) => ({
    type: 'doc',
    content: [
      objective('wells', { title: 'Wells', intent: 'Safe water', band, trigger: 'Drought' }),
      objective('pumps', { title: 'Pumps', intent: 'Working pumps', band: 'Two a village', trigger: 'Breakdowns' }, { owners: 'Amina' }),
    ],
  });
  type Listed = { objectives: { id: string; hash: string }[] };
  const objectives = async () => (await api<Listed>(stage.server, 'GET', `/api/agreements/${id}/objectives`, undefined, f.brokerToken)).body.objectives;
  writeDocument(ngo.doc, text('30 to 50 wells'));
  const agreed = await waitFor(async () => ((await objectives()).length === 2 ? objectives() : undefined), { what: 'both objectives on the server' });
  for (const { id: objectiveId, hash } of agreed) {
    const stated = await api(stage.server, 'PUT', `/api/agreements/${id}/objectives/${objectiveId}/stance`, { stance: 'agree', contentHash: hash }, ngoToken);
    expect(stated.status).toBe(200);
  }
  writeDocument(ngo.doc, text('3 to 5 wells'));
  await waitFor(async () => ((await objectives()).find((o) => o.id === 'wells')?.hash !== agreed.find((o) => o.id === 'wells')?.hash ? true : undefined), {
    what: 'the reworded objective on the server',
  });
  expect((await api(stage.server, 'POST', `/api/agreements/${id}/snapshots`, { label: 'Reworded' }, f.brokerToken)).status).toBe(201);

  const legal = await stage.join(`${stage.server.http}/a/${id}#token=${await f.invite({ role: 'legal', name: 'Lena Vogt' })}`);
  await legal.page.getByTestId('history-panel').getByTestId('snapshot-item').filter({ hasText: 'Reworded' }).getByRole('button', { name: 'Open' }).click();
  const stances = legal.page.getByTestId('snapshot-viewer').getByTestId('snapshot-stances').locator('li');
  await stances.first().waitFor();
  expect(await stances.allTextContents()).toEqual([
    '“Wells”: WaterAid Kenya: Agree, given on an earlier text of this objective (outdated)',
    '“Pumps”: WaterAid Kenya: Agree',
  ]);
  expect(legal.errors).toEqual([]);
});

// A snapshot's viewer said its phase but not since when, nor which quick wins were delivered at that moment, which
// its exports state: a legal reviewer reading the version in the app saw less than in its exported copy.
it("a snapshot shows since when its phase held and each quick win's delivery at that moment, not today's", async () => {
  const f = await createAgreement(stage.server);
  const id = f.agreement.id;
  const ngoToken = await f.invite({ role: 'negotiator', name: 'Nia Otieno', party: f.ngoId });
  const ngo = connectClient(stage.server.ws, contentRoom(id), ngoToken);
  clients.push(ngo);
  await synced(ngo);
  writeDocument(ngo.doc, {
    type: 'doc',
    content: [
      objective('wells', { title: 'Wells', intent: 'Safe water' }, { quickWin: true }),
      objective('meetings', { title: 'Village meetings', intent: 'Voice' }, { quickWin: true }),
      objective('jobs', { title: 'Jobs', intent: 'Local work' }),
    ],
  });
  const path = (rest: string) => `/api/agreements/${id}${rest}`;
  await objectivesOnServer(stage.server, id, f.brokerToken, 3);
  const moved = await api<{ change: { at: string } }>(stage.server, 'POST', path('/phase'), { phase: 'managing' }, f.brokerToken);
  expect(moved.status).toBe(200);
  expect((await api(stage.server, 'PUT', path('/objectives/wells/delivered'), { delivered: true }, ngoToken)).status).toBe(200);
  expect((await api(stage.server, 'POST', path('/snapshots'), { label: 'Delivery review' }, f.brokerToken)).status).toBe(201);
  // After the snapshot, the other quick win is delivered: the snapshot still says it was not yet.
  expect((await api(stage.server, 'PUT', path('/objectives/meetings/delivered'), { delivered: true }, ngoToken)).status).toBe(200);

  const legal = await stage.join(`${stage.server.http}/a/${id}#token=${await f.invite({ role: 'legal', name: 'Lena Vogt' })}`);
  await legal.page
    .getByTestId('history-panel')
    .getByTestId('snapshot-item')
    .filter({ hasText: 'Delivery review' })
    .getByRole('button', { name: 'Open' })
    .click();
  const viewer = legal.page.getByTestId('snapshot-viewer');
  expect(moved.body.change.at).toBeTruthy();
  await viewer.getByText(/Phase: Managing and maintaining \(since [^)]*\d{4}[^)]*\)/).waitFor();
  const deliveries = viewer.getByTestId('snapshot-deliveries').locator('li');
  await deliveries.first().waitFor();
  const lines = await deliveries.allTextContents();
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^“Wells”: delivered, marked by Nia Otieno \(WaterAid Kenya\) on /);
  expect(lines[1]).toBe('“Village meetings”: not yet delivered');
  expect(legal.errors).toEqual([]);
});

// The editor keeps a clause's spaces as typed (a sub-clause indented by spaces, "EUR  1,000") and
// shows an empty paragraph as an empty line; the HTML export, read in a browser, collapsed the
// spaces, drew the empty paragraph with no height at all, and ran a very long word off the page.
it('an HTML export shows the spaces and empty lines of the text as the editor does', async () => {
  const meta = { agreementTitle: 'T', label: 'L', createdAt: '2026-01-01T00:00:00.000Z', hash: 'a'.repeat(64), prevHash: null, live: false, parties: [] };
  const lines = ['    (a) an indented sub-clause', 'EUR  1,000   net', '', 'After the empty line.'];
  const html = toHtml({ meta, content: { type: 'doc', content: lines.map((line) => (line ? paragraph(line) : { type: 'paragraph' })) } as ProseMirrorJSON });
  const context = await stage.browser.newContext();
  try {
    const page = await context.newPage();
    await page.setContent(html);
    const shown = await page
      .locator('main p')
      .evaluateAll((ps) => ps.map((p) => ({ text: (p as HTMLElement).innerText, high: p.getBoundingClientRect().height > 0 })));
    expect(shown).toEqual(lines.map((text) => ({ text, high: true })));
    // A very long word (an address, an account number) wraps rather than running off the page, and off a printed one.
    await page.setContent(toHtml({ meta, content: { type: 'doc', content: [paragraph('x'.repeat(400))] } as ProseMirrorJSON }));
    expect(await page.locator('main').evaluate((main) => main.scrollWidth <= main.clientWidth)).toBe(true);
  } finally {
    await context.close();
  }
});

// The snapshot viewer draws the stored text outside the editor, without the editor's white-space
// rule: the same spaces, empty line and long word were lost there as in the HTML export.
it('the snapshot viewer shows the spaces, empty lines and long words of the text as the editor does', async () => {
  const f = await createAgreement(stage.server);
  const id = f.agreement.id;
  const writer = connectClient(stage.server.ws, contentRoom(id), f.brokerToken);
  clients.push(writer);
  await synced(writer);
  const lines = ['    (a) an indented sub-clause', 'EUR  1,000   net', '', 'x'.repeat(400)];
  writeDocument(writer.doc, { type: 'doc', content: lines.map((line) => (line ? paragraph(line) : { type: 'paragraph' })) });
  // One snapshot, taken once the server holds the text: a snapshot taken before it came was "Spaced" too, and the
  // viewer then opened that one (the CI read its paragraphs empty).
  await waitFor(() => stage.server.app.ctx.rooms.with(contentRoom(id), (room) => room.doc.getXmlFragment('content').toString().includes('xxxx')), {
    what: 'the text on the server',
  });
  const taken = await api<{ id: string }>(stage.server, 'POST', `/api/agreements/${id}/snapshots`, { label: 'Spaced' }, f.brokerToken);
  expect(taken.status).toBe(201);
  const legal = await stage.join(`${stage.server.http}/a/${id}#token=${await f.invite({ role: 'legal', name: 'Lena Vogt' })}`);
  await legal.page.getByTestId('history-panel').getByTestId('snapshot-item').filter({ hasText: 'Spaced' }).last().getByRole('button', { name: 'Open' }).click();
  const doc = legal.page.getByTestId('snapshot-viewer').getByTestId('snapshot-document');
  await doc.locator('p').first().waitFor();
  const shown = await doc.locator('p').evaluateAll((ps) => ps.map((p) => ({ text: (p as HTMLElement).innerText, high: p.getBoundingClientRect().height > 0 })));
  expect(shown).toEqual(lines.map((text) => ({ text, high: true })));
  expect(await doc.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
});
