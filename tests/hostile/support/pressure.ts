import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import type { ChildServer } from '../../support/childServer';
import { connectClient, synced, type TestClient } from '../../support/clients';
import { waitFor } from '../../support/poll';

/** What the server went through during an attack, as a well-behaved user would notice it. */
export interface Pressure {
  /** Longest event-loop delay inside the server while the attack ran, wall clock (see loopMonitor.mjs). */
  maxStallMs: number;
  /**
   * Most CPU the server's main thread spent between two turns of its event loop while the
   * attack ran: the longest synchronous stretch of work, not counting time the OS gave the
   * core to others (see loopMonitor.mjs).
   */
  maxStallCpuMs: number;
  /** The same for the attack's setup (what it sent before calling `begin`, e.g. text to delete later), when it has one. */
  setupStallCpuMs: number;
  /** Longest `/api/health` answer seen from outside. */
  maxHealthMs: number;
  /** Highest resident set size of the server process, in MB. */
  maxRssMb: number;
  /** Longest time one of the honest editor's edits took to reach the honest observer. */
  maxEditLagMs: number;
  /** Edits the honest editor made during the attack, all of which arrived. */
  edits: number;
  /** Longest event-loop delay in a quiet stretch of honest editing just before the attack: what a shared machine costs by itself. */
  baselineStallMs: number;
}

/**
 * The issue's bound on an event-loop stall, asserted on the CPU the main thread spent in its
 * longest synchronous stretch ({@link Pressure.maxStallCpuMs}): that is the work an attack
 * made the server do in one go, which a machine of its own would take as long to run.
 */
export const ISSUE_STALL_MS = 200;

/**
 * What an attack may add to the longest wall-clock stall, a guard against gross stalls. This
 * machine shares 2 cores at a load of 15 to 20, where a quiet server already shows stalls of
 * 100 to 1,100 ms (time it waited for a core); before the fixes the attacks stalled 3 to 75 s.
 */
export const STALL_BOUND_MS = 1000;

/** Checks the stall an attack caused against {@link STALL_BOUND_MS}, over what the machine showed without it. */
export function stallAddedByAttack(pressure: Pressure): number {
  return Math.max(0, pressure.maxStallMs - pressure.baselineStallMs);
}

/** The server's resident set size, in MB, read from /proc. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/**
 * Runs `attack` while an honest stock client keeps editing (one edit every 50 ms, each
 * waited for at an honest observer), `/api/health` is polled back to back and the server's
 * RSS is sampled. The attack's payloads should be built beforehand: this process hosts the
 * clients, and its own work would show up as lag. An attack with a setup calls `begin` when
 * the hostile payload proper is about to go out (and awaits it): the CPU stall is then counted
 * apart for each part.
 */
