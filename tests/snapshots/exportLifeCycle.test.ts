import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { objective, paragraph } from '../support/document';
import { runFingerprint } from '../support/fingerprintScript';
import { useHarness } from '../support/harness';
import { lifeCycleAgreement } from './lifeCycleAgreement';
import { readZip } from '../support/zip';
import { readableMoment } from '../../server/src/features/snapshots/export/moment';

const h = useHarness();

const FORMATS = ['md', 'html', 'docx'] as const;
type Format = (typeof FORMATS)[number];

const entities = (text: string) =>
  text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** Each line of an export's text as a reader sees it: Markdown's quote and bold marks, HTML's and Word's tags taken out. */
const LINES: Record<Format, (file: Buffer) => string[]> = {
  md: (file) =>
    file
      .toString('utf8')
      .split('\n')
      .map((line) => line.replace(/^> /, '').replace(/\*\*/g, '').replace(/\\(.)/g, '$1').trimEnd()),
  html: (file) => [...file.toString('utf8').matchAll(/<(p|li)>(.*?)<\/\1>/g)].map((m) => entities(m[2].replace(/<[^>]+>/g, ''))),
  docx: (file) =>
    [
      ...readZip(file)
        .get('word/document.xml')!
        .toString('utf8')
        .matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g),
    ].map((m) => entities(m[0].replace(/<[^>]+>/g, ''))),
};

/** The lines that state the life cycle: the phase, each quick win's delivery, and what a snapshot did not record. */
const lifeCycleLines = (lines: string[]) => lines.filter((line) => /^(Phase|Delivered|Quick win deliveries|Objective):/.test(line));

/**
 * A legal reviewer reads an exported copy apart from the app: whether the partnership was still scoping or already
 * delivering, and which quick wins were done, is part of what that version says. Exports stated neither.
 */
