import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { contentRoom } from '#shared/rooms';
import type { ObjectiveAttrs } from '#shared/objective';
import { objective, paragraph, readDocument, writeDocument } from '../support/document';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { api } from '../support/server';
import { CLAUSE, stage, type Stage } from './setup';

/**
 * A suggestion of whole blocks replaces them with the suggester's copy. When the blocks changed
 * meanwhile in what is not their text (an objective's facts, a word made bold), accepting that copy
 * would silently undo the change: such a suggestion is outdated, as one whose words changed is.
 */
describe('a blocks suggestion over blocks changed since in more than their words', () => {
  const harness = useHarness();
  const between = CLAUSE.length + 2;
  const objectiveEnd = between + 2 + ('Clean river'.length + 2) + 3 * 2;

  async function withObjective(): Promise<Stage> {
    const s = await stage(harness);
    writeDocument(s.ngo.doc, { type: 'doc', content: [paragraph(CLAUSE), objective('obj1', { title: 'Clean river' }, { targetDate: '2027-01-31' })] });
    await waitFor(async () => (await serverText(s)).includes('obj1'), { what: 'the objective on the server' });
    return s;
  }
  const serverText = (s: Stage): Promise<string> =>
    s.server.app.ctx.rooms.with(contentRoom(s.f.agreement.id), (room) => room.doc.getXmlFragment('content').toString());
  const accept = (s: Stage, id: string) => api<{ code?: string }>(s.server, 'POST', s.path(`/suggestions/${id}/accept`), undefined, s.tokens.ngo);
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
