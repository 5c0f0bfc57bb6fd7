import type { Storage } from '../../server/src/storage/port';

/** One room update whose commit is held open by the test. */
export interface HeldCommit {
  room: string;
  /** Commits it now (to the storage underneath) and lets the room relay it. */
  release(): Promise<void>;
  /** Fails it, as a commit cut short by the instance's death would: nothing is stored. */
  fail(err: unknown): void;
}

/**
 * A storage that commits asynchronously, as PostgreSQL does, around a real one; a test can
 * hold the next commit of a room open and decide when (and whether) it lands.
 */
export class HeldStorage implements Storage {
  private holdRoom: string | undefined;
  /** The commit being held, once the room has asked for it. */
  held: HeldCommit | undefined;

  constructor(private readonly inner: Storage) {}

  /** The next update of `room` is not committed until the test releases it. */
  holdNext(room: string): void {
    this.holdRoom = room;
    this.held = undefined;
  }

  appendUpdate(room: string, update: Uint8Array): Promise<void> {
    if (room !== this.holdRoom) return Promise.resolve(this.inner.appendUpdate(room, update));
    this.holdRoom = undefined;
    return new Promise<void>((resolve, reject) => {
      this.held = {
        room,
        release: async () => {
          await this.inner.appendUpdate(room, update);
          resolve();
        },
        fail: reject,
      };
    });
  }

  loadRoom: Storage['loadRoom'] = (room) => this.inner.loadRoom(room);
  logMark: Storage['logMark'] = (room) => this.inner.logMark(room);
  compactRoom: Storage['compactRoom'] = (room, state, upTo) => this.inner.compactRoom(room, state, upTo);
  pendingLogLength: Storage['pendingLogLength'] = (room) => this.inner.pendingLogLength(room);
  createAgreement: Storage['createAgreement'] = (record) => this.inner.createAgreement(record);
  getAgreement: Storage['getAgreement'] = (id) => this.inner.getAgreement(id);
  addPerson: Storage['addPerson'] = (agreementId, person) => this.inner.addPerson(agreementId, person);
  updatePerson: Storage['updatePerson'] = (agreementId, personId, change) => this.inner.updatePerson(agreementId, personId, change);
  appendAudit: Storage['appendAudit'] = (agreementId, entry) => this.inner.appendAudit(agreementId, entry);
  listAudit: Storage['listAudit'] = (agreementId) => this.inner.listAudit(agreementId);
  saveSnapshot: Storage['saveSnapshot'] = (record, state) => this.inner.saveSnapshot(record, state);
  listSnapshots: Storage['listSnapshots'] = (agreementId) => this.inner.listSnapshots(agreementId);
  loadSnapshot: Storage['loadSnapshot'] = (agreementId, id) => this.inner.loadSnapshot(agreementId, id);
  snapshotStates: Storage['snapshotStates'] = (agreementId) => this.inner.snapshotStates(agreementId);
  loadSecret: Storage['loadSecret'] = (generate) => this.inner.loadSecret(generate);
  flush: Storage['flush'] = () => this.inner.flush();
  close: Storage['close'] = () => this.inner.close();
}
