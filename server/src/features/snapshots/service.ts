import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { updateYFragment } from '@tiptap/y-tiptap';
import { contentRoom, CONTENT_FIELD, recordsRoom } from '#shared/rooms';
import { RecordsKey, type Author } from '#shared/records';
import type { PhaseChange } from '#shared/phases';
import { documentSchema } from '#shared/schema';
import { readSuggestions } from '#shared/suggestionStore';
import { pendingSuggestions } from '#shared/suggestions';
import {
  LIVE,
  type ExportFormat,
  type SnapshotContext,
  type SnapshotReason,
  type SnapshotSummary,
  type SnapshotView,
  type VerifiedSnapshot,
} from '#shared/snapshots';
import { ErrorCode } from '#shared/errors';
import { AppError, notFound } from '../../errors';
import { newId } from '../../ids';
import { logActivity, readRoom, writeRecords } from '../../records/write';
import { transactAs } from '../../rooms/origin';
import { trackOneChange } from '../../rooms/trackOneChange';
import type { RoomManager } from '../../rooms/RoomManager';
import type { AgreementRecord, SnapshotRecord, Storage, StoredState } from '../../storage/port';
import type { AuthorshipLog } from './authorship';
import type { DiffJob, DocumentWorker } from './diff/DocumentWorker';
import type { PersonWork } from '../../documents/personWork';
import type { TextReader } from '../../documents/textReader';
import { exportDocument, type ExportFile } from './export/exportDocument';
import { reanchorAfterRestore } from './reanchor';
import { stanceWithBasis, TEXTS_KEPT_PER_PARTY } from '../../documents/stanceBases';
import { SerialByKey } from '../../serialByKey';
import type { SnapshotQuota } from './quota';
import { CheckedStates } from './checkedStates';
import { snapshotAltered } from './altered';
import { mapObjectives, unfoldedObjective } from '#shared/objectiveFacts';
import { summaryOf } from './summary';
import { indexSnapshot } from './recordsIndex';
import { keptWithin } from './restoreBound';

/**
 * Snapshots are records: the server alone writes them, whole (the document state, not a
 * history to replay), chained by fingerprint, and never changes or deletes one.
 */
export class SnapshotService {
  /** Per agreement, the tail of its snapshot writes: two at once must not fork the chain. */
  private readonly locks = new SerialByKey();
  /**
   * Each stored state's recomputed fingerprint by snapshot id (null: it does not decode), with the
   * state's digest and, once a listing has seen it, its storage stamp: valid while the stamp is the
   * same, so a listing reads only states new or written since.
   */
  private readonly checked = new CheckedStates();
  /** Fingerprint jobs under way, by snapshot and state digest (fingerprintOf). */
  private readonly hashing = new Map<string, Promise<string>>();
  /** Checks under way by snapshot id and stamp: a session's pages listing at once share them. */
  private readonly checking = new Map<string, Promise<string | null>>();

  constructor(
    private readonly deps: { rooms: RoomManager; storage: Storage },
    private readonly authorship: AuthorshipLog,
    private readonly worker: DocumentWorker,
    private readonly text: TextReader,
    private readonly quota: SnapshotQuota,
    /** What a person waits for (a snapshot they take or restore, a session's end, a comparison) runs as their work. */
    private readonly personWork: PersonWork,
  ) {}

  private serial<T>(agreementId: string, work: () => Promise<T>): Promise<T> {
    return this.locks.run(agreementId, work);
  }

  /**
   * Takes a snapshot of the live text now. `waitedOn`: the person who took it waits for the answer, so its
   * reading and fingerprint run as their work (at the server's priority within their allowance); one taken
   * on the side (a phase change's) runs in the background.
   */
  take(agreementId: string, label: string, by: Author, reason: SnapshotReason, waitedOn: boolean): Promise<SnapshotSummary> {
    return this.serial(agreementId, async () => {
      const state = await this.text.state(agreementId, waitedOn ? by.personId : undefined, waitedOn);
      return this.store(agreementId, state, new Date().toISOString(), label, by, reason, waitedOn && { now: false });
    });
  }

  /**
   * Keeps the "every party agreed to every objective" snapshot, unless the last one kept for that
   * reason holds the same text agreed by the same parties: that agreement is already on record.
   * Without this, toggling the last stance (object, agree, …) stored the whole text once per agree.
   */
  takeOnFullAgreement(agreementId: string, label: string, by: Author): Promise<SnapshotSummary | null> {
    return this.serial(agreementId, async () => {
      const state = await this.text.state(agreementId);
      const lastAgreed = [...(await this.deps.storage.listSnapshots(agreementId))].reverse().find((s) => s.reason === 'agreed');
      if (lastAgreed && (await this.sameAgreement(agreementId, lastAgreed, state))) return null;
      return this.store(agreementId, state, new Date().toISOString(), label, by, 'agreed');
    });
  }