export async function underAttack(
  server: ChildServer,
  room: string,
  token: string,
  attack: (begin: () => Promise<void>) => Promise<void>,
): Promise<Pressure & { clients: TestClient[] }> {
  const editor = connectClient(server.ws, room, token);
  const observer = connectClient(server.ws, room, token);
  await synced(editor, 15_000);
  await synced(observer, 15_000);
  await warmUp(editor, observer);
  const pid = server.process.pid!;
  const result: Pressure = {
    maxStallMs: 0,
    maxStallCpuMs: 0,
    setupStallCpuMs: 0,
    maxHealthMs: 0,
    maxRssMb: rssMb(pid),
    maxEditLagMs: 0,
    edits: 0,
    baselineStallMs: 0,
  };
  const baselineStart = server.output().length;
  let outputBefore = baselineStart;
  let attackOutput = baselineStart;
  let running = true;

  const probing = (async () => {
    while (running) {
      const started = performance.now();
      await fetch(`${server.http}/api/health`);
      result.maxHealthMs = Math.max(result.maxHealthMs, performance.now() - started);
      result.maxRssMb = Math.max(result.maxRssMb, rssMb(pid));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  const editing = (async () => {
    while (running) {
      const marker = ` honest-${result.edits}`;
      const sent = performance.now();
      editor.doc.transact(() => {
        const text = honestText(editor.doc);
        text.insert(text.length, marker);
      });
      // A lost edit is recorded as a lag of the whole wait, and tests fail on the lag, not here.
      await waitFor(() => paragraphsText(observer.doc).includes(marker), { timeoutMs: 20_000, intervalMs: 2, what: `observer sees ${marker}` }).catch(() => {});
      result.maxEditLagMs = Math.max(result.maxEditLagMs, performance.now() - sent);
      result.edits++;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  try {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    result.baselineStallMs = maxStall(server.output().slice(baselineStart));
    outputBefore = server.output().length;
    let attackStart = outputBefore;
    await attack(async () => {
      // The monitor reports each 100 ms after it ends: two more reports cover all the setup did.
      const reports = () => server.output().match(/\[loop\]/g)?.length ?? 0;
      const seen = reports();
      await waitFor(() => reports() >= seen + 2, { what: 'the setup to be reported' });
      attackStart = server.output().length;
    });
    // The setup's stretches count apart.
    for (const match of server
      .output()
      .slice(outputBefore, attackStart)
      .matchAll(/\[loop\] max=\d+ cpu=(\d+)/g)) {
      result.setupStallCpuMs = Math.max(result.setupStallCpuMs, Number(match[1]));
    }
    attackOutput = attackStart;
    // Let the server show what the attack left it with.
    await new Promise((resolve) => setTimeout(resolve, 300));
  } finally {
    running = false;
    await Promise.allSettled([probing, editing]);
  }
  await editing;
  for (const match of server
    .output()
    .slice(outputBefore)
    .matchAll(/\[loop\] max=(\d+) cpu=(\d+) rss=(\d+)/g)) {
    result.maxStallMs = Math.max(result.maxStallMs, Number(match[1]));
    result.maxRssMb = Math.max(result.maxRssMb, Number(match[3]));
  }
  for (const match of server
    .output()
    .slice(attackOutput)
    .matchAll(/\[loop\] max=\d+ cpu=(\d+)/g)) {
    result.maxStallCpuMs = Math.max(result.maxStallCpuMs, Number(match[1]));
  }
  result.maxHealthMs = Math.round(result.maxHealthMs);
  result.maxEditLagMs = Math.round(result.maxEditLagMs);
  return { ...result, clients: [editor, observer] };
}

/**
 * A server that has been running a while has its code compiled and its worker started; a
 * fresh child process has neither, and the first big update would pay for both. Before
 * measuring, the honest editor pastes a long passage (over the size measured in the worker).
 */
async function warmUp(editor: TestClient, observer: TestClient): Promise<void> {
  const fragment = editor.doc.getXmlFragment('content');
  editor.doc.transact(() => {
    const paragraphs = Array.from({ length: 600 }, (_, i) => {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText(`Warm-up clause ${i}: the partners restore the river banks together, section by section.`)]);
      return paragraph;
    });
    fragment.insert(fragment.length, paragraphs);
  });
  await waitFor(() => observer.doc.getXmlFragment('content').length >= fragment.length, { timeoutMs: 20_000, what: 'the warm-up paste to arrive' });
}

/** The text of the top-level paragraphs, read without recursing (a poisoned text may nest thousands deep). */
function paragraphsText(doc: Y.Doc): string {
  return doc
    .getXmlFragment('content')
    .toArray()
    .map((node) => (node instanceof Y.XmlElement && node.nodeName === 'paragraph' && node.get(0) instanceof Y.XmlText ? node.get(0).toString() : ''))
    .join('\n');
}

/** The honest editor types into the last paragraph (created on first use). */
function honestText(doc: Y.Doc): Y.XmlText {
  const fragment = doc.getXmlFragment('content');
  const last = fragment.length > 0 ? fragment.get(fragment.length - 1) : undefined;
  if (last instanceof Y.XmlElement && last.nodeName === 'paragraph' && last.get(0) instanceof Y.XmlText) return last.get(0) as Y.XmlText;
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText()]);
  fragment.insert(fragment.length, [paragraph]);
  return paragraph.get(0) as Y.XmlText;
}

/** Environment that makes a child server report its event-loop delay (see loopMonitor.mjs). */
export const MONITORED: Record<string, string> = {
  NODE_OPTIONS: `--import=${fileURLToPath(new URL('./loopMonitor.mjs', import.meta.url))}`,
};

function maxStall(output: string): number {
  let max = 0;
  for (const match of output.matchAll(/\[loop\] max=(\d+)/g)) max = Math.max(max, Number(match[1]));
  return max;
}

/** One line per finding, so before/after figures can be read off a test run. */
export function report(finding: string, pressure: Pressure, extra: Record<string, unknown> = {}): void {
  console.log(`[hostile] ${finding}: ${JSON.stringify({ ...pressure, ...extra, clients: undefined })}`);
}
