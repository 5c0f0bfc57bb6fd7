import { beforeEach, expect, it } from 'vitest';
import type { JSONContent } from '@tiptap/core';
import { synced, type TestClient } from '../support/clients';
import { useHarness } from '../support/harness';
import { api, type TestServer } from '../support/server';
import { waitFor } from '../support/poll';
import { heading, objective, paragraph, readDocument, writeDocument } from '../support/document';
import { contentRoom } from '#shared/rooms';
import { TEMPLATE_SECTIONS } from '#shared/template';
import type { Completeness } from '#shared/completeness';
import type { CreateAgreementResponse } from '#shared/protocol';

let server: TestServer;
const h = useHarness();

beforeEach(async () => {
  server = await h.start();
});

async function create(template?: unknown) {
  return api<CreateAgreementResponse & { error?: string }>(server, 'POST', '/api/agreements', {
    title: 'River Restoration Partnership',
    parties: [
      { name: 'WaterAid Kenya', sector: 'ngo' },
      { name: 'Acme Beverages', sector: 'business' },
    ],
    ...(template === undefined ? {} : { template }),
  });
}

async function openText(agreement: CreateAgreementResponse): Promise<TestClient> {
  const client = h.connect(server, contentRoom(agreement.id), agreement.token);
  await synced(client);
  return client;
}

const headings = (doc: JSONContent) => (doc.content ?? []).filter((n) => n.type === 'heading').map((n) => n.content?.[0]?.text);

it('a new agreement starts from the partnering template, each section with a prompt; or from a blank page', async () => {
  const templated = (await create('partnering')).body;
  const doc = readDocument((await openText(templated)).doc);
  expect(headings(doc)).toEqual(['River Restoration Partnership', ...TEMPLATE_SECTIONS.map((s, i) => `${i + 1}. ${s.title}`)]);
  expect(JSON.stringify(doc)).toContain('a fixed intent, targets within an agreed band');

  for (const blank of [(await create('blank')).body, (await create()).body]) {
    expect(readDocument((await openText(blank)).doc).content ?? []).toEqual([]);
  }
  const bad = await create('contract');
  expect(bad.status).toBe(400);
  expect(typeof bad.body.error).toBe('string');
});

it('the completeness check lists the template’s parts still empty or missing, and follows the text', async () => {
  const agreement = (await create('partnering')).body;
  const check = async () => (await api<Completeness>(server, 'GET', `/api/agreements/${agreement.id}/completeness`, undefined, agreement.token)).body;
  const fresh = await check();
  expect(fresh.complete).toBe(false);
  expect(fresh.gaps.map((g) => [g.part, g.problem])).toEqual(TEMPLATE_SECTIONS.map((s) => [s.key, 'empty']));
  expect(fresh.gaps.find((g) => g.part === 'ownObjectives')?.detail).toBe("no objective of WaterAid Kenya's own yet; no objective of Acme Beverages's own yet");

  // Fill the parties, add one shared quick win with empty fields, and drop "Moving on".
  const client = await openText(agreement);
  const doc = readDocument(client.doc);
  const blocks = doc.content!.filter((n) => !(n.type === 'heading' && /Moving on/.test(n.content?.[0]?.text ?? '')));
  const partiesAt = blocks.findIndex((n) => n.type === 'heading' && /Parties/.test(n.content?.[0]?.text ?? ''));
  blocks.splice(partiesAt + 2, 0, paragraph('WaterAid Kenya, represented by Nia Otieno.'));
  const sharedAt = blocks.findIndex((n) => n.type === 'heading' && /Shared objectives/.test(n.content?.[0]?.text ?? ''));
  blocks.splice(sharedAt + 1, 0, objective('q1', { title: 'First wells', intent: 'Clean water in two schools' }, { quickWin: true }));
  blocks.push(heading(2, 'Annex'));
  writeDocument(client.doc, { type: 'doc', content: blocks });

  await waitFor(async () => (await check()).gaps.some((g) => g.part === 'objective:q1'), { what: 'completeness follows the edit' });
  const after = await check();
  const parts = after.gaps.map((g) => g.part);
  expect(parts).not.toContain('parties');
  expect(parts).not.toContain('sharedObjectives');
  expect(parts).not.toContain('workPlan');
  expect(after.gaps.find((g) => g.part === 'movingOn')?.problem).toBe('missing');
  expect(after.gaps.find((g) => g.part === 'objective:q1')).toMatchObject({
    label: 'First wells',
    problem: 'incomplete',
    detail: 'empty: targets and band, revisit trigger, owners, target date',
  });
  expect((await api(server, 'GET', `/api/agreements/${agreement.id}/completeness`)).status).toBe(401);
});
