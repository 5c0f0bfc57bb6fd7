import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Identity } from '#shared/protocol';
import { canComment } from '#shared/roles';
import {
  MAX_COMMENT_LENGTH,
  MAX_MENTIONS,
  type CreateThreadRequest,
  type EditCommentRequest,
  type ReplyRequest,
} from '#shared/threads';
import type { AppContext } from '../context';
import { TextFormat } from '#shared/text';
import {
  checkAnchor,
  checkMentions,
  createThread,
  deleteComment,
  editComment,
  listThreads,
  replyToThread,
  setResolved,
  threadScope,
} from '../records/threads';
import { findAgreement } from './agreements';
import { badRequest, forbidden } from './errors';
import { requireIdentity } from './identity';

const id = { type: 'string', minLength: 1, maxLength: 64 } as const;
const body = { type: 'string', minLength: 1, maxLength: MAX_COMMENT_LENGTH, pattern: '\\S', format: TextFormat.text } as const;
const mentions = {
  type: 'array',
  maxItems: MAX_MENTIONS,
  items: {
    type: 'object',
    required: ['kind', 'id'],
    additionalProperties: false,
    properties: { kind: { type: 'string', enum: ['person', 'party'] }, id },
  },
} as const;
const anchor = {
  type: 'object',
  required: ['start', 'end'],
  additionalProperties: false,
  properties: { start: { type: 'string', minLength: 1, maxLength: 256 }, end: { type: 'string', minLength: 1, maxLength: 256 } },
} as const;
/** `?caucus=1` addresses the asker's caucus (commands may also say `"caucus": true` in their body). */
const caucusQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { caucus: { type: 'string', enum: ['1', '0', 'true', 'false'] } },
} as const;

const agreementParams = { type: 'object', required: ['id'], properties: { id } } as const;
const threadParams = { type: 'object', required: ['id', 'threadId'], properties: { id, threadId: id } } as const;
const commentParams = { type: 'object', required: ['id', 'threadId', 'commentId'], properties: { id, threadId: id, commentId: id } } as const;
const flagBody = { type: 'object', additionalProperties: false, properties: { caucus: { type: 'boolean' } } } as const;

type Query = { caucus?: string };

function wantsCaucus(request: FastifyRequest<{ Querystring: Query }>): boolean {
  const fromQuery = request.query?.caucus === '1' || request.query?.caucus === 'true';
  const fromBody = typeof request.body === 'object' && request.body !== null && (request.body as { caucus?: unknown }).caucus === true;
  return fromQuery || fromBody;
}

/** The asker, who must be allowed to write threads. */
async function commenter(ctx: AppContext, request: FastifyRequest, agreementId: string): Promise<Identity> {
  const me = await requireIdentity(ctx.access, request, agreementId);
  if (!canComment(me.role)) throw forbidden('observers read threads but cannot write them');
  await findAgreement(ctx, agreementId);
  return me;
}

/**
 * Comment threads. Clients never write the records or caucus rooms: they ask here, the
 * server checks role, party and authorship, then writes the change into the room, and
 * every client sees it live through the room's sync.
 */
export function threadRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: { id: string }; Querystring: Query }>(
    '/api/agreements/:id/threads',
    { schema: { params: agreementParams, querystring: caucusQuery } },
    async (request) => {
      const me = await requireIdentity(ctx.access, request, request.params.id);
      await findAgreement(ctx, request.params.id);
      return { threads: await listThreads(ctx, me.agreementId, threadScope(me, wantsCaucus(request))) };
    },
  );

  app.post<{ Params: { id: string }; Querystring: Query; Body: CreateThreadRequest }>(
    '/api/agreements/:id/threads',
    {
      schema: {
        params: agreementParams,
        querystring: caucusQuery,
        body: {
          type: 'object',
          required: ['body'],
          additionalProperties: false,
          properties: { anchor, body, caucus: { type: 'boolean' }, mentions },
        },
      },
    },
    async (request, reply) => {
      const me = await commenter(ctx, request, request.params.id);
      const scope = threadScope(me, wantsCaucus(request));
      const record = await findAgreement(ctx, me.agreementId);
      const found = checkMentions(record, request.body.mentions);
      const { anchor: given } = request.body;
      if (!given && !scope.caucus) throw badRequest('a thread is about a passage: give "anchor" (only a caucus note may have none)');
      const quote = given ? await checkAnchor(ctx, me.agreementId, given) : undefined;
      const thread = await createThread(ctx, me, scope, { anchor: given, quote, body: request.body.body.trim(), mentions: found });
      reply.code(201);
      return { thread };
    },
  );

  app.post<{ Params: { id: string; threadId: string }; Querystring: Query; Body: ReplyRequest }>(
    '/api/agreements/:id/threads/:threadId/comments',
    {
      schema: {
        params: threadParams,
        querystring: caucusQuery,
        body: { type: 'object', required: ['body'], additionalProperties: false, properties: { body, caucus: { type: 'boolean' }, mentions } },
      },
    },
    async (request, reply) => {
      const me = await commenter(ctx, request, request.params.id);
      const scope = threadScope(me, wantsCaucus(request));
      const found = checkMentions(await findAgreement(ctx, me.agreementId), request.body.mentions);
      const result = await replyToThread(ctx, me, scope, request.params.threadId, { body: request.body.body.trim(), mentions: found });
      reply.code(201);
      return result;
    },
  );

  app.patch<{ Params: { id: string; threadId: string; commentId: string }; Querystring: Query; Body: EditCommentRequest }>(
    '/api/agreements/:id/threads/:threadId/comments/:commentId',
    {
      schema: {
        params: commentParams,
        querystring: caucusQuery,
        body: { type: 'object', required: ['body'], additionalProperties: false, properties: { body, caucus: { type: 'boolean' }, mentions } },
      },
    },
    async (request) => {
      const me = await commenter(ctx, request, request.params.id);
      const scope = threadScope(me, wantsCaucus(request));
      const found = request.body.mentions ? checkMentions(await findAgreement(ctx, me.agreementId), request.body.mentions) : undefined;
      const { threadId, commentId } = request.params;
      return editComment(ctx, me, scope, threadId, commentId, { body: request.body.body.trim(), mentions: found });
    },
  );

  app.delete<{ Params: { id: string; threadId: string; commentId: string }; Querystring: Query }>(
    '/api/agreements/:id/threads/:threadId/comments/:commentId',
    { schema: { params: commentParams, querystring: caucusQuery } },
    async (request) => {
      const me = await commenter(ctx, request, request.params.id);
      const scope = threadScope(me, wantsCaucus(request));
      return { thread: await deleteComment(ctx, me, scope, request.params.threadId, request.params.commentId) };
    },
  );

  for (const [action, resolved] of [['resolve', true], ['reopen', false]] as const) {
    app.post<{ Params: { id: string; threadId: string }; Querystring: Query; Body: { caucus?: boolean } | undefined }>(
      `/api/agreements/:id/threads/:threadId/${action}`,
      {
        schema: { params: threadParams, querystring: caucusQuery, body: flagBody },
        // These commands need no body: an empty request is an empty object.
        preValidation: async (request) => {
          request.body ??= {};
        },
      },
      async (request) => {
        const me = await commenter(ctx, request, request.params.id);
        const scope = threadScope(me, wantsCaucus(request));
        return { thread: await setResolved(ctx, me, scope, request.params.threadId, resolved) };
      },
    );
  }
}
