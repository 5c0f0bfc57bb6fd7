import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { contentRoom } from '#shared/rooms';
import type { SnapshotSummary } from '#shared/snapshots';
import { useHarness } from '../support/harness';
import { readZip } from '../support/zip';
import type { TestServer } from '../support/server';
import { waitFor } from '../support/poll';
import { CLAUSE, at, stage } from './setup';

/** Downloads a redline and answers its `word/document.xml`. */
async function documentXml(server: TestServer, path: string, token: string, fileName: RegExp): Promise<string> {
  const response = await fetch(`${server.http}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('wordprocessingml');
  // Named as the person saves it: "<agreement> - <versions> (redline).docx".
  const name = /filename\*=UTF-8''([^;]+)/.exec(response.headers.get('content-disposition') ?? '')?.[1];
  expect(decodeURIComponent(name ?? '')).toMatch(fileName);
  return (
    readZip(new Uint8Array(await response.arrayBuffer()))
      .get('word/document.xml')
      ?.toString('utf8') ?? ''
  );
}

/** The paragraph of document.xml that holds `text`, reduced to what a reader of changes sees: [kind, author, text] runs. */
function changesIn(xml: string, text: string): [string, string, string][] {
  const paragraph = xml.split('</w:p>').find((p) => p.includes(text)) ?? '';
  const runs: [string, string, string][] = [];
  const pattern = /<w:(ins|del) [^>]*w:author="([^"]*)"[^>]*>(.*?)<\/w:\1>|<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g;
  for (const m of paragraph.matchAll(pattern)) {
    if (m[1]) runs.push([m[1], m[2], [...m[3].matchAll(/<w:(?:t|delText)(?: [^>]*)?>([^<]*)</g)].map((t) => t[1]).join('')]);
    else runs.push(['same', '', m[4]]);
  }
  return runs;
}

describe('redline export', () => {
  const harness = useHarness();

  it('open suggestions become Word tracked changes by the suggester, in the right places', async () => {
    const s = await stage(harness);
    await s.suggest(s.tokens.legal, { anchor: s.anchor(at('cost'), at('.')), text: 'costs and benefits' });
    await s.suggest(s.tokens.business, { anchor: s.anchor(at('The '), at('parties')), text: '' });
    const xml = await documentXml(s.server, s.path('/redline'), s.tokens.observer, /^River Restoration Partnership - Open suggestions \(redline\)\.docx$/);
    expect(changesIn(xml, 'parties share')).toEqual([
      ['del', 'Ben Carter', 'The '],
      ['same', '', 'parties share the '],
      ['del', 'Lena Legal', 'cost'],
      ['ins', 'Lena Legal', 'costs and benefits'],
      ['same', '', '.'],
    ]);
    // Each change has a date and an id of its own.
    const ids = [...xml.matchAll(/<w:(?:ins|del) w:id="(\d+)"[^>]*w:date="\d{4}-\d\d-\d\dT[\d:]+Z"/g)].map((m) => m[1]);
    expect(ids.length).toBe(3);
    expect(new Set(ids).size).toBe(3);
  });

  it('an empty paragraph suggested out and an empty one and a rule suggested in are tracked paragraphs by their suggesters', async () => {
    const s = await stage(harness);
    // The clause, an empty paragraph, then a closing line.
    const signed = new Y.XmlElement('paragraph');
    signed.insert(0, [new Y.XmlText('Signed in Nairobi.')]);
    s.ngo.doc.getXmlFragment('content').insert(1, [new Y.XmlElement('paragraph'), signed]);
    await waitFor(() => s.server.app.ctx.rooms.with(contentRoom(s.f.agreement.id), (room) => room.doc.getXmlFragment('content').length === 3), {
      what: 'the three paragraphs on the server',
    });
    const end = CLAUSE.length + 2;
    expect((await s.suggest(s.tokens.business, { anchor: s.anchor(end, end + 2), blocks: [] })).status).toBe(201);
    const afterSigned = end + 2 + 'Signed in Nairobi.'.length + 2;
    expect((await s.suggest(s.tokens.legal, { anchor: s.anchor(afterSigned), blocks: [{ type: 'paragraph' }, { type: 'horizontalRule' }] })).status).toBe(201);
    const xml = await documentXml(s.server, s.path('/redline'), s.tokens.observer, /Open suggestions \(redline\)\.docx$/);
    const paragraphs = xml.split('</w:p>');
    // A paragraph with no text carries its change on its paragraph mark: accepting or rejecting it in Word leaves nothing behind.
    const emptyTracked = (kind: 'ins' | 'del', author: string) =>
      paragraphs.filter(
        (p) => !p.includes('<w:t') && !p.includes('<w:delText') && new RegExp(`<w:pPr>.*<w:rPr>.*<w:${kind} [^>]*w:author="${author}"`).test(p),
      );
    expect(emptyTracked('del', 'Ben Carter').length).toBe(1);
    expect(emptyTracked('ins', 'Lena Legal').length).toBe(1);
    expect(changesIn(xml, '———')).toEqual([['ins', 'Lena Legal', '———']]);
    // The rest reads as it was.
    expect(changesIn(xml, 'Signed in')).toEqual([['same', '', 'Signed in Nairobi.']]);
    expect(changesIn(xml, 'parties share')).toEqual([['same', '', CLAUSE]]);
  });

  it('the difference between a snapshot and the live text credits each change to its author', async () => {
    const s = await stage(harness);
    const before = (await await fetch(`${s.server.http}${s.path('/snapshots')}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.f.brokerToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ label: 'Draft 1' }),
    }).then((r) => r.json())) as SnapshotSummary;
    const { body } = await s.suggest(s.tokens.legal, { anchor: s.anchor(at('cost'), at('.')), text: 'expense' });
    await fetch(`${s.server.http}${s.path(`/suggestions/${body.suggestion.id}/accept`)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.tokens.ngo}` },
    });
    const xml = await documentXml(
      s.server,
      s.path(`/redline?from=${before.id}&to=live`),
      s.tokens.legal,
      /^River Restoration Partnership - .+ → Live text \(redline\)\.docx$/,
    );
    const runs = changesIn(xml, 'parties share');
    expect(runs.filter(([kind]) => kind !== 'same').map(([kind, author]) => [kind, author])).toEqual([
      ['del', 'Lena Legal'],
      ['ins', 'Lena Legal'],
    ]);
    expect(runs.map(([kind, , text]) => (kind === 'del' ? '' : text)).join('')).toBe('The parties share the expense.');
    expect(xml).toContain('Draft 1');
    // The versions are dated in words, as in every export's header, not as raw ISO timestamps.
    const header = xml
      .split('</w:p>')
      .find((p) => p.includes('Redline: changes from'))!
      .replace(/<[^>]+>/g, '');
    expect(header).toMatch(
      /^Redline: changes from “Draft 1” \(\d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d:\d\d UTC\) to “[^”]+” \(\d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d:\d\d UTC\)$/,
    );
    // A snapshot of another agreement, or none, is a 404 as for diffs.
    const missing = await fetch(`${s.server.http}${s.path('/redline?from=nope')}`, { headers: { authorization: `Bearer ${s.tokens.legal}` } });
    expect(missing.status).toBe(404);
  });
});