  private async sameAgreement(agreementId: string, kept: SnapshotRecord, state: Uint8Array): Promise<boolean> {
    // The fingerprint covers the previous hash and the content: computed over the live text with
    // the kept snapshot's previous hash, it equals the kept one's exactly when the texts are equal.
    const liveHash = await this.worker.run({ kind: 'hash', state, prevHash: kept.prevHash });
    if (liveHash !== kept.hash) return false;
    // Same text; the same parties too? (A party added since makes it a new agreement.) The list has
    // no context, so the kept record is read, only in this case.
    const { record } = await this.load(agreementId, kept.id);
    const now = await readRoom(this.deps.rooms, recordsRoom(agreementId), recordsContext);
    const stanceKeys = (stances: Record<string, unknown>) => Object.keys(stances).sort().join('\n');
    return record.context !== undefined && stanceKeys(record.context.stances) === stanceKeys(now.stances);
  }

  private async store(
    agreementId: string,
    state: Uint8Array,
    createdAt: string,
    label: string,
    by: Author,
    reason: SnapshotReason,
    /** Whose work its fingerprint is (see take), and whether it goes ahead of other people's turns (a restore's). */
    waitedOn: false | { now: boolean } = false,
  ): Promise<SnapshotSummary> {
    const records = await this.deps.storage.listSnapshots(agreementId);
    const tally = await this.quota.tally(agreementId, records);
    tally.admit(by.personId, state.byteLength);
    const prevHash = records.at(-1)?.hash ?? null;
    const job = { kind: 'hash', state, prevHash } as const;
    const hash = waitedOn ? await this.personWork.run(job, by.personId, waitedOn) : await this.worker.run(job);
    const context = await readRoom(this.deps.rooms, recordsRoom(agreementId), recordsContext);
    const record: SnapshotRecord = { id: newId(), agreementId, label, createdAt, createdBy: by, hash, prevHash, reason, context };
    await this.deps.storage.saveSnapshot(record, state);
    tally.add(record.id, by.personId, state.byteLength);
    this.checked.set(record, { digest: digest(state), hash });
    const summary = summaryOf(record);
    await writeRecords(this.deps.rooms, agreementId, (doc) => {
      // Already there when the records room loaded since the snapshot was stored (see reconcileIndex).
      indexSnapshot(doc, summary);
      logActivity(doc, by, 'snapshot.taken', `took snapshot “${label}”`);
    });
    return summary;
  }

  /** Every snapshot, oldest first, each checked against its stored state and its predecessor. */
  async list(agreementId: string): Promise<VerifiedSnapshot[]> {
    const [records, states] = await Promise.all([this.deps.storage.listSnapshots(agreementId), this.deps.storage.snapshotStates(agreementId)]);
    const out: VerifiedSnapshot[] = [];
    let prevHash: string | null = null;
    let chainValid = true;
    // One at a time: states to check (after a restart, all of them) are not all held in memory at once.
    for (const record of records) {
      const verified = record.prevHash === prevHash && (await this.recomputedHash(record, states.get(record.id))) === record.hash;
      chainValid &&= verified;
      out.push({ ...summaryOf(record), verified, chainValid });
      prevHash = record.hash;
    }
    return out;
  }

  /** The fingerprint recomputed from the stored state (null when there is none or it does not decode). */
  private recomputedHash(record: SnapshotRecord, stored: StoredState | undefined): Promise<string | null> {
    if (!stored) return Promise.resolve(null);
    const known = this.checked.get(record);
    if (known?.stamp === stored.stamp) return Promise.resolve(known.hash);
    const key = `${record.id}:${stored.stamp}`;
    let pending = this.checking.get(key);
    if (!pending) {
      pending = this.check(record, stored.stamp).finally(() => this.checking.delete(key));
      this.checking.set(key, pending);
    }
    return pending;
  }

  private async check(record: SnapshotRecord, stamp: string): Promise<string | null> {
    // Read after the stamp: a state written in between is noted with the older stamp, and so is
    // read again by the next listing (never the other way round).
    const loaded = await this.deps.storage.loadSnapshot(record.agreementId, record.id);
    if (!loaded) return null;
    const stateDigest = digest(loaded.state);
    const known = this.checked.get(record);
    let hash: string | null;
    if (known?.digest === stateDigest) hash = known.hash;
    else {
      try {
        hash = await this.fingerprintOf(record, loaded.state, stateDigest);
      } catch (err) {
        // The worker could not answer now (stuck, replaced, not started): the listing fails with that
        // 503, rather than telling legal teams an intact snapshot was altered.
        if (err instanceof AppError) throw err;
        hash = null; // a state that no longer decodes is not verified
      }
    }
    this.checked.set(record, { digest: stateDigest, hash, stamp });
    return hash;
  }

