/** Figures of one run of the client benchmark. */
export interface RunFigures {
  usableMs: number;
  /** Navigation start to the end of the first frame showing the text's first blocks. */
  firstTextMs: number;
  longestLoadTaskMs: number;
  /** The longest task begun in the second after usable, where a person's first keystrokes land (0 if none over 50 ms). */
  longestTaskAfterUsableMs: number;
  appBytesOnWire: number;
  appBytesDecoded: number;
  apiRequestsDuringLoad: string[];
  /** The text's bytes received over the websocket before the editor was usable (with `--network` only). */
  textBytesOverSocket?: number;
  /** Keystroke to the end of its frame (bench/client/instrument.js). */
  keyDelays: number[];
  remoteDelays: number[];
  busyPercent: number;
  busyMsPerKeystroke: number;
  /** The main thread's CPU time per keystroke (bench/client/mainThreadMeter.ts): steady on a machine that was not quiet. */
  cpuMsPerKeystroke: number;
  /** Script, style and layout ms per keystroke (the rest of busy is mostly paint and the browser's own work). */
  busyParts: Record<string, number>;
  /** The medians of a keystroke's steps in this run (bench/client/keyParts.ts). */
  keySteps: KeySteps;
  /** The same over the slowest tenth of its keystrokes, where the p95 is made. */
  keyTailSteps: KeySteps;
  /** The page's JavaScript heap once usable, after a garbage collection (MB). */
  heapAfterLoadMB: number;
  /** A return visit in the person's own profile, the app and the text's copy stored (without `--no-return`). */
  returnVisit?: ReturnVisitFigures;
}

/** A return visit's load: the same measures as the cold load's. */
export interface ReturnVisitFigures {
  usableMs: number;
  firstTextMs: number;
  longestLoadTaskMs: number;
}

/** A keystroke's time in steps, ms: its keydown waiting, its handling to the end of its input event, the wait for its frame, the frame. */
export interface KeySteps {
  keystrokes: number;
  queued: number;
  handled: number;
  waitingForFrame: number;
  frame: number;
}

export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
export const median = (values: number[]) => quantile(values, 0.5);

/** What was measured: the agreement's size and the CPU slowdown. */
export interface RunSetting {
  pages: number;
  throttle: number;
  blocks: number;
  words: number;
  threads: number;
  /** With `--ab`: which build ran, A (this checkout) or B (the other one). */
  build?: 'A' | 'B';
}

/** Medians over runs of each run's own figures (p50 and p95 are taken within a run). */
export function summarise(runs: RunFigures[], about: RunSetting) {
  const m = (pick: (r: RunFigures) => number) => Math.round(median(runs.map(pick)) * 10) / 10;
  const visits = runs.flatMap((r) => (r.returnVisit ? [r.returnVisit] : []));
  const returned = (pick: (v: ReturnVisitFigures) => number) => (visits.length === 0 ? null : Math.round(median(visits.map(pick)) * 10) / 10);
  return {
    ...about,
    runs: runs.length,
    keyP50: m((r) => quantile(r.keyDelays, 0.5)),
    keyP95: m((r) => quantile(r.keyDelays, 0.95)),
    remoteP50: m((r) => quantile(r.remoteDelays, 0.5)),
    remoteP95: m((r) => quantile(r.remoteDelays, 0.95)),
    remoteMax: m((r) => Math.max(...r.remoteDelays)),
    busyPercent: m((r) => r.busyPercent),
    busyMsPerKeystroke: m((r) => r.busyMsPerKeystroke),
    cpuMsPerKeystroke: m((r) => r.cpuMsPerKeystroke),
    scriptMsPerKeystroke: m((r) => r.busyParts.ScriptDuration),
    styleMsPerKeystroke: m((r) => r.busyParts.RecalcStyleDuration),
    layoutMsPerKeystroke: m((r) => r.busyParts.LayoutDuration),
    keyQueuedMs: m((r) => r.keySteps.queued),
    keyHandledMs: m((r) => r.keySteps.handled),
    keyWaitingForFrameMs: m((r) => r.keySteps.waitingForFrame),
    keyFrameMs: m((r) => r.keySteps.frame),
    keyTailSteps: tailSteps(runs),
    heapAfterLoadMB: m((r) => r.heapAfterLoadMB),
    usableMs: m((r) => r.usableMs),
    firstTextMs: m((r) => r.firstTextMs),
    longestLoadTaskMs: m((r) => r.longestLoadTaskMs),
    // Runs recorded before this figure existed have none.
    longestTaskAfterUsableMs: m((r) => r.longestTaskAfterUsableMs ?? NaN),
    returnUsableMs: returned((r) => r.usableMs),
    returnFirstTextMs: returned((r) => r.firstTextMs),
    returnLongestLoadTaskMs: returned((r) => r.longestLoadTaskMs),
    appKBOnWire: m((r) => r.appBytesOnWire / 1024),
    appKBDecoded: m((r) => r.appBytesDecoded / 1024),
    apiRequestsDuringLoad: runs[0]?.apiRequestsDuringLoad ?? [],
    textKBOverSocket: runs[0]?.textBytesOverSocket === undefined ? null : m((r) => (r.textBytesOverSocket ?? 0) / 1024),
  };
}

