import { Worker } from 'node:worker_threads';
import type { DiffResult, ExportFormat, ProseMirrorJSON } from '#shared/snapshots';
import type { AuthorshipData } from '../authorship';
import type { ExportInput, ExportMeta } from '../export/meta';
import type { RedlineInput } from '../export/docx';
import type { RedlineLifeCycle } from '../export/redlineLifeCycle';
import type { KnownState, MeasuredUpdate } from '../../../rooms/guards/unknownPart';
import type { UpdateLimits } from '../../../rooms/guards/limits';
import type { TextRead, TextReadKind } from '../../../documents/textRead';
import type { VersionParts } from './openVersions';
import { ErrorCode } from '#shared/errors';
import { AppError } from '../../../errors';

/** A person's jobs that may wait for the worker besides the one it runs for them: more are refused (429). */
export const MAX_WAITING_PER_PERSON = 4;

/** Two versions to diff, the older first, and who wrote what. */
export interface DiffJob {
  from: VersionParts;
  /** The live text comes as the room's kept state and its changes since: made one by the diff itself, not by a job of its own first. */
  to: VersionParts;
  authorship: AuthorshipData;
  versions: Pick<DiffResult, 'from' | 'to'>;
  objectiveId?: string;
}

/** What a worker is told as it starts. */
export interface DocumentWorkerData {
  background: boolean;
}

/** Work on whole documents that may take long for a big agreement. */
export type DocumentJob =
  | ({ kind: 'diff' } & DiffJob)
  | { kind: 'content'; state: Uint8Array; prevHash: string | null }
  | { kind: 'hash'; state: Uint8Array; prevHash: string | null }
  /**
   * What a big client update would cost the room, decoded off the main thread before it is let
   * in. The bytes are moved to the worker, not copied, and come back with the answer. With the
   * room's known state, an update over the limits comes back cut to the part the room lacks.
   */
  | { kind: 'cost'; update: Uint8Array; known?: KnownState; limits: UpdateLimits }
  /** The live text (Room.wholeState's updates) read for a request: its objectives, or all of it. */
  | { kind: 'text'; parts: Uint8Array[]; read: TextReadKind }
  /** A room's stored update cut into pieces that apply one by one (rooms/causalPieces.ts), for a load that yields between them. */
  | { kind: 'pieces'; update: Uint8Array; maxStructs: number }
  /**
   * A text state as a file's body: read, fingerprinted (a snapshot's stored `hash` is checked against it: an altered
   * text gets no file), rendered. A .docx of 40 pages takes half a second to build.
   */
  | { kind: 'export'; state: Uint8Array; prevHash: string | null; hash: string | null; meta: Omit<ExportMeta, 'hash' | 'prevHash'>; format: ExportFormat }
  /** A document already read (a session's minutes) as a file's body. */
  | { kind: 'render'; input: ExportInput; format: ExportFormat }
  /** A redline .docx of a text with its changes marked (the open suggestions laid over the live text). */
  | { kind: 'redline'; input: RedlineInput }
  /** A redline .docx of the changes between two versions: the diff and the file, in one job. */
  | ({ kind: 'redlineDiff'; agreementTitle: string; parties: RedlineInput['parties']; lifeCycle?: RedlineLifeCycle } & DiffJob);

export interface JobResults {
  /** The DiffResult as JSON text: handing a big object tree back to the main thread would cost it the very time the worker saves. */
  diff: string;
  content: { content: ProseMirrorJSON; hash: string };
  /** Only the fingerprint (checking the chain needs no content on the main thread). */
  hash: string;
  cost: MeasuredUpdate;
  pieces: Uint8Array[];
  text: TextRead;
  /** Text formats as text; a .docx as bytes, moved back without a copy; null when the text no longer hashes to the `hash` given (altered). */
  export: string | Uint8Array | null;
  render: string | Uint8Array;
  redline: Uint8Array;
  redlineDiff: Uint8Array;
}

/** True when `bytes` is the whole of its buffer, so moving the buffer moves nothing else with it. */
export function movable(bytes: Uint8Array): boolean {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
}

/**
 * Decoding, hashing and diffing a 50-page agreement takes tens to hundreds of
 * milliseconds of CPU: done on the main thread it would stall every other room's sync.
 * One worker thread, started on first use, does it instead.
 *
 * Jobs asked for by a person (a comparison, an export, a redline) take turns: the worker runs
 * one of them at a time, taking each person's next job in rotation, and a person may have only
 * MAX_WAITING_PER_PERSON more waiting. So one participant who fires a pile of downloads costs
 * the server a bounded queue and delays nobody else by more than a job. The server's own jobs
 * (fingerprints of snapshots it takes, measuring updates) go to the worker at once.
 */
export class DocumentWorker {
  private running: RunningWorker | undefined;
  private nextId = 1;
  /** Each person's jobs not yet started, in the order people take turns (a map keeps insertion order). */
  private readonly turns = new Map<string, { start: () => Promise<void>; reject: (err: Error) => void }[]>();
  private personJobRunning = false;

  constructor(
    private readonly options: {
      jobTimeoutMs?: number;
      bootTimeoutMs?: number;
      /** The worker's code (tests give one that never starts). */
      script?: URL;
      /**
       * Background work (comparisons, downloads): its thread runs at the lowest priority, so it yields the
       * cores to every room's sync. Work a person waits on (a room's load) runs at the server's own.
       */
      background?: boolean;
    } = {},
  ) {}

