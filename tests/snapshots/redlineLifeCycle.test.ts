import { expect, it } from 'vitest';
import { objective, paragraph } from '../support/document';
import { useHarness } from '../support/harness';
import { lifeCycleAgreement } from './lifeCycleAgreement';
import { readZip } from '../support/zip';
import { readableMoment } from '../../server/src/features/snapshots/export/moment';

const h = useHarness();

/** Each paragraph of a .docx as a reader sees it, tags taken out. */
const wordLines = (file: Buffer) =>
  [
    ...readZip(file)
      .get('word/document.xml')!
      .toString('utf8')
      .matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g),
  ].map((m) =>
    m[0]
      .replace(/<[^>]+>/g, '')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&'),
  );

/** The lines that state the life cycle: each side's phase, a delivery that changed, and the objectives they sit under. */
const lifeCycleLines = (lines: string[]) => lines.filter((line) => /^(Phase|Delivered|Quick win deliveries|Objective)\b/.test(line));

/**
 * A legal reviewer compares the version it signed off with a later one: whether the partnership had moved to another
 * phase in between, and which quick wins were delivered since, is part of what changed. The redline stated neither.
 */
it('a redline states each side’s phase since when and each quick win whose delivery changed between them', async () => {
  const { server, path, nia, ben, legal, move, deliver, snapshot } = await lifeCycleAgreement(
    h,
    [
      paragraph('The partners restore the river banks together.'),
      objective('wells', { title: 'First wells', intent: 'Safe water' }, { quickWin: true }),
      objective('meetings', { title: 'Village meetings', intent: 'Voice' }, { quickWin: true }),
      objective('jobs', { title: 'Jobs in the basin', intent: 'Local work' }),
    ],
    3,
  );

  const managing = await move('managing');
  await deliver(ben, 'wells');
  const review = await snapshot('Delivery review');
  const reviewing = await move('reviewing');
  const meetings = await deliver(nia, 'meetings');
  const after = await snapshot('After the review');

  const redline = async (from: string, to: string) => {
    const res = await fetch(`${server.http}${path(`/redline?from=${from}&to=${to}`)}`, { headers: { authorization: `Bearer ${legal}` } });
    expect(res.status, `${from} → ${to}`).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  };
  // Against the live text and against a later snapshot: each side read from its own records, the older first.
  for (const [to, label] of [
    ['live', 'Live text'],
    [after.id, 'After the review'],
  ]) {
    expect(lifeCycleLines(wordLines(await redline(review.id, to))), label).toEqual([
      `Phase of “Delivery review”: Managing and maintaining (since ${readableMoment(managing.at)})`,
      `Phase of “${label}”: Reviewing and revising (since ${readableMoment(reviewing.at)})`,
      // Delivered in both versions: nothing changed, nothing said.
      'Objective: First wells',
      'Objective: Village meetings',
      `Delivered: not yet → yes, marked by Nia (WaterAid Kenya) on ${readableMoment(meetings.at)}`,
      'Objective: Jobs in the basin',
    ]);
  }
  // Asked newer first, it still reads older → newer.
  expect(lifeCycleLines(wordLines(await redline(after.id, review.id)))[4]).toBe(
    `Delivered: not yet → yes, marked by Nia (WaterAid Kenya) on ${readableMoment(meetings.at)}`,
  );
});
