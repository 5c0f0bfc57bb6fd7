import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { contentRoom } from '#shared/rooms';
import type { ObjectiveAttrs } from '#shared/objective';
import { objective, paragraph, readDocument, writeDocument } from '../support/document';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { api } from '../support/server';
import { CLAUSE, at, stage, type Stage } from './setup';

/**
 * A suggestion of whole blocks replaces them with the suggester's copy. When the blocks changed
 * meanwhile in what is not their text (an objective's facts, a word made bold), accepting that copy
 * would silently undo the change: such a suggestion is outdated, as one whose words changed is.
 */
const serverText = (s: Stage): Promise<string> =>
  s.server.app.ctx.rooms.with(contentRoom(s.f.agreement.id), (room) => room.doc.getXmlFragment('content').toString());
const accept = (s: Stage, id: string) => api<{ code?: string }>(s.server, 'POST', s.path(`/suggestions/${id}/accept`), undefined, s.tokens.ngo);

describe('a blocks suggestion over blocks changed since in more than their words', () => {
  const harness = useHarness();
  const between = CLAUSE.length + 2;
  const objectiveEnd = between + 2 + ('Clean river'.length + 2) + 5 * 2;

  async function withObjective(): Promise<Stage> {
    const s = await stage(harness);
    writeDocument(s.ngo.doc, { type: 'doc', content: [paragraph(CLAUSE), objective('obj1', { title: 'Clean river' }, { targetDate: '2027-01-31' })] });
    await waitFor(async () => (await serverText(s)).includes('obj1'), { what: 'the objective on the server' });
    return s;
  }
  const objectiveAttrs = (s: Stage) => readDocument(s.ngo.doc).content![1]!.attrs as ObjectiveAttrs;

  it("an objective's target date moved after a copy of it was suggested: accepting is refused (409 outdated), the date stays", async () => {
    const s = await withObjective();
    const made = await s.suggest(s.tokens.legal, {
      anchor: s.anchor(between, objectiveEnd),
      blocks: [objective('obj1', { title: 'Clean rivers' }, { targetDate: '2027-01-31' })],
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    // The NGO moves the date (a fact, an attribute: the objective's words are as they were).
    (s.ngo.doc.getXmlFragment('content').get(1) as Y.XmlElement).setAttribute('targetDate', '2028-06-30');
    await waitFor(async () => (await serverText(s)).includes('2028-06-30'), { what: 'the new date on the server' });
    expect((await s.list())[0]!.outdated).toBe(true);

    const answer = await accept(s, made.body.suggestion.id);
    expect(answer.status).toBe(409);
    expect(answer.body.code).toBe('suggestion_outdated');
    expect(await serverText(s)).toContain('2028-06-30');
    expect(objectiveAttrs(s).targetDate).toBe('2028-06-30');
  });

  it('a paragraph split by a suggestion, then a word of it made bold: accepting is refused, the bold stays', async () => {
    const s = await withObjective();
    const made = await s.suggest(s.tokens.legal, {
      anchor: s.anchor(0, CLAUSE.length + 2),
      blocks: [paragraph('The parties share'), paragraph('the cost.')],
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    writeDocument(s.ngo.doc, {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'The parties ' },
            { type: 'text', text: 'share', marks: [{ type: 'bold' }] },
            { type: 'text', text: ' the cost.' },
          ],
        },
        objective('obj1', { title: 'Clean river' }, { targetDate: '2027-01-31' }),
      ],
    });
    await waitFor(async () => (await serverText(s)).includes('<bold>'), { what: 'the bold word on the server' });

    const answer = await accept(s, made.body.suggestion.id);
    expect(answer.status).toBe(409);
    expect(await serverText(s)).toContain('<bold>share</bold>');
  });

  it('a blocks suggestion whose blocks did not change at all is still accepted', async () => {
    const s = await withObjective();
    const made = await s.suggest(s.tokens.legal, { anchor: s.anchor(between, objectiveEnd), blocks: [] });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    // An edit elsewhere (the clause) leaves the objective as it was.
    s.ngo.doc.transact(() => ((s.ngo.doc.getXmlFragment('content').get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Now '));
    await waitFor(async () => (await serverText(s)).includes('Now The'), { what: 'the edit on the server' });
    expect((await accept(s, made.body.suggestion.id)).status).toBe(200);
    await waitFor(async () => !(await serverText(s)).includes('obj1'), { what: 'the objective deleted' });
  });
});

describe('an insertion whose place was rewritten', () => {
  const harness = useHarness();

  // An insertion is a point that sticks to the character before it; when that character is deleted
  // (the words around it rewritten), the point resolved to wherever the deletion was, its passage ('')
  // still "read as it did", and accepting " equally" (meant after "share") wrote "The parties  equallysplit
  // the costs between them.". It is now outdated. So is one typed on after a sent replacement, once the
  // replacement is accepted (the words it stuck to are gone): the suggester makes it again.
  it('is outdated once the words before it are deleted, and accepting it is refused', async () => {
    const s = await stage(harness);
    const made = await s.suggest(s.tokens.legal, { anchor: s.anchor(at(' the cost')), text: ' equally' });
    expect(made.status).toBe(201);
    // The NGO rewrites "share the cost." directly.
    const text = (s.ngo.doc.getXmlFragment('content').get(0) as Y.XmlElement).get(0) as Y.XmlText;
    s.ngo.doc.transact(() => {
      text.delete(at('share') - 1, 'share the cost.'.length);
      text.insert(at('share') - 1, 'split the costs between them.');
    });
    await waitFor(async () => (await serverText(s)).includes('between them'), { what: 'the rewrite on the server' });
    expect((await s.list())[0]!.outdated).toBe(true);
    expect((await accept(s, made.body.suggestion.id)).status).toBe(409);
    expect(s.paragraphs()).toEqual(['The parties split the costs between them.']);
  });

  it('one typed on after a replacement is outdated once the replacement is accepted; made again, it goes in', async () => {
    const s = await stage(harness);
    const replace = () => s.suggest(s.tokens.legal, { anchor: s.anchor(at('cost'), at('.')), text: 'price' });
    const typedOn = () => s.suggest(s.tokens.legal, { anchor: s.anchor(at('.')), text: ' and risk' });
    const [first, then] = [await replace(), await typedOn()];
    expect((await accept(s, first.body.suggestion.id)).status).toBe(200);
    expect((await accept(s, then.body.suggestion.id)).status).toBe(409);
    // Made again on the accepted text, it goes in.
    await waitFor(() => s.paragraphs()[0] === 'The parties share the price.', { what: 'the replacement accepted' });
    const now = (text: string) => 1 + s.paragraphs()[0]!.indexOf(text);
    const again = await s.suggest(s.tokens.legal, { anchor: s.anchor(now('.')), text: ' and risk' });
    const onward = await s.suggest(s.tokens.legal, { anchor: s.anchor(now('The '), now('parties')), text: 'Both ' });
    expect((await accept(s, again.body.suggestion.id)).status).toBe(200);
    expect((await accept(s, onward.body.suggestion.id)).status).toBe(200);
    await waitFor(() => s.paragraphs()[0] === 'Both parties share the price and risk.', { what: 'both accepted' });
  });
});