  /**
   * Runs a job; the buffers in `transfer` move to the worker (unusable here until the answer
   * brings them back). With `forPerson`, the job waits for that person's turn, or is refused
   * with a 429 when they already have MAX_WAITING_PER_PERSON jobs waiting.
   */
  run<K extends DocumentJob['kind']>(job: Extract<DocumentJob, { kind: K }>, transfer: ArrayBuffer[] = [], forPerson?: string): Promise<JobResults[K]> {
    if (forPerson === undefined) return this.post(job, transfer);
    const queue = this.turns.get(forPerson) ?? [];
    if (queue.length >= MAX_WAITING_PER_PERSON) {
      return Promise.reject(
        new AppError(429, ErrorCode.RateLimited, 'your earlier comparisons or downloads are still being prepared: try again when they are done'),
      );
    }
    return new Promise((resolve, reject) => {
      // Started from a promise, so a worker that fails to start rejects this job instead of stalling the turns.
      queue.push({
        start: () =>
          Promise.resolve()
            .then(() => this.post(job, transfer))
            .then(resolve, reject),
        reject,
      });
      this.turns.set(forPerson, queue);
      this.startNextTurn();
    });
  }

  /**
   * Starts the next person's next job when none is running. When it is done, that person goes to the back of the
   * line, behind whoever asked while it ran: a newcomer is served before their next job, however quick their first.
   */
  private startNextTurn(): void {
    if (this.personJobRunning) return;
    const next = this.turns.entries().next();
    if (next.done) return;
    const [person, queue] = next.value;
    const { start } = queue.shift()!;
    if (queue.length === 0) this.turns.delete(person);
    this.personJobRunning = true;
    void start().finally(() => {
      this.personJobRunning = false;
      const rest = this.turns.get(person);
      if (rest) {
        this.turns.delete(person);
        this.turns.set(person, rest);
      }
      this.startNextTurn();
    });
  }

  private post<K extends DocumentJob['kind']>(job: Extract<DocumentJob, { kind: K }>, transfer: ArrayBuffer[]): Promise<JobResults[K]> {
    const running = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      // A job that never answers (a message the worker could not read, work that never ends)
      // would hold every person's turn for good: past the limit the worker is replaced. The
      // limit starts once the worker has started (its own limit is BOOT_TIMEOUT_MS), so a slow
      // start on a busy server does not refuse work that was never stuck.
      let timer: NodeJS.Timeout | undefined;
      void running.started.then(() => {
        if (!running.waiting.has(id)) return;
        timer = setTimeout(() => running.replace('preparing this took too long: try again'), this.options.jobTimeoutMs ?? JOB_TIMEOUT_MS);
        timer.unref();
      });
      running.waiting.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as JobResults[K]);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      });
      running.worker.postMessage({ id, job }, transfer);
    });
  }

  /**
   * Starts the worker now rather than at its first job: loading its code takes about a second of CPU (0.8 s here
   * under tsx, more on a busy machine), and a job that starts it waits for all of that.
   */
  warm(): void {
    this.start();
  }

  private start(): RunningWorker {
    if (this.running) return this.running;
    const workerData: DocumentWorkerData = { background: this.options.background ?? true };
    const worker = new Worker(this.options.script ?? new URL('./worker.boot.mjs', import.meta.url), { workerData });
    worker.unref();
    let markStarted!: () => void;
    const running: RunningWorker = {
      worker,
      waiting: new Map(),
      started: new Promise((resolve) => (markStarted = resolve)),
      // Its jobs fail, and the next job starts a new worker (an old one's late exit changes nothing then).
      fail: (err) => {
        if (this.running === running) this.running = undefined;
        for (const waiter of running.waiting.values()) waiter.reject(err);
        running.waiting.clear();
      },
      replace: (reason) => {
        running.fail(new AppError(503, ErrorCode.Unavailable, reason));
        void worker.terminate();
      },
    };
    // A worker that never finishes starting would hold every job for good, as a stuck job would.
    const bootTimer = setTimeout(() => running.replace('the document worker did not start: try again'), this.options.bootTimeoutMs ?? BOOT_TIMEOUT_MS);
    bootTimer.unref();
    worker.on('message', ({ id, result, error, ready }: { id?: number; result?: unknown; error?: string; ready?: true }) => {
      if (ready) {
        clearTimeout(bootTimer);
        markStarted();
        return;
      }
      const waiter = running.waiting.get(id!);
      running.waiting.delete(id!);
      if (error !== undefined) waiter?.reject(new Error(error));
      else waiter?.resolve(result);
    });
    worker.on('error', (err) => {
      clearTimeout(bootTimer);
      running.fail(err);
    });
    worker.on('exit', (code) => {
      clearTimeout(bootTimer);
      running.fail(new Error(`document worker exited with ${code}`));
    });
    this.running = running;
    return running;
  }

  async close(): Promise<void> {
    for (const queue of this.turns.values()) for (const { reject } of queue) reject(new Error('document worker closed'));
    this.turns.clear();
    const running = this.running;
    this.running = undefined;
    await running?.worker.terminate();
  }
}

/** The longest a job may take (a long agreement's comparison takes a few seconds). */
const JOB_TIMEOUT_MS = 60_000;
/** The longest a new worker may take to load its code (under a second here; far more means it is stuck). */
const BOOT_TIMEOUT_MS = 60_000;

interface RunningWorker {
  worker: Worker;
  /** Jobs posted to this worker and not answered yet. */
  waiting: Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>;
  /** Resolves when the worker has loaded its code and listens for jobs. */
  started: Promise<void>;
  fail(err: Error): void;
  /** Fails its jobs with a 503 saying why and ends the worker; the next job starts a new one. */
  replace(reason: string): void;
}