/** Medians over runs of the slowest tenth's steps: queued / handled / waiting for the frame / the frame (ms). */
function tailSteps(runs: { keyTailSteps: KeySteps }[]): string {
  const m = (pick: (steps: KeySteps) => number) => Math.round(median(runs.map((r) => pick(r.keyTailSteps))) * 10) / 10;
  return [m((t) => t.queued), m((t) => t.handled), m((t) => t.waitingForFrame), m((t) => t.frame)].join(' / ');
}

/** The browser's floor (bench/client/floor.ts): medians over runs, as for the app. */
export function summariseFloor(
  runs: { keyDelays: number[]; keySteps: KeySteps; keyTailSteps: KeySteps; busyPercent: number; busyMsPerKeystroke: number; cpuMsPerKeystroke: number }[],
) {
  const m = (pick: (r: (typeof runs)[number]) => number) => Math.round(median(runs.map(pick)) * 10) / 10;
  return {
    runs: runs.length,
    keyP50: m((r) => quantile(r.keyDelays, 0.5)),
    keyP95: m((r) => quantile(r.keyDelays, 0.95)),
    keyQueuedMs: m((r) => r.keySteps.queued),
    keyHandledMs: m((r) => r.keySteps.handled),
    keyWaitingForFrameMs: m((r) => r.keySteps.waitingForFrame),
    keyFrameMs: m((r) => r.keySteps.frame),
    keyTailSteps: tailSteps(runs),
    busyPercent: m((r) => r.busyPercent),
    busyMsPerKeystroke: m((r) => r.busyMsPerKeystroke),
    cpuMsPerKeystroke: m((r) => r.cpuMsPerKeystroke),
  };
}

/** The peer editor (bench/client/peerEditor.ts): the floor's figures and others' keystrokes, medians over runs. */
export function summarisePeer(runs: (Parameters<typeof summariseFloor>[0][number] & { remoteDelays: number[]; usableMs: number })[]) {
  const m = (pick: (r: (typeof runs)[number]) => number) => Math.round(median(runs.map(pick)) * 10) / 10;
  return {
    ...summariseFloor(runs),
    usableMs: m((r) => r.usableMs),
    remoteP50: m((r) => quantile(r.remoteDelays, 0.5)),
    remoteP95: m((r) => quantile(r.remoteDelays, 0.95)),
  };
}

type Summary = ReturnType<typeof summarise> & { floor?: ReturnType<typeof summariseFloor>; peer?: ReturnType<typeof summarisePeer> };

