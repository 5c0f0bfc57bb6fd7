import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { anchorAt, contentFragment } from '#shared/anchors';
import type { Suggestion } from '#shared/suggestions';
import { synced, type TestClient } from '../support/clients';
import { objective, paragraph, readDocument, writeDocument } from '../support/document';
import type { Harness } from '../support/harness';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { api, createAgreement, type AgreementFixture, type TestServer } from '../support/server';
import { storedDoc } from '../support/stored';
import { changedCopy, refusalsTo, sendHandled, updateFrame } from './support/payloads';

// A party's own objective (scope: its party id) states what that party wants; only its
// negotiators and the broker write it (shared/src/objectiveOwnership.ts). The editor refused
// other people's changes to it, but the server let any writer's update in: a business
// negotiator's stock client rewrote the NGO's "10 schools" as "1 school" and made it its own.
const harness = useHarness();

const TITLE = 'Clean water in 10 schools';

interface Cast {
  s: TestServer;
  f: AgreementFixture;
  room: string;
  tokens: { nia: string; bob: string };
  /** The NGO's negotiator, the business's negotiator and the broker, on stock clients. */
  nia: TestClient;
  bob: TestClient;
  broker: TestClient;
}

/** An agreement whose text holds an intro, the NGO's own objective `ngo1` and a shared one, at everyone. */
async function cast(h: Harness): Promise<Cast> {
  const s = await h.start();
  const f = await createAgreement(s);
  const room = f.agreement.id;
  const tokens = {
    nia: await f.invite({ role: 'negotiator', name: 'Nia (NGO)', party: f.ngoId }),
    bob: await f.invite({ role: 'negotiator', name: 'Bob (Biz)', party: f.businessId }),
  };
  const broker = h.connect(s, room, f.brokerToken);
  const nia = h.connect(s, room, tokens.nia);
  const bob = h.connect(s, room, tokens.bob);
  await Promise.all([broker, nia, bob].map((c) => synced(c)));
  writeDocument(broker.doc, {
    type: 'doc',
    content: [
      paragraph('Intro'),
      objective('ngo1', { title: TITLE, intent: 'Every pupil drinks safe water' }, { scope: f.ngoId }),
      objective('shared1', { title: 'A shared goal' }),
    ],
  });
  await waitFor(() => [nia, bob].every((c) => titleOf(c.doc, 'ngo1') === TITLE), { what: 'the objectives at everyone' });
  return { s, f, room, tokens, nia, bob, broker };
}

/** The objective block `id` of a copy of the text. */
function block(doc: Y.Doc, id: string): Y.XmlElement {
  const found = doc
    .getXmlFragment('content')
    .toArray()
    .find((node): node is Y.XmlElement => node instanceof Y.XmlElement && node.nodeName === 'objective' && node.getAttribute('id') === id);
  if (!found) throw new Error(`no objective ${id}`);
  return found;
}

/** The text of field `index` (0: title) of objective `id`. */
function field(doc: Y.Doc, id: string, index = 0): Y.XmlText {
  return (block(doc, id).get(index) as Y.XmlElement).get(0) as Y.XmlText;
}

function titleOf(doc: Y.Doc, id: string): string | undefined {
  try {
    return field(doc, id).toString();
  } catch {
    return undefined;
  }
}

/** The server's live text and what it stored, as ProseMirror JSON. */
async function atServer(c: Cast): Promise<{ live: string; stored: string }> {
  const live = await c.s.app.ctx.rooms.with(c.room, (r) => JSON.stringify(readDocument(r.doc)));
  const stored = await storedDoc(c.s, c.room);
  const result = { live, stored: JSON.stringify(readDocument(stored)) };
  stored.destroy();
  return result;
}

