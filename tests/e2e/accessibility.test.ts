import { expect, it } from 'vitest';
import { contentRoom } from '#shared/rooms';
import type { SnapshotSummary } from '#shared/snapshots';
import { connectClient, contentString, synced } from '../support/clients';
import { heading, objective, paragraph, writeDocument } from '../support/document';
import { waitFor } from '../support/poll';
import { api } from '../support/server';
import { cast, seriousFindings, useStage } from './browser';

// Issue 15, accessibility: no critical and no serious axe-core findings on the pages people use.
const stage = useStage();

it(
  '[15.a11y] the start page, the agreement for every role, the snapshot viewer and the compare view have no critical or serious findings',
  { timeout: 120_000 },
  async () => {
    const context = await stage.newContext();
    const home = await context.newPage();
    await home.goto(`${stage.server.http}/`);
    await home.getByRole('button', { name: 'Create agreement' }).waitFor();
    expect(await seriousFindings(home), 'start page').toEqual([]);

    const c = await cast(stage.server);
    const w = connectClient(stage.server.ws, contentRoom(c.fx.agreement.id), c.ngo);
    try {
      await synced(w);
      writeDocument(w.doc, {
        type: 'doc',
        content: [
          heading(1, 'River Restoration Partnership'),
          heading(2, '1. Parties'),
          { type: 'paragraph' },
          heading(2, 'Shared objectives'),
          objective('o1', { title: 'Restore the banks', intent: 'Clean water' }, { owners: 'Amina', scope: c.fx.ngoId }),
          paragraph('The parties agree.'),
        ],
      });
      // One snapshot, taken once the server has the text (another client sees it): a snapshot posted
      // on every try until one had it could leave several called "First draft" for the compare check.
      const reader = connectClient(stage.server.ws, contentRoom(c.fx.agreement.id), c.fx.brokerToken);
      try {
        await waitFor(() => contentString(reader.doc).includes('Restore the banks'), { timeoutMs: 15_000, what: 'the text on the server' });
      } finally {
        reader.destroy();
      }
      const path = (rest: string) => `/api/agreements/${c.fx.agreement.id}${rest}`;
      const first = (await api<SnapshotSummary>(stage.server, 'POST', path('/snapshots'), { label: 'First draft' }, c.fx.brokerToken)).body;
      const opened = await api<{ content: unknown }>(stage.server, 'GET', path(`/snapshots/${first.id}`), undefined, c.fx.brokerToken);
      expect(JSON.stringify(opened.body.content)).toContain('Restore the banks');
      expect(first.id).toBeTruthy();

      const observer = await c.fx.invite({ role: 'observer', name: 'Olu Observer' });
      for (const [role, token] of [
        ['broker', c.fx.brokerToken],
        ['negotiator', c.business],
        ['legal', c.legal],
        ['observer', observer],
      ] as const) {
        const { page } = await stage.join(c.url(token));
        await page.getByTestId('objective').waitFor();
        expect(await seriousFindings(page), `agreement page as ${role}`).toEqual([]);
        if (role !== 'legal') continue;
        const panel = page.getByTestId('history-panel');
        await panel.getByRole('button', { name: 'Open' }).click();
        await page.getByTestId('snapshot-document').waitFor();
        expect(await seriousFindings(page), 'snapshot viewer').toEqual([]);
        await page.getByRole('button', { name: 'Close' }).click();
        await panel.getByLabel('Select “First draft” to compare').check();
        await panel.getByRole('button', { name: 'Compare selected with live text' }).click();
        await page.getByTestId('compare-document').waitFor();
        expect(await seriousFindings(page), 'compare view').toEqual([]);
      }
    } finally {
      w.destroy();
    }
  },
);