/** The issue's table: one column per agreement size and CPU speed. */
export function table(results: Record<string, Summary>): string {
  const keys = Object.keys(results);
  const row = (name: string, cell: (s: Summary) => string) => `| ${name} | ${keys.map((k) => cell(results[k])).join(' | ')} |`;
  const byPages = (pages: number, throttle: number, build: Summary['build']) =>
    Object.values(results).find((s) => s.pages === pages && s.throttle === throttle && s.build === build);
  type PerKeystroke = { busyMsPerKeystroke: number; cpuMsPerKeystroke: number };
  /**
   * A keystroke's cost against the same page's at 1 page (same CPU, same build): ours, or the plain contenteditable's or the
   * stock editor's, which say how much of the growth with length is the browser's own.
   */
  const ratio =
    (pick: (s: Summary) => PerKeystroke | undefined) =>
    (s: Summary): string => {
      const one = byPages(1, s.throttle, s.build);
      const [here, base] = [pick(s), one && pick(one)];
      return here && base
        ? `${(here.busyMsPerKeystroke / base.busyMsPerKeystroke).toFixed(2)}× (CPU ${(here.cpuMsPerKeystroke / base.cpuMsPerKeystroke).toFixed(2)}×)`
        : '';
    };
  return [
    `| figure | ${keys
      .map((k) => `${results[k].pages} page${results[k].pages > 1 ? 's' : ''}, CPU ${results[k].throttle}×${results[k].build ? ` (${results[k].build})` : ''}`)
      .join(' | ')} |`,
    `| --- | ${keys.map(() => '---').join(' | ')} |`,
    row('keystroke to next frame p50 / p95 (ms)', (s) => `${s.keyP50} / ${s.keyP95}`),
    row('same in a plain contenteditable with the same text (browser floor)', (s) => (s.floor ? `${s.floor.keyP50} / ${s.floor.keyP95}` : '')),
    row("same in Tiptap 3's stock collaborative editor, same text (peer)", (s) => (s.peer ? `${s.peer.keyP50} / ${s.peer.keyP95}` : '')),
    row("a keystroke's steps: queued / handled / waiting for the frame / the frame (ms)", (s) =>
      [s.keyQueuedMs, s.keyHandledMs, s.keyWaitingForFrameMs, s.keyFrameMs].join(' / '),
    ),
    row('same steps in the plain contenteditable (browser floor)', (s) =>
      s.floor ? [s.floor.keyQueuedMs, s.floor.keyHandledMs, s.floor.keyWaitingForFrameMs, s.floor.keyFrameMs].join(' / ') : '',
    ),
    row('same steps in the stock collaborative editor (peer)', (s) =>
      s.peer ? [s.peer.keyQueuedMs, s.peer.keyHandledMs, s.peer.keyWaitingForFrameMs, s.peer.keyFrameMs].join(' / ') : '',
    ),
    row('same steps, slowest tenth of the keystrokes (ms)', (s) => s.keyTailSteps),
    row('same, slowest tenth in the plain contenteditable (browser floor)', (s) => s.floor?.keyTailSteps ?? ''),
    row('same, slowest tenth in the stock collaborative editor (peer)', (s) => s.peer?.keyTailSteps ?? ''),
    row("others' keystrokes visible p50 / p95 / max (ms)", (s) => `${s.remoteP50} / ${s.remoteP95} / ${s.remoteMax}`),
    row('same in the stock collaborative editor (peer), p50 / p95', (s) => (s.peer ? `${s.peer.remoteP50} / ${s.peer.remoteP95}` : '')),
    row('main thread busy while three type', (s) => `${s.busyPercent} %`),
    row('main-thread ms per keystroke (all three)', (s) => `${s.busyMsPerKeystroke}`),
    row('same in the plain contenteditable (browser floor)', (s) => (s.floor ? `${s.floor.busyMsPerKeystroke}` : '')),
    row('same in the stock collaborative editor (peer)', (s) => (s.peer ? `${s.peer.busyMsPerKeystroke}` : '')),
    row('main-thread CPU ms per keystroke (all three; without time the machine gave elsewhere)', (s) => `${s.cpuMsPerKeystroke}`),
    row('same in the plain contenteditable (browser floor)', (s) => (s.floor ? `${s.floor.cpuMsPerKeystroke}` : '')),
    row('same in the stock collaborative editor (peer)', (s) => (s.peer ? `${s.peer.cpuMsPerKeystroke}` : '')),
    row('of which script / style / layout', (s) => `${s.scriptMsPerKeystroke} / ${s.styleMsPerKeystroke} / ${s.layoutMsPerKeystroke}`),
    row(
      'cost per keystroke against 1 page',
      ratio((s) => s),
    ),
    row(
      'same in the plain contenteditable (browser floor)',
      ratio((s) => s.floor),
    ),
    row(
      'same in the stock collaborative editor (peer)',
      ratio((s) => s.peer),
    ),
    row('cold load to usable editor (ms)', (s) => `${s.usableMs}`),
    // Its page is the editor alone (no header, panels or records), in a fresh context of the same browser.
    row('same in the stock collaborative editor (peer)', (s) => (s.peer ? `${s.peer.usableMs}` : '')),
    row('JavaScript heap once usable (MB)', (s) => `${s.heapAfterLoadMB}`),
    row('first screen of text painted (ms)', (s) => `${s.firstTextMs}`),
    row('longest task during load (ms)', (s) => `${s.longestLoadTaskMs}`),
    row('longest task in the second after usable (ms)', (s) => `${s.longestTaskAfterUsableMs}`),
    row('return visit in own profile: usable; first screen; longest task (ms)', (s) =>
      s.returnUsableMs === null ? '' : `${s.returnUsableMs}; ${s.returnFirstTextMs}; ${s.returnLongestLoadTaskMs}`,
    ),
    row('app on the wire / decoded (KB)', (s) => `${s.appKBOnWire} / ${s.appKBDecoded}`),
    row('text over the websocket before usable (KB; with --network)', (s) => (s.textKBOverSocket === null ? '' : `${s.textKBOverSocket}`)),
    row('API requests before usable', (s) => `${s.apiRequestsDuringLoad.length} (${[...new Set(s.apiRequestsDuringLoad)].join(' ')})`),
  ].join('\n');
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples?: number[];
  timeDeltas?: number[];
}