  /**
   * A stored state's fingerprint, recomputed in the worker. A listing and a comparison of the same state share one
   * job: a reviewer's page lists the snapshots as it opens, and a comparison asked meanwhile (after a restart, the
   * listing's check of 40 pages takes a second or more) hashed the same state once more in the worker everyone waits on.
   */
  private fingerprintOf(record: SnapshotRecord, state: Uint8Array, stateDigest: string, forPerson?: string): Promise<string> {
    const key = `${record.id}:${stateDigest}`;
    let pending = this.hashing.get(key);
    if (!pending) {
      const job = { kind: 'hash', state, prevHash: record.prevHash } as const;
      // A person's comparison waits for it: their work. A listing's checks are background work.
      pending = (forPerson ? this.personWork.run(job, forPerson) : this.worker.run(job)).finally(() => this.hashing.delete(key));
      this.hashing.set(key, pending);
    }
    return pending;
  }

  /** The stored state of a snapshot, or 404. */
  async load(agreementId: string, snapshotId: string): Promise<{ record: SnapshotRecord; state: Uint8Array }> {
    const loaded = await this.deps.storage.loadSnapshot(agreementId, snapshotId);
    if (!loaded) throw notFound(ErrorCode.SnapshotNotFound, 'no such snapshot in this agreement');
    return loaded;
  }

  /** A snapshot with its document as ProseMirror JSON, and the records of that moment. */
  async open(agreementId: string, snapshotId: string, forPerson: string): Promise<SnapshotView> {
    const { record, state } = await this.load(agreementId, snapshotId);
    const { content, hash } = await this.worker.run({ kind: 'content', state, prevHash: record.prevHash }, [], forPerson);
    const context = record.context ?? { phase: null, stances: {}, openThreads: {} };
    return { ...summaryOf(record), content, verified: hash === record.hash, context };
  }

  /** What the records hold now (stances, open suggestions): what an export of the live text states. */
  liveContext(agreementId: string): Promise<SnapshotContext> {
    return readRoom(this.deps.rooms, recordsRoom(agreementId), recordsContext);
  }

  /** Every life-cycle phase change so far, oldest first: when a snapshot kept before its context named it, its phase began. */
  phaseLog(agreementId: string): Promise<PhaseChange[]> {
    return readRoom(this.deps.rooms, recordsRoom(agreementId), (doc) => doc.getArray<PhaseChange>(RecordsKey.phaseLog).toArray());
  }

  /** The newest snapshot's fingerprint (the live text's would-be predecessor). */
  async lastHash(agreementId: string): Promise<string | null> {
    return (await this.deps.storage.listSnapshots(agreementId)).at(-1)?.hash ?? null;
  }

  /** The live text's state now (made one in the worker, in `forPerson`'s turn when a person asked). */
  liveState(agreementId: string, forPerson?: string): Promise<Uint8Array> {
    return this.text.state(agreementId, forPerson);
  }

  /** Diffs two versions of one agreement (a snapshot id or `LIVE`), the older one first whatever the order asked; answers a DiffResult as JSON text. */
  async diff(agreementId: string, fromId: string, toId: string, forPerson: string): Promise<string> {
    // The person waits for it on screen: their work (at the server's priority within their allowance).
    return this.personWork.run({ kind: 'diff', ...(await this.diffJob(agreementId, fromId, toId, forPerson)) }, forPerson);
  }

  /** Two versions of one agreement (a snapshot id or `LIVE`) as a diff for the worker, the older one first whatever the order asked. */
  async diffJob(agreementId: string, fromId: string, toId: string, forPerson?: string): Promise<DiffJob> {
    return (await this.diffVersions(agreementId, fromId, toId, forPerson)).job;
  }