describe("a party's own objective", () => {
  it("another party's negotiator cannot rewrite it, take it, clear its owner or delete it; everyone else writes on", async () => {
    const c = await cast(harness);
    const before = await atServer(c);
    expect(before.live).toContain(TITLE);

    // The audit's stock client: Bob rewrites the title and gives the objective to his own party.
    const told = refusalsTo(c.bob);
    c.bob.doc.transact(() => {
      const title = field(c.bob.doc, 'ngo1');
      title.delete(0, title.length);
      title.insert(0, 'Clean water in 1 school');
      block(c.bob.doc, 'ngo1').setAttribute('scope', c.f.businessId);
    });
    await waitFor(() => told.some((reason) => /another party's own objective/.test(reason)), { what: 'Bob told his change was refused' });
    expect(await atServer(c)).toEqual(before);
    expect(titleOf(c.nia.doc, 'ngo1')).toBe(TITLE);

    // Hand-made updates: each part on its own, and a block of the NGO's written by the business.
    const attempts: Record<string, (copy: Y.Doc) => void> = {
      'its scope alone': (copy) => block(copy, 'ngo1').setAttribute('scope', c.f.businessId),
      'its scope cleared (shared)': (copy) => block(copy, 'ngo1').removeAttribute('scope'),
      'its target date': (copy) => block(copy, 'ngo1').setAttribute('targetDate', '2030-01-01'),
      'one character of its intent': (copy) => field(copy, 'ngo1', 1).delete(0, 1),
      'a word added to its title': (copy) => field(copy, 'ngo1').insert(0, 'No '),
      'the block deleted': (copy) => {
        const content = copy.getXmlFragment('content');
        content.delete(content.toArray().indexOf(block(copy, 'ngo1')), 1);
      },
      'the block moved after the shared one': (copy) => {
        const content = copy.getXmlFragment('content');
        const index = content.toArray().indexOf(block(copy, 'ngo1'));
        const clone = block(copy, 'ngo1').clone();
        content.delete(index, 1);
        content.insert(content.length, [clone]);
      },
      "a new objective in the NGO's name": (copy) => {
        const made = new Y.XmlElement('objective');
        made.setAttribute('id', 'fake');
        made.setAttribute('scope', c.f.ngoId);
        copy.getXmlFragment('content').insert(0, [made]);
      },
      'the shared objective given to the NGO': (copy) => block(copy, 'shared1').setAttribute('scope', c.f.ngoId),
    };
    for (const [what, change] of Object.entries(attempts)) {
      await sendHandled(`${c.s.ws}/${c.room}?token=${c.tokens.bob}`, [updateFrame(changedCopy(c.nia.doc, change))]);
      expect(await atServer(c), what).toEqual(before);
    }

    // Everyone else's session goes on: the NGO edits its objective, the broker the intro, both see each other's.
    field(c.nia.doc, 'ngo1').insert(TITLE.length, ' by 2030');
    const intro = (c.broker.doc.getXmlFragment('content').get(0) as Y.XmlElement).get(0) as Y.XmlText;
    intro.insert(5, ': the river basin');
    await waitFor(() => titleOf(c.broker.doc, 'ngo1') === `${TITLE} by 2030`, { what: "Nia's words at the broker" });
    await waitFor(() => JSON.stringify(readDocument(c.nia.doc)).includes('Intro: the river basin'), { what: "the broker's words at Nia" });
    expect(c.nia.closes).toEqual([]);
    expect(c.broker.closes).toEqual([]);
  });

  it('its party and the broker write it; another party writes the shared objective, one of its own and the text around', async () => {
    const c = await cast(harness);
    const bobTold = refusalsTo(c.bob);
    field(c.nia.doc, 'ngo1').insert(TITLE.length, ' and 2 clinics');
    // Yjs types attributes as strings; the editor writes the schema's boolean.
    block(c.broker.doc, 'ngo1').setAttribute('quickWin', true as unknown as string);
    field(c.bob.doc, 'shared1').insert(0, 'Agreed: ');
    const intro = (c.bob.doc.getXmlFragment('content').get(0) as Y.XmlElement).get(0) as Y.XmlText;
    intro.insert(0, 'Our ');
    // Bob's own objective, as the editor inserts it, then typed into.
    writeDocument(c.bob.doc, {
      type: 'doc',
      content: [...(readDocument(c.bob.doc).content ?? []), objective('biz1', { title: 'Fewer bottles' }, { scope: c.f.businessId })],
    });
    field(c.bob.doc, 'biz1').insert(0, 'Far ');
    // The NGO's negotiator gives its objective to everyone: its own to give.
    await waitFor(() => (block(c.nia.doc, 'ngo1').getAttribute('quickWin') as unknown) === true, { what: "the broker's change at Nia" });
    block(c.nia.doc, 'ngo1').setAttribute('scope', 'shared');

    await waitFor(
      async () => {
        const { stored } = await atServer(c);
        return ['and 2 clinics', '"quickWin":true', 'Agreed: A shared goal', 'Our Intro', 'Far Fewer bottles', '"scope":"shared","quickWin":true'].every(
          (part) => stored.includes(part),
        );
      },
      { what: 'every honest change stored' },
    );
    await waitFor(() => titleOf(c.nia.doc, 'biz1') === 'Far Fewer bottles', { what: "Bob's objective at Nia" });
    expect(bobTold).toEqual([]);
    for (const client of [c.nia, c.bob, c.broker]) expect(client.closes).toEqual([]);
  });

  it('the server writes it for others: a suggestion of the business accepted by the NGO, a restore by the broker', async () => {
    const c = await cast(harness);
    const path = (rest: string) => `/api/agreements/${c.f.agreement.id}${rest}`;
    const snapshot = await api<{ id: string }>(c.s, 'POST', path('/snapshots'), { label: 'before' }, c.f.brokerToken);
    expect(snapshot.status).toBe(201);

    // "10" in the title: after the intro (7), the objective's and the title's openings (2).
    const ten = 7 + 2 + TITLE.indexOf('10');
    const suggested = await api<{ suggestion: Suggestion }>(
      c.s,
      'POST',
      path('/suggestions'),
      { anchor: anchorAt(contentFragment(c.bob.doc), ten, ten + 2), text: '12' },
      c.tokens.bob,
    );
    expect(suggested.status).toBe(201);
    const accepted = await api(c.s, 'POST', path(`/suggestions/${suggested.body.suggestion.id}/accept`), undefined, c.tokens.nia);
    expect(accepted.status).toBe(200);
    await waitFor(() => titleOf(c.nia.doc, 'ngo1') === 'Clean water in 12 schools', { what: 'the accepted suggestion at Nia' });

    expect((await api(c.s, 'POST', path(`/snapshots/${snapshot.body.id}/restore`), undefined, c.f.brokerToken)).status).toBe(200);
    await waitFor(() => titleOf(c.bob.doc, 'ngo1') === TITLE, { what: 'the restored title at Bob' });
  });
});
