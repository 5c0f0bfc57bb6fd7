import { beforeEach, expect, it } from 'vitest';
import type { JSONContent } from '@tiptap/core';
import { synced, type TestClient } from '../support/clients';
import { useHarness } from '../support/harness';
import { api, type TestServer } from '../support/server';
import { waitFor } from '../support/poll';
import { heading, objective, paragraph, readDocument, writeDocument } from '../support/document';
import { contentRoom } from '#shared/rooms';
import { TEMPLATE_SECTIONS, promptForHeading } from '#shared/template';
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

it('a new agreement starts from the partnering template, each section with an empty paragraph for its prompt; or from a blank page', async () => {
  const templated = (await create('partnering')).body;
  const doc = readDocument((await openText(templated)).doc);
  expect(headings(doc)).toEqual(['River Restoration Partnership', ...TEMPLATE_SECTIONS.map((s, i) => `${i + 1}. ${s.title}`)]);
  // [issue 15.3] Prompts are placeholders the editor shows, never text of the agreement.
  expect(JSON.stringify(doc)).not.toContain('a fixed intent, targets within an agreed band');
  expect(doc.content!.filter((n) => n.type === 'paragraph').every((n) => !n.content)).toBe(true);
  expect(TEMPLATE_SECTIONS.every((s) => promptForHeading(`3. ${s.title}`) === s.prompt)).toBe(true);

  for (const blank of [(await create('blank')).body, (await create()).body]) {
    expect(readDocument((await openText(blank)).doc).content ?? []).toEqual([]);
  }
  const bad = await create('contract');
  expect(bad.status).toBe(400);
  expect(typeof bad.body.error).toBe('string');
});

it('[issue 15.3] a template from before, with its prompts written into the text, is migrated when it loads', async () => {
  const agreement = (await create('blank')).body;
  const writer = await openText(agreement);
  const italic = (text: string) => ({ type: 'text', text, marks: [{ type: 'italic' }] });
  const [parties, vision, roles] = [TEMPLATE_SECTIONS[0], TEMPLATE_SECTIONS[1], TEMPLATE_SECTIONS[7]];
  writeDocument(writer.doc, {
    type: 'doc',
    content: [
      heading(2, `1. ${parties.title}`),
      { type: 'paragraph', content: [italic(parties.prompt)] },
      heading(2, `2. ${vision.title}`),
      // Typed over the prompt: the words inherited its italic.
      { type: 'paragraph', content: [italic(`${vision.prompt} Healthy rivers for all.`)] },
      heading(2, `8. ${roles.title}`),
      { type: 'paragraph', content: [{ type: 'text', text: 'Who does what: ' }, italic('the NGO digs')] },
    ],
  });
  await waitFor(() => server.app.ctx.rooms.with(agreement.id, (room) => room.doc.getXmlFragment('content').toString().includes('Healthy')), {
    what: 'the old text on the server',
  });
  writer.destroy();
  await waitFor(() => !server.app.ctx.rooms.openRoomNames().includes(agreement.id), { what: 'the text unloaded' });

  const doc = readDocument((await openText(agreement)).doc);
  const paragraphs = doc.content!.filter((n) => n.type === 'paragraph');
  expect(paragraphs[0].content).toBeUndefined();
  expect(paragraphs[1].content).toEqual([{ type: 'text', text: 'Healthy rivers for all.' }]);
  // Italic a person chose, in a paragraph that never held a prompt, stays.
  expect(paragraphs[2].content).toEqual([{ type: 'text', text: 'Who does what: ' }, italic('the NGO digs')]);
  const gaps = (await api<Completeness>(server, 'GET', `/api/agreements/${agreement.id}/completeness`, undefined, agreement.token)).body.gaps.map(
    (g) => g.part,
  );
  expect(gaps).toContain('parties');
  expect(gaps).not.toContain('vision');
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

// The agreement's title is a heading too, over the whole text: titled "Nairobi Water Partners" (or "Vision 2030 for the
// Tana"), it was taken for the Parties (or Shared vision) section by its words, and any text written anywhere made that
// part read as covered while "1. Parties" under it was still empty.
it('a part still empty reads as empty whatever words the agreement’s title holds', async () => {
  for (const [title, part, renamed] of [
    ['Nairobi Water Partners', 'parties'],
    ['Vision 2030 for the Tana River', 'vision'],
    // Its heading reworded, the part is still found by its words under the title that also holds them.
    ['Nairobi Water Partners', 'parties', '1. Our partners'],
  ] as const) {
    const agreement = (
      await api<CreateAgreementResponse>(server, 'POST', '/api/agreements', {
        title,
        template: 'partnering',
        parties: [{ name: 'WaterAid Kenya', sector: 'ngo' }],
      })
    ).body;
    const client = await openText(agreement);
    const blocks = readDocument(client.doc).content!;
    const rolesAt = blocks.findIndex((n) => n.type === 'heading' && /Roles/.test(n.content?.[0]?.text ?? ''));
    blocks.splice(rolesAt + 1, 1, paragraph('The NGO digs the wells.'));
    if (renamed) blocks.splice(1, 1, heading(2, renamed));
    writeDocument(client.doc, { type: 'doc', content: blocks });
    const gaps = async () =>
      (await api<Completeness>(server, 'GET', `/api/agreements/${agreement.id}/completeness`, undefined, agreement.token)).body.gaps.map((g) => g.part);
    await waitFor(async () => !(await gaps()).includes('roles'), { what: 'completeness follows the edit' });
    expect(await gaps(), `${title} ${renamed ?? ''}`).toContain(part);
  }
});
