import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import type { JoinOptions, RoomSocket } from './socket';
import type { KeptState } from './keptState';
import type { RoomLog } from './roomLog';
import { syncMessage, updateMessage } from './messages';
import { holdsNothing } from './newcomerState';
import { catchUp, changesSince } from './changesSince';
import { DEFLATE_FROM_BYTES, deflatedSyncStep2 } from './deflatedSync';
import { textStructsMessage } from './textStructs';

/** What answering a SyncStep1 reads of its room. */
export interface SyncAnswerSource {
  doc: Y.Doc;
  kept: KeptState;
  /** How many changes were made and stored, and when all are stored. */
  log: Pick<RoomLog, 'changeCount' | 'storedCount' | 'whenStored'>;
}

/** What a connection reads of an answer: deflated, and the struct count first ({@link JoinOptions}). */
export type AnswerReader = Pick<JoinOptions, 'deflatedSync' | 'textStructs'>;

/**
 * The answer to a SyncStep1 holds only what is stored: taken now, it is sent once every
 * change it contains is committed. A newcomer joining during a commit (PostgreSQL) would
 * otherwise be sent an update that dies with this instance if the commit never lands.
 * `joined` tells, when it is ready, whether the socket is still in the room.
 */
export function answerSyncStep1(
  room: SyncAnswerSource,
  socket: RoomSocket,
  stateVector: Uint8Array,
  reader: AnswerReader | undefined,
  joined: () => boolean,
): void {
  const { messages, upTo } = syncStep2For(room, stateVector, reader?.deflatedSync ?? false);
  // Told first, so the client knows how to apply the whole text before it arrives.
  if (reader?.textStructs && holdsNothing(stateVector)) socket.send(textStructsMessage(room.doc));
  const send = (ready: Uint8Array[]) => ready.forEach((message) => socket.send(message));
  const allReady = messages.every((message): message is Uint8Array => message instanceof Uint8Array) ? messages : undefined;
  if (allReady && room.log.storedCount >= upTo) return send(allReady);
  Promise.all([Promise.all(messages.map(async (message) => message)), room.log.storedCount >= upTo ? undefined : room.log.whenStored()]).then(
    ([ready]) => {
      if (joined()) send(ready);
    },
    // The room was dropped: its connections are closed, and they resync wherever it is served next.
    () => {},
  );
}

/**
 * What a SyncStep1 is answered with, holding the changes up to `upTo`. A newcomer holding
 * nothing gets what changed since the kept whole state, as an update, and then that state as
 * the SyncStep2. In that order: the stock provider says it is synced on the SyncStep2, and a
 * program reading the text then must find all of it. Yjs holds the update until the state it
 * builds on arrives, a message later. With `deflated` (the client reads it), a long answer comes
 * deflated, once that is done (deflatedSync.ts).
 */
function syncStep2For(
  { doc, kept, log }: SyncAnswerSource,
  stateVector: Uint8Array,
  deflated: boolean,
): { messages: (Uint8Array | Promise<Uint8Array>)[]; upTo: number } {
  const answer = (update: Uint8Array) =>
    deflated && update.length >= DEFLATE_FROM_BYTES ? deflatedSyncStep2(update) : syncMessage(syncProtocol.messageYjsSyncStep2, update);
  if (!holdsNothing(stateVector)) return { messages: [answer(catchUp(doc, stateVector, () => kept.keptDeletions().encoded()))], upTo: log.changeCount };
  const { state, upTo, since } = kept.newcomers.answer(
    () => Y.encodeStateAsUpdate(doc),
    log.changeCount,
    (stateVector) => changesSince(doc, stateVector),
  );
  const messages: (Uint8Array | Promise<Uint8Array>)[] = since ? [updateMessage(since)] : [];
  messages.push(answer(state));
  return { messages, upTo };
}
