import { TextFormat } from '#shared/text';
import { MAX_COMMENT_LENGTH, MAX_MENTIONS } from '#shared/threads';
import { params } from '../../http/schemas';

const body = { type: 'string', minLength: 1, maxLength: MAX_COMMENT_LENGTH, pattern: '\\S', format: TextFormat.text } as const;
const mentions = {
  type: 'array',
  maxItems: MAX_MENTIONS,
  items: {
    type: 'object',
    required: ['kind', 'id'],
    additionalProperties: false,
    properties: { kind: { type: 'string', enum: ['person', 'party'] }, id: { $ref: 'id#' } },
  },
} as const;
/** A passage of the text: two base64 Yjs relative positions (threads, parked points). */
export const anchor = {
  type: 'object',
  required: ['start', 'end'],
  additionalProperties: false,
  properties: { start: { type: 'string', minLength: 1, maxLength: 256 }, end: { type: 'string', minLength: 1, maxLength: 256 } },
} as const;
/** `?caucus=1` addresses the asker's caucus (commands may also say `"caucus": true` in their body). */
const querystring = {
  type: 'object',
  additionalProperties: false,
  properties: { caucus: { type: 'string', enum: ['1', '0', 'true', 'false'] } },
} as const;
const caucus = { type: 'boolean' } as const;
/** An id the client chose for what it makes (a retry after a lost answer names the same one). */
const chosenId = { type: 'string', pattern: '^[A-Za-z0-9_-]{8,64}$' } as const;

/** `GET /api/agreements/:id/threads` */
export const list = { params: params(), querystring } as const;

/** `POST /api/agreements/:id/threads` */
export const create = {
  params: params(),
  querystring,
  body: {
    type: 'object',
    required: ['body'],
    additionalProperties: false,
    properties: { id: chosenId, anchor, body, caucus, party: { $ref: 'id#' }, mentions },
  },
} as const;

/** `POST …/threads/:threadId/comments` */
export const reply = {
  params: params('threadId'),
  querystring,
  body: { type: 'object', required: ['body'], additionalProperties: false, properties: { id: chosenId, body, caucus, mentions } },
} as const;

/** `PATCH …/threads/:threadId/comments/:commentId` */
export const edit = {
  params: params('threadId', 'commentId'),
  querystring,
  body: { type: 'object', required: ['body'], additionalProperties: false, properties: { body, caucus, mentions } },
} as const;

/** `DELETE …/threads/:threadId/comments/:commentId` */
export const remove = { params: params('threadId', 'commentId'), querystring } as const;

/** `POST …/threads/:threadId/resolve` and `/reopen` */
export const setResolved = {
  params: params('threadId'),
  querystring,
  body: { type: 'object', additionalProperties: false, properties: { caucus } },
} as const;
