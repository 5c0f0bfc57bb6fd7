import type { ApiPlugin } from '../../http/schemas';
import * as schemas from './schemas';
import type { ThreadService } from './service';

/** True when the request addresses the asker's caucus, by `?caucus=1` or `"caucus": true`. */
function wantsCaucus(query: { caucus?: string } | undefined, body: unknown): boolean {
  const fromBody = typeof body === 'object' && body !== null && (body as { caucus?: unknown }).caucus === true;
  return query?.caucus === '1' || query?.caucus === 'true' || fromBody;
}

/** Comment threads, under /api/agreements/:id (registered in the agreement scope). */
export const threadsPlugin: ApiPlugin<{ threads: ThreadService }> = async (app, { threads }) => {
  app.get('/threads', { schema: schemas.list, config: { may: 'read' } }, async (request) => ({
    threads: await threads.list(request.me, wantsCaucus(request.query, request.body)),
  }));

  app.post('/threads', { schema: schemas.create, config: { may: 'comment' } }, async (request, reply) => {
    const thread = await threads.create(request.me, request.agreement, request.body, wantsCaucus(request.query, request.body));
    reply.code(201);
    return { thread };
  });

  app.post('/threads/:threadId/comments', { schema: schemas.reply, config: { may: 'comment' } }, async (request, reply) => {
    const result = await threads.reply(request.me, request.agreement, request.params.threadId, request.body, wantsCaucus(request.query, request.body));
    reply.code(201);
    return result;
  });

  app.patch('/threads/:threadId/comments/:commentId', { schema: schemas.edit, config: { may: 'comment' } }, async (request) => {
    const { threadId, commentId } = request.params;
    return threads.edit(request.me, request.agreement, threadId, commentId, request.body, wantsCaucus(request.query, request.body));
  });

  app.delete('/threads/:threadId/comments/:commentId', { schema: schemas.remove, config: { may: 'comment' } }, async (request) => ({
    thread: await threads.delete(request.me, request.params.threadId, request.params.commentId, wantsCaucus(request.query, request.body)),
  }));

  for (const [action, resolved] of [
    ['resolve', true],
    ['reopen', false],
  ] as const) {
    app.post(
      `/threads/:threadId/${action}`,
      {
        schema: schemas.setResolved,
        config: { may: 'comment' },
        // These commands need no body: an empty request is an empty object.
        preValidation: async (request) => {
          request.body ??= {};
        },
      },
      async (request) => ({ thread: await threads.setResolved(request.me, request.params.threadId, resolved, wantsCaucus(request.query, request.body)) }),
    );
  }
};
