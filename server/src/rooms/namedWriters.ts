import * as decoding from 'lib0/decoding';
import { MAX_NAMED_DELETION_RUNS, MAX_NAMED_WRITERS } from '#shared/protocol';
import type { Author } from '#shared/records';
import { awarenessEntries } from './awarenessGuard';
import { readWriterDeletions, readWriterIds } from '#shared/writerIds';
import { deleteSetRuns, intersectDeleteSets, subtractDeleteSets, type DeleteSet } from '#shared/deleteSets';
import * as Y from 'yjs';

/** What a room knows of one connection, to tell whose writing an unknown client id may be credited as. */
export interface WriterVouch {
  personId?: string;
  author?: Author;
  /** Ids the connection named as ones its device wrote with (MESSAGE_WRITER_IDS), at most {@link MAX_NAMED_WRITERS}. */
  namedIds: Set<number>;
  /** Awareness ids it speaks for now: a stock client's presence id is its doc's client id. */
  awarenessIds: Set<number>;
  /** What the connection named as deleted by its device (MESSAGE_WRITER_DELETIONS), merged, at most {@link MAX_NAMED_DELETION_RUNS} runs. */
  namedDeletions: DeleteSet;
  /** Set while the room applies the connection's answer to its sync request (a SyncStep2). */
  answering: boolean;
  /** Whether its first presence message has been read (see {@link announcedWriter}). */
  announced: boolean;
  /** The id its first presence message was sent under. */
  announcedId?: number;
}

/**
 * The id a connection's first presence message announces, once: y-websocket sends its own state
 * alone, under its doc's client id, as it connects, before it has heard anyone else's. The server
 * may not show it (a fresh client's empty state has clock 0, which y-protocols applies nowhere), but
 * it says which id the client writes with: a program that wrote before connecting sends those
 * words in its sync answer.
 */
export function announcedWriter(connection: WriterVouch, update: Uint8Array): number | undefined {
  if (connection.announced) return undefined;
  connection.announced = true;
  const entries = awarenessEntries(update);
  if (entries.length !== 1 || entries[0].removes) return undefined;
  connection.announcedId = entries[0].clientId;
  return connection.announcedId;
}

/**
 * Reads a MESSAGE_WRITER_IDS message (after its type) into `connection.namedIds`, up to
 * {@link MAX_NAMED_WRITERS} a connection; answers the ids newly named.
 */
export function nameWriters(connection: WriterVouch, decoder: decoding.Decoder): number[] {
  const added: number[] = [];
  for (const id of readWriterIds(decoder)) {
    if (connection.namedIds.size >= MAX_NAMED_WRITERS) break;
    if (connection.namedIds.has(id)) continue;
    connection.namedIds.add(id);
    added.push(id);
  }
  return added;
}

/**
 * Whether a change from `connection` may credit `clientId`, an id the authorship log does not know,
 * to its person. A sync answer holds whatever the page has that the server lacks: its own unsent
 * edits, but also others' words the server lost (its data put back from a backup, the moments before
 * a power cut), under ids that look the same. So it credits only ids the connection named or its
 * presence id (or the id its first presence message came under), and a connection that names its ids (the app's client) is held to that always. A stock
 * client's live update is credited as it always was: it sends its own edits. An id shown as another
 * person's presence is never this person's.
 */
export function vouches(connection: WriterVouch, presentAs: (clientId: number) => string | undefined, clientId: number): boolean {
  const present = presentAs(clientId);
  if (present !== undefined) return present === (connection.personId ?? connection.author?.personId);
  if (connection.namedIds.has(clientId) || connection.awarenessIds.has(clientId) || connection.announcedId === clientId) return true;
  return !connection.answering && connection.namedIds.size === 0;
}

/**
 * Reads a MESSAGE_WRITER_DELETIONS message (after its type) into `connection.namedDeletions`,
 * while it holds under {@link MAX_NAMED_DELETION_RUNS} runs; answers what the message named.
 */
export function nameDeletions(connection: WriterVouch, decoder: decoding.Decoder): DeleteSet {
  const named = readWriterDeletions(decoder);
  const merged = Y.mergeDeleteSets([connection.namedDeletions, named]);
  if (deleteSetRuns(merged) <= MAX_NAMED_DELETION_RUNS) connection.namedDeletions = merged;
  return named;
}

/**
 * Which of a change's deletions its connection's person may be credited with (`own`), and which
 * are nobody's until their deleter names them. A delete set names no deleter, and a sync answer
 * holds the page's own unsent deletions beside others' the server lost: of an answer, only what the
 * connection named is its person's. A live update sends its sender's own edits: all of it is theirs.
 */
export function vouchedDeletions(connection: WriterVouch, deleted: DeleteSet): { own: DeleteSet; unclaimed?: DeleteSet } {
  if (!connection.answering) return { own: deleted };
  // Intersection and difference read sorted, merged runs: a copy, made only for a sync answer (not on each live keystroke).
  const sorted = Y.mergeDeleteSets([deleted]);
  const own = intersectDeleteSets(sorted, connection.namedDeletions);
  return { own, unclaimed: subtractDeleteSets(sorted, own) };
}
