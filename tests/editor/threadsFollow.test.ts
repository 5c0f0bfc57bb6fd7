import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { AgreementView } from '#shared/protocol';
import { storedComments, threadsOf, toStoredThread, type StoredThread } from '#shared/threadStore';
import type { Thread } from '#shared/threads';
import { CommentsController } from '../../client/src/comments/CommentsController';

/** The client follows threads stored as entries of their own: a reply inside one reaches the panel. */

const author = { personId: 'p', name: 'B', role: 'broker' as const };
const thread = (id: string): Thread => ({
  id,
  createdBy: author,
  createdAt: new Date(0).toISOString(),
  resolved: false,
  comments: [{ id: `${id}-1`, body: 'First.', author, createdAt: new Date(0).toISOString() }],
  mentions: [],
});

describe('the comments controller follows stored threads', () => {
  it('a reply, an edit and a resolve inside a thread show live; other threads keep their items', () => {
    // The server's doc, synced into the client's doc as the records room would be.
    const server = new Y.Doc();
    const client = new Y.Doc();
    server.on('update', (update: Uint8Array) => Y.applyUpdate(client, update));
    threadsOf(server).set('a', toStoredThread(thread('a')));
    threadsOf(server).set('b', toStoredThread(thread('b')));

    const controller = new CommentsController({
      id: 'x',
      title: 'X',
      parties: [],
      me: { personId: 'p', role: 'broker', name: 'B' },
    } as unknown as AgreementView);
    controller.followRoom('shared', client);
    const item = (id: string) => controller.getSnapshot().shared.find((i) => i.thread.id === id)!;
    const before = item('b');
    expect(item('a').thread.comments).toHaveLength(1);

    const stored = threadsOf(server).get('a') as StoredThread;
    storedComments(stored).push([{ id: 'a-2', body: 'A reply.', author, createdAt: new Date(1).toISOString() }]);
    expect(item('a').thread.comments.map((c) => c.body)).toEqual(['First.', 'A reply.']);
    server.transact(() => {
      storedComments(stored).delete(0, 1);
      storedComments(stored).insert(0, [{ ...thread('a').comments[0], body: 'First, edited.' }]);
      stored.set('resolved', true);
    });
    expect(item('a').thread).toMatchObject({ resolved: true, comments: [{ body: 'First, edited.' }, { body: 'A reply.' }] });
    expect(item('b')).toBe(before);

    threadsOf(server).delete('a');
    expect(controller.getSnapshot().shared.map((i) => i.thread.id)).toEqual(['b']);
  });
});
