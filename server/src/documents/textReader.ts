import type { JSONContent } from '@tiptap/core';
import { contentRoom } from '#shared/rooms';
import type { RoomManager } from '../rooms/RoomManager';
import type { DocumentWorker } from '../features/snapshots/diff/DocumentWorker';
import type { HashedObjective } from './documentReader';
import type { TextReadKind } from './textRead';
import type { PersonWork } from './personWork';

/**
 * Reads the live text for a person's request (a stance, a consent round, the objectives list; a
 * snapshot, comparison or export of the live text) in a document worker, in that person's
 * turn. Read on the main thread it held the event loop, every room's sync with it: 80 ms for
 * 40 pages, 400 ms for 40 pages reworded for months, for each request. The room hands over the
 * state it keeps for newcomers, so nothing of a long text is encoded here either.
 *
 * The reads a click waits on (objectives, a stance's basis, the whole text as JSON, a snapshot's state)
 * run as a person's work (personWork.ts: at the server's own priority while their allowance lasts);
 * the whole state for exports and a phase change's snapshot in the background worker (a comparison takes the
 * state's parts as they are, `parts`).
 */
export class TextReader {
  constructor(
    private readonly rooms: RoomManager,
    private readonly personWork: PersonWork,
    private readonly background: DocumentWorker,
  ) {}

  async objectives(agreementId: string, forPerson: string): Promise<HashedObjective[]> {
    return (await this.read(agreementId, 'objectives', forPerson)).objectives ?? [];
  }

  /** The objectives and the whole state they were read from (the basis a stance is stated on). */
  async objectivesAndState(agreementId: string, forPerson: string): Promise<{ objectives: HashedObjective[]; state: Uint8Array }> {
    const { objectives = [], state } = await this.read(agreementId, 'objectivesAndState', forPerson);
    if (!state) throw new Error('the document worker read no state');
    return { objectives, state };
  }

  async document(agreementId: string, forPerson: string): Promise<JSONContent> {
    const { document } = await this.read(agreementId, 'document', forPerson);
    return JSON.parse(document ?? '{}') as JSONContent;
  }

  /**
   * The whole state as one update (a snapshot or an export of the live text). A
   * text small enough that the room keeps no state for it is encoded on the main thread (a few
   * milliseconds); the kept state and the changes since are made one in a worker: as `forPerson`'s
   * work when `waitedOn` (a snapshot they take), else in the background worker in their turn. With
   * no changes since, the answer is the room's kept state itself: read it, never move it to a
   * worker (that empties the room's copy) or change it.
   */
  async state(agreementId: string, forPerson?: string, waitedOn = false): Promise<Uint8Array> {
    const parts = await this.parts(agreementId);
    if (parts.length === 1) return parts[0];
    const job = { kind: 'text', parts, read: 'state' } as const;
    const { state } = waitedOn && forPerson ? await this.personWork.run(job, forPerson) : await this.background.run(job, [], forPerson);
    if (!state) throw new Error('the document worker read no state');
    return state;
  }

  /**
   * The whole state as updates that apply in order (the room's kept state and its changes since),
   * for a worker job that applies them anyway (a comparison): making them one first cost a job of
   * its own, 0.6 s for 40 pages reworded for months. Read only, never moved to a worker or changed.
   */
  parts(agreementId: string): Promise<Uint8Array[]> {
    return this.rooms.with(contentRoom(agreementId), (room) => room.wholeState());
  }

  private async read(agreementId: string, read: TextReadKind, forPerson: string) {
    return this.personWork.run({ kind: 'text', parts: await this.parts(agreementId), read }, forPerson);
  }
}