/** The functions with the most self time in a CPU profile, one per line. */
export function topFunctions(profile: CpuProfile, count = 25): string {
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  samples.forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    const name = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + (deltas[i] ?? 0) / 1000);
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, ms]) => `${ms.toFixed(0).padStart(7)}  ${name}`)
    .join('\n');
}

/**
 * B against A, run by run (`--ab`): the two builds ran one after the other in each repetition,
 * so what drifts over a session (the machine, the fixture's growing paragraph) drifts for both.
 * For each figure, the median of the per-repetition differences B − A and in how many
 * repetitions B was lower.
 */
export function pairedDifferences(a: RunFigures[], b: RunFigures[]) {
  const figures: Record<string, (r: RunFigures) => number> = {
    keyP50: (r) => quantile(r.keyDelays, 0.5),
    keyP95: (r) => quantile(r.keyDelays, 0.95),
    remoteP95: (r) => quantile(r.remoteDelays, 0.95),
    busyMsPerKeystroke: (r) => r.busyMsPerKeystroke,
    cpuMsPerKeystroke: (r) => r.cpuMsPerKeystroke,
    scriptMsPerKeystroke: (r) => r.busyParts.ScriptDuration,
    usableMs: (r) => r.usableMs,
    firstTextMs: (r) => r.firstTextMs,
    longestLoadTaskMs: (r) => r.longestLoadTaskMs,
    longestTaskAfterUsableMs: (r) => r.longestTaskAfterUsableMs ?? NaN,
    returnUsableMs: (r) => r.returnVisit?.usableMs ?? NaN,
    returnLongestLoadTaskMs: (r) => r.returnVisit?.longestLoadTaskMs ?? NaN,
  };
  const pairs = Math.min(a.length, b.length);
  return Object.fromEntries(
    Object.entries(figures).map(([name, pick]) => {
      const diffs = Array.from({ length: pairs }, (_, i) => pick(b[i]) - pick(a[i]));
      return [name, { medianDifference: Math.round(median(diffs) * 100) / 100, bLower: diffs.filter((d) => d < 0).length, pairs }];
    }),
  );
}

/** The paired differences as a table, one row per figure and a column per setting. */
export function pairedTable(paired: Record<string, ReturnType<typeof pairedDifferences>>): string {
  const settings = Object.keys(paired);
  if (settings.length === 0) return '';
  const names = Object.keys(paired[settings[0]]);
  return [
    `| B − A, median of per-repetition differences (B lower in) | ${settings.join(' | ')} |`,
    `| --- | ${settings.map(() => '---').join(' | ')} |`,
    ...names.map((n) => `| ${n} | ${settings.map((k) => `${paired[k][n].medianDifference} (${paired[k][n].bLower} of ${paired[k][n].pairs})`).join(' | ')} |`),
  ].join('\n');
}