  /**
   * diffJob, with each version's records as kept with it (`contexts`, in the job's order): a snapshot's own, the
   * records now for the live text, none for a snapshot kept before its records were. They stay on this thread.
   */
  async diffVersions(
    agreementId: string,
    fromId: string,
    toId: string,
    forPerson?: string,
  ): Promise<{ job: DiffJob; contexts: { from: SnapshotContext | undefined; to: SnapshotContext | undefined } }> {
    const version = async (versionId: string) => {
      if (versionId === LIVE) {
        const [state, context] = await Promise.all([this.text.parts(agreementId), this.liveContext(agreementId)]);
        return { id: LIVE, label: 'Live text', createdAt: new Date().toISOString(), state, context };
      }
      const { record, state } = await this.load(agreementId, versionId);
      await this.assertIntact(record, state, forPerson);
      return { id: record.id, label: record.label, createdAt: record.createdAt, state, context: record.context };
    };
    let [from, to] = await Promise.all([version(fromId), version(toId)]);
    if (from.createdAt > to.createdAt) [from, to] = [to, from];
    const strip = ({ id, label, createdAt }: typeof from) => ({ id, label, createdAt });
    const versions = { from: strip(from), to: strip(to) };
    const job = { from: from.state, to: to.state, authorship: await this.authorship.read(agreementId), versions };
    return { job, contexts: { from: from.context, to: to.context } };
  }

  /**
   * Refuses a snapshot whose stored state no longer hashes to its fingerprint: compared as if it were the text
   * taken, a forgery would read as what was agreed. A state checked before (a listing, its taking) is not hashed again.
   */
  private async assertIntact(record: SnapshotRecord, state: Uint8Array, forPerson?: string): Promise<void> {
    const stateDigest = digest(state);
    const known = this.checked.get(record);
    let hash = known?.digest === stateDigest ? known.hash : undefined;
    if (hash === undefined) {
      hash = await this.fingerprintOf(record, state, stateDigest, forPerson);
      // Kept without a stamp: the next listing reads the state once more to note its stamp, but hashes it no more.
      this.checked.set(record, { digest: stateDigest, hash });
    }
    if (hash !== record.hash) throw snapshotAltered();
  }

  /**
   * The attributed diff of one objective from the moment a party stated its stance on it
   * until now (the text of that moment is kept by the stance service); answers JSON text.
   */
  async objectiveChanges(agreement: AgreementRecord, objectiveId: string, partyId: string, forPerson: string): Promise<string> {
    const party = agreement.parties.find((p) => p.id === partyId);
    if (!party) throw notFound(ErrorCode.UnknownParty, 'no such party in this agreement');
    const { stance, state } = await stanceWithBasis(this.deps.rooms, agreement.id, objectiveId, party.id);
    if (!stance) throw notFound(ErrorCode.ObjectiveNotFound, `${party.name} has stated no stance on this objective`);
    if (!state)
      throw notFound(
        ErrorCode.SnapshotNotFound,
        `the text this stance was stated on is not kept: the stance is older than this record, or ${party.name} has stated stances on ${TEXTS_KEPT_PER_PARTY} other texts since`,
      );
    const versions = {
      from: { id: 'stance', label: `When ${party.name} stated its stance`, createdAt: stance.at },
      to: { id: LIVE, label: 'Live text', createdAt: new Date().toISOString() },
    };
    const live = await this.text.parts(agreement.id);
    return this.personWork.run({ kind: 'diff', from: state, to: live, authorship: await this.authorship.read(agreement.id), versions, objectiveId }, forPerson);
  }

  /** A snapshot (or `LIVE`) as a file to download. */
  export(agreement: AgreementRecord, snapshotId: string, format: ExportFormat, forPerson: string): Promise<ExportFile> {
    return exportDocument(this, this.worker, agreement, snapshotId, format, forPerson);
  }

  /**
   * Makes a snapshot's text the live text, as one ordinary change (only what differs is
   * rewritten, so everyone's editor follows and the diff shows just that). The text
   * before it is kept first as a snapshot of its own.
   */
  restore(agreementId: string, snapshotId: string, by: Author): Promise<{ restored: SnapshotSummary; before: SnapshotSummary }> {
    return new Promise((resolve, reject) => {
      void this.serial(agreementId, async () => {
        const late: { copy?: Promise<unknown> } = {};
        // Answered as soon as the restore is done or has given up; the next snapshot of this agreement still
        // waits for a copy of the text before that storage was slow to take: kept meanwhile, the two would
        // name the same predecessor and fork the chain.
        await this.restoreNow(agreementId, snapshotId, by, late).then(resolve, reject);
        await late.copy?.catch(() => {});
      });
    });
  }

