import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { JSONContent } from '@tiptap/core';
import { CloseCode } from '#shared/protocol';
import { connectClient, contentString, countingWebSocket, paragraphText, rawSocket, synced } from '../support/clients';
import { objective, readDocument, writeDocument } from '../support/document';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { createAgreement } from '../support/server';
import { storedContent, storedFileBytes } from '../support/stored';
import { changedCopy, refusalsTo, sendHandled, updateFrame } from './support/payloads';
import { malloryAndTwo } from './support/people';

// A mark is one format item of the text, whatever it carries. The guard checked each mark
// attribute's type and length, not its name, how many there were or their total size, and the
// size cap counted each mark as one item: a stock client put ' i' in bold with an attribute object
// of 70 keys of 10,000 characters, 20 times, and every newcomer received 27 MB for 59 characters.
const harness = useHarness();

/** An attribute object of `keys` keys, each `chars` characters long. */
function manyKeys(keys: number, chars: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: keys }, (_, k) => [`k${k}`, 'a'.repeat(chars)]));
}

/** Bytes of the state a newcomer (a stock client holding nothing) receives. */
async function newcomerBytes(ws: string, room: string, token: string): Promise<number> {
  const { counted, Counting } = countingWebSocket();
  const fresh = connectClient(ws, room, token, { webSocket: Counting });
  try {
    await synced(fresh, 20_000);
    return counted.bytes;
  } finally {
    fresh.destroy();
  }
}

const LINK = { href: 'https://example.org/water', target: '_blank', rel: 'noopener noreferrer nofollow', class: null, title: null };