it('every export states the phase since when and each quick win delivered (by whom, when) or not yet, as of its own moment', async () => {
  const {
    server,
    f,
    path,
    nia,
    ben,
    legal,
    move,
    deliver,
    snapshot: takeSnapshot,
  } = await lifeCycleAgreement(
    h,
    [
      paragraph('The partners restore the river banks together.'),
      objective('wells', { title: 'First wells', intent: 'Safe water' }, { quickWin: true, targetDate: '2026-01-15' }),
      objective('meetings', { title: 'Village meetings', intent: 'Voice' }, { quickWin: true }),
      objective('jobs', { title: 'Jobs in the basin', intent: 'Local work' }),
    ],
    3,
  );

  const managing = await move('managing');
  const wells = await deliver(ben, 'wells');
  const snapshot = await takeSnapshot('Delivery review');
  // After the snapshot: the partnership moves on and the other quick win is delivered.
  const reviewing = await move('reviewing');
  const meetings = await deliver(nia, 'meetings');

  const download = async (version: string, format: Format) => {
    const res = await fetch(`${server.http}${path(`/snapshots/${version}/export?format=${format}`)}`, { headers: { authorization: `Bearer ${legal}` } });
    expect(res.status, `${version} ${format}`).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  };
  const expected = {
    [snapshot.id]: [
      `Phase: Managing and maintaining (since ${readableMoment(managing.at)})`,
      'Objective: First wells',
      `Delivered: yes, marked by Ben (Acme Beverages) on ${readableMoment(wells.at)}`,
      'Objective: Village meetings',
      'Delivered: not yet',
      'Objective: Jobs in the basin',
    ],
    live: [
      `Phase: Reviewing and revising (since ${readableMoment(reviewing.at)})`,
      'Objective: First wells',
      `Delivered: yes, marked by Ben (Acme Beverages) on ${readableMoment(wells.at)}`,
      'Objective: Village meetings',
      `Delivered: yes, marked by Nia (WaterAid Kenya) on ${readableMoment(meetings.at)}`,
      'Objective: Jobs in the basin',
    ],
  };
  for (const [version, lines] of Object.entries(expected)) {
    for (const format of FORMATS) {
      expect(lifeCycleLines(LINES[format](await download(version, format))), `${version} as ${format}`).toEqual(lines);
    }
  }

  // The lines are in the file's proof: the documented checker renders them again, and an edit to them is caught.
  const dir = await mkdtemp(join(tmpdir(), 'cg-life-cycle-'));
  try {
    for (const format of ['md', 'html'] as const) {
      const file = join(dir, `export.${format}`);
      const text = (await download(snapshot.id, format)).toString('utf8');
      await writeFile(file, text);
      expect((await runFingerprint(file)).stdout).toContain('OK: the text of the file is the content');
      await writeFile(file, text.replace('not yet', 'yes'));
      await expect(runFingerprint(file)).rejects.toMatchObject({ stdout: expect.stringContaining('MISMATCH: the text of the file was changed') });
    }

    // A snapshot kept before snapshots recorded deliveries and the phase's start (its context names the phase only):
    // the phase since when comes from the phase log, which is never erased; its deliveries were not kept, and the
    // export says so instead of stating today's under the snapshot's date.
    const contextFile = join(server.dataDir, 'snapshots', f.agreement.id, `${snapshot.id}.context.json`);
    const { phase, stances, openThreads, openSuggestions } = JSON.parse(await readFile(contextFile, 'utf8')) as Record<string, unknown>;
    await writeFile(contextFile, JSON.stringify({ phase, stances, openThreads, openSuggestions }));
    for (const format of FORMATS) {
      expect(lifeCycleLines(LINES[format](await download(snapshot.id, format))), `older snapshot as ${format}`).toEqual([
        `Phase: Managing and maintaining (since ${readableMoment(managing.at)})`,
        'Quick win deliveries: not recorded with this snapshot (it was taken before snapshots kept them)',
        'Objective: First wells',
        'Objective: Village meetings',
        'Objective: Jobs in the basin',
      ]);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

// Stating the phase and deliveries adds lines only to exports whose proof names them: a file exported before
// (tests/snapshots/fixtures, written by the exporter of layout 9 before these lines existed) still checks out whole.
it('an export made before the phase and deliveries were stated still verifies: fingerprint and text', async () => {
  for (const name of ['layout9-export.md', 'layout9-export.html']) {
    const { stdout } = await runFingerprint(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)));
    expect(stdout, name).toContain('OK: the content matches its fingerprint');
    expect(stdout, name).toContain('OK: the text of the file is the content');
  }
});

// "Not recorded" speaks of quick wins: a snapshot kept before deliveries were recorded whose text holds none has
// nothing unrecorded, and the line only made a reviewer look for quick wins that were never there.
it('a snapshot kept before deliveries were recorded says they were not recorded only when its text holds a quick win', async () => {
  const {
    server,
    f,
    path,
    legal,
    snapshot: takeSnapshot,
  } = await lifeCycleAgreement(
    h,
    [paragraph('The partners restore the river banks together.'), objective('jobs', { title: 'Jobs in the basin', intent: 'Local work' })],
    1,
  );
  const snapshot = await takeSnapshot('No quick wins');
  // Kept as before snapshots recorded deliveries: the phase alone.
  const contextFile = join(server.dataDir, 'snapshots', f.agreement.id, `${snapshot.id}.context.json`);
  const { phase, stances, openThreads, openSuggestions } = JSON.parse(await readFile(contextFile, 'utf8')) as Record<string, unknown>;
  await writeFile(contextFile, JSON.stringify({ phase, stances, openThreads, openSuggestions }));

  const download = async (format: Format) => {
    const res = await fetch(`${server.http}${path(`/snapshots/${snapshot.id}/export?format=${format}`)}`, {
      headers: { authorization: `Bearer ${legal}` },
    });
    expect(res.status, format).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  };
  const dir = await mkdtemp(join(tmpdir(), 'cg-no-quick-win-'));
  try {
    for (const format of FORMATS) {
      const file = await download(format);
      expect(lifeCycleLines(LINES[format](file)), format).toEqual([
        `Phase: Scoping and building (since ${readableMoment(f.agreement.createdAt)})`,
        'Objective: Jobs in the basin',
      ]);
      if (format === 'docx') continue;
      // The checker renders the file again from its proof and finds it whole.
      const name = join(dir, `export.${format}`);
      await writeFile(name, file);
      expect((await runFingerprint(name)).stdout, format).toContain('OK: the text of the file is the content');
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