  private async restoreNow(
    agreementId: string,
    snapshotId: string,
    by: Author,
    late: { copy?: Promise<unknown> },
  ): Promise<{ restored: SnapshotSummary; before: SnapshotSummary }> {
    const { record, state } = await this.load(agreementId, snapshotId);
    // The person who restores waits for it, and everyone's words wait while the text before is fingerprinted
    // (storeAfter, below): both run as that person's work, at the server's priority within their allowance.
    const { content, hash } = await this.personWork.run({ kind: 'content', state, prevHash: record.prevHash }, by.personId);
    // An altered snapshot is not the text anyone agreed: restoring it would make a forgery the live text.
    if (hash !== record.hash) throw snapshotAltered();
    // A snapshot taken before owners and indicators were fields goes back with them in their fields.
    const target = documentSchema().nodeFromJSON(mapObjectives(content, unfoldedObjective));
    const createdAt = new Date().toISOString();
    const tally = await this.quota.tally(agreementId, await this.deps.storage.listSnapshots(agreementId));
    // The room is held until the text before is stored: taken back, the change must land in the live document, not in
    // a copy unloaded meanwhile (with nobody connected, a room unloads as soon as it is let go).
    // The restore's change is stored (and sent out) only once the text it replaces is kept: stored at once, a
    // crash before the copy was written left the restored text live and the words it replaced in no file.
    const kept = await this.deps.rooms.with(contentRoom(agreementId), (room) =>
      room.storeAfter(async () => {
        // Capture and replace in one synchronous step: no edit can fall between the two. A long text is
        // captured as the updates it is made of and encoded in the document worker afterwards: encoding
        // 40 pages reworded for months here held every room's keystrokes 65 to 90 ms.
        const parts = room.encodeState && room.wholeStateNow();
        const encoded = parts ? undefined : Y.encodeStateAsUpdate(room.doc);
        // The text before is kept as a snapshot: refused here, before anything changes, when it would not fit
        // (a long text by its parts' bytes, as a rule at least what they encode to; store() checks the real size).
        tally.admit(by.personId, encoded?.byteLength ?? parts!.reduce((sum, part) => sum + part.byteLength, 0));
        const fragment = room.doc.getXmlFragment(CONTENT_FIELD);
        // As the server acting for the broker: the authorship log credits the restored text to them.
        const restoring = trackOneChange(fragment, () =>
          transactAs(room.doc, by, () => {
            updateYFragment(room.doc, fragment, target, { mapping: new Map(), isOMark: new Map() });
          }),
        );
        try {
          const copy = (async () => {
            const before = encoded ?? (await room.encodeState!(parts!));
            // Everyone's words wait for it (storeAfter): ahead of other people's turns.
            return this.store(agreementId, before, createdAt, `Before restoring “${record.label}”`, by, 'restore', { now: true });
          })();
          late.copy = copy;
          // Every other person's words wait while this one does (storeAfter): with a slow or absent storage the
          // restore gives up, taken back below, rather than freeze the live session for everyone.
          return await keptWithin(copy);
        } catch (err) {
          // Without the text before kept, the restore is taken back (its own change only: what others
          // typed meanwhile stays), so no work is left in no snapshot.
          transactAs(room.doc, by, () => restoring.undo());
          throw err;
        } finally {
          restoring.forget();
        }
      }),
    );
    await reanchorAfterRestore(this.deps, agreementId, state);
    await writeRecords(this.deps.rooms, agreementId, (doc) => logActivity(doc, by, 'snapshot.restored', `restored snapshot “${record.label}”`));
    return { restored: summaryOf(record), before: kept };
  }
}

function digest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** What the records room says now, copied generically (its shapes belong to other features). */
function recordsContext(doc: Y.Doc): SnapshotContext {
  const threads = doc.getMap<unknown>(RecordsKey.threads).toJSON() as Record<string, unknown>;
  const openThreads = Object.fromEntries(Object.entries(threads).filter(([, thread]) => !isResolved(thread)));
  const phaseLog = doc.getArray<PhaseChange>(RecordsKey.phaseLog);
  return {
    phase: doc.getMap<unknown>(RecordsKey.meta).get('phase') ?? null,
    phaseSince: phaseLog.length > 0 ? phaseLog.get(phaseLog.length - 1).at : null,
    quickWinDeliveries: doc.getMap<unknown>(RecordsKey.quickWinDeliveries).toJSON() as Record<string, unknown>,
    stances: doc.getMap<unknown>(RecordsKey.stances).toJSON() as Record<string, unknown>,
    openThreads,
    openSuggestions: pendingSuggestions(readSuggestions(doc)),
  };
}

function isResolved(thread: unknown): boolean {
  if (!thread || typeof thread !== 'object') return false;
  const t = thread as { resolved?: unknown; status?: unknown; resolvedAt?: unknown };
  return t.resolved === true || t.status === 'resolved' || (typeof t.resolvedAt === 'string' && t.resolvedAt.length > 0);
}