describe('mark attributes', () => {
  it("a stock client's bold carrying 70 keys of 10,000 characters is refused: nothing applied, relayed or stored, newcomers get a small text", async () => {
    const { s, f, room, mallory: malloryToken, lena, ben } = await malloryAndTwo(harness);
    const mallory = harness.connect(s, room, malloryToken);
    await synced(mallory);
    const storedBefore = await storedFileBytes(s.dataDir, room);
    for (let i = 0; i < 5; i++) {
      const text = paragraphText(mallory.doc);
      text.insert(text.length, ` ${i}`, { bold: manyKeys(70, 10_000) });
    }
    // Lena types on meanwhile, and her words are kept.
    lena.text.insert(lena.text.length, ' Clause 2: the river.');
    await waitFor(async () => (await storedContent(s, room)).text.includes('Clause 2: the river.'), { timeoutMs: 10_000, what: "Lena's words stored" });
    await waitFor(() => mallory.closes.length > 0, { timeoutMs: 10_000, what: "Mallory's connection closed for her update" });
    expect(mallory.closes[0].code).toBe(CloseCode.BadMessage);
    expect(mallory.closes[0].reason).toMatch(/mark bold|inserts \d+ items/);

    const serverState = await s.app.ctx.rooms.with(room, (r) => Y.encodeStateAsUpdate(r.doc).byteLength);
    expect(serverState).toBeLessThan(10_000);
    expect(Y.encodeStateAsUpdate(ben.doc).byteLength).toBeLessThan(10_000);
    expect((await storedContent(s, room)).text).not.toContain('aaaa');
    expect((await storedFileBytes(s.dataDir, room)) - storedBefore).toBeLessThan(20_000);
    expect(await newcomerBytes(s.ws, room, f.brokerToken)).toBeLessThan(20_000);
  }, 60_000);

  it('hand-made marks with unknown attribute names, many keys or values too long are refused; honest marks go through', async () => {
    const { s, room, mallory, lena, ben } = await malloryAndTwo(harness);
    const hostile: Record<string, Record<string, unknown>> = {
      'bold with an attribute': { bold: { onclick: 'steal()' } },
      'link with an unknown attribute': { link: { ...LINK, style: 'display:none' } },
      'link with many keys': { link: { ...LINK, ...manyKeys(200, 100) } },
      'link with an href too long': { link: { ...LINK, href: `https://example.org/${'a'.repeat(20_000)}` } },
      'link with an object for a value': { link: { ...LINK, title: { nested: 'x' } } },
      // A link address that is no text threw in every editor that read it: the text after it was
      // hidden, and what its readers typed next never reached the server.
      'link with a number for an href': { link: { ...LINK, href: 123 } },
      'link with true for an href': { link: { ...LINK, href: true } },
    };
    const before = await storedContent(s, room);
    for (const [what, format] of Object.entries(hostile)) {
      const update = changedCopy(ben.doc, (copy) => paragraphText(copy).insert(0, 'x', format));
      const { socket, closed } = await rawSocket(`${s.ws}/${room}?token=${mallory}`);
      socket.send(updateFrame(update));
      const timer = setTimeout(() => socket.close(), 3_000);
      const { code } = await closed;
      clearTimeout(timer);
      expect(code, what).toBe(CloseCode.BadMessage);
      expect(await storedContent(s, room), what).toEqual(before);
    }

    // What the editor writes: each mark of the schema, a link with its attributes, two marks at once.
    const honest: JSONContent = {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'Clause 1. ' },
            { type: 'text', text: 'bold ', marks: [{ type: 'bold' }] },
            { type: 'text', text: 'italic ', marks: [{ type: 'italic' }] },
            { type: 'text', text: 'struck ', marks: [{ type: 'strike' }] },
            { type: 'text', text: 'underlined ', marks: [{ type: 'underline' }] },
            { type: 'text', text: 'code ', marks: [{ type: 'code' }] },
            { type: 'text', text: 'both ', marks: [{ type: 'bold' }, { type: 'italic' }] },
            { type: 'text', text: 'a link', marks: [{ type: 'link', attrs: { href: 'https://example.org/water' } }] },
          ],
        },
      ],
    };
    writeDocument(lena.doc, honest);
    await waitFor(() => JSON.stringify(readDocument(ben.doc)) === JSON.stringify(readDocument(lena.doc)), { what: "Lena's marks at Ben" });
    await waitFor(async () => (await storedContent(s, room)).text.includes('a link'), { what: "Lena's marks stored" });
    const marks = JSON.stringify(readDocument(ben.doc));
    for (const mark of ['bold', 'italic', 'strike', 'underline', 'code', 'link']) expect(marks).toContain(`"type":"${mark}"`);
    expect(marks).toContain('https://example.org/water');
    expect(lena.closes).toEqual([]);
  });

  // An impossible target date threw in every page that showed the objective, and the page, its
  // only error boundary being the whole route, went blank for everyone, after every reload too.
  it('objective facts no page can show are refused: an impossible target date, an id or a quick win of another kind', async () => {
    const { s, room, mallory, ben } = await malloryAndTwo(harness);
    const objectiveWith = (attrs: Record<string, unknown>) => {
      const block = new Y.XmlElement('objective');
      const facts = { id: 'evil1', scope: 'shared', quickWin: false, targetDate: '', owners: '', indicators: '', ...attrs };
      for (const [key, value] of Object.entries(facts)) block.setAttribute(key, value as string);
      block.insert(
        0,
        ['objectiveTitle', 'objectiveIntent', 'objectiveBand', 'objectiveTrigger', 'objectiveOwners', 'objectiveIndicators'].map((name) => {
          const field = new Y.XmlElement(name);
          field.insert(0, [new Y.XmlText('x')]);
          return field;
        }),
      );
      return block;
    };
    const send = async (attrs: Record<string, unknown>) => {
      const update = changedCopy(ben.doc, (copy) => copy.getXmlFragment('content').push([objectiveWith(attrs)]));
      const { socket, closed } = await rawSocket(`${s.ws}/${room}?token=${mallory}`);
      socket.send(updateFrame(update));
      const timer = setTimeout(() => socket.close(), 3_000);
      const { code } = await closed;
      clearTimeout(timer);
      return code;
    };
    const before = await storedContent(s, room);
    const hostile: Record<string, Record<string, unknown>> = {
      'a target date of month 13': { targetDate: '2027-13-45' },
      'a target date of 30 February': { targetDate: '2027-02-30' },
      'a target date that is no date': { targetDate: 'soon' },
      'an id with a space': { id: 'evil 1' },
      'an id that is a number': { id: 42 },
      // Typed in their fields now: words here no page would show.
      'owners written as an attribute': { owners: 'Mallory' },
      'indicators written as an attribute': { indicators: 'none' },
    };
    for (const [what, attrs] of Object.entries(hostile)) {
      expect(await send(attrs), what).toBe(CloseCode.BadMessage);
      expect(await storedContent(s, room), what).toEqual(before);
    }
    // A real day, or none, goes through.
    expect(await send({ id: 'fine1', targetDate: '2027-03-31' })).not.toBe(CloseCode.BadMessage);
    await waitFor(async () => JSON.stringify(await storedContent(s, room)).includes('fine1'), { what: 'the honest objective stored' });
  });

  it("a mark's or a node's attributes count toward the text's size and the writer's share, character by character like text", async () => {
    // A share of 10,000 items: a link whose target is 6,000 characters fills most of it.
    const s = await harness.start({ updateLimits: { maxDocumentItems: 40_000 } });
    const f = await createAgreement(s);
    const room = f.agreement.id;
    const mallory = harness.connect(s, room, await f.invite({ role: 'negotiator', name: 'Mallory', party: f.ngoId }));
    const lena = harness.connect(s, room, await f.invite({ role: 'negotiator', name: 'Lena', party: f.businessId }));
    await synced(mallory);
    await synced(lena);
    const told = refusalsTo(mallory);
    const longHref = `https://example.org/${'a'.repeat(6_000)}`;
    paragraphText(mallory.doc).insert(0, 'see', { link: { ...LINK, href: longHref } });
    await waitFor(async () => (await storedContent(s, room)).text.includes('see'), { what: 'the long link stored' });

    // An objective whose owners fill 6,000 characters more is past her share.
    const fragment = mallory.doc.getXmlFragment('content');
    writeDocument(mallory.doc, {
      type: 'doc',
      content: [...(readDocument(mallory.doc).content ?? []), objective('o1', { title: 'Water' }, { scope: 'shared', owners: 'o'.repeat(6_000) })],
    });
    expect(fragment.length).toBe(2);
    await waitFor(() => told.some((reason) => /you have written your share/.test(reason)), { what: 'Mallory told her objective was refused' });
    expect(await s.app.ctx.rooms.with(room, (r) => contentString(r.doc))).not.toContain('objective');

    // Lena writes on.
    paragraphText(lena.doc).insert(0, 'Clause 1. ');
    await waitFor(async () => (await storedContent(s, room)).text.includes('Clause 1. '), { what: "Lena's words stored" });
  });

  it('hand-made attributes of nodes the schema does not declare are refused, as are values too long', async () => {
    const { s, room, mallory, ben } = await malloryAndTwo(harness);
    const before = await storedContent(s, room);
    const attempts: Record<string, (copy: Y.Doc) => void> = {
      'an unknown attribute on a paragraph': (copy) => (copy.getXmlFragment('content').get(0) as Y.XmlElement).setAttribute('data-x', 'y'),
      'an attribute on the text node': (copy) => paragraphText(copy).setAttribute('bold', 'x'),
      'an objective attribute too long': (copy) => {
        const block = new Y.XmlElement('objective');
        block.setAttribute('owners', 'o'.repeat(20_000));
        copy.getXmlFragment('content').insert(1, [block]);
      },
      'an embed in the text': (copy) => paragraphText(copy).insertEmbed(0, { image: 'x'.repeat(1_000) }),
    };
    for (const [what, change] of Object.entries(attempts)) {
      await sendHandled(`${s.ws}/${room}?token=${mallory}`, [updateFrame(changedCopy(ben.doc, change))]);
      expect(await storedContent(s, room), what).toEqual(before);
    }
  });
});
