import { MAX_COMMENT_LENGTH } from '#shared/threads';
import { MAX_SUGGESTION_BLOCKS, MAX_SUGGESTION_TEXT, SUGGESTABLE_MARKS } from '#shared/suggestions';
import { TextFormat } from '#shared/text';
import { nonEmptyText, params } from '../../http/schemas';
import { blockSchema } from './blockSchema';

const anchor = {
  type: 'object',
  required: ['start', 'end'],
  additionalProperties: false,
  properties: { start: { type: 'string', minLength: 1, maxLength: 256 }, end: { type: 'string', minLength: 1, maxLength: 256 } },
} as const;

/** `GET /api/agreements/:id/suggestions` */
export const list = { params: params() } as const;

/** `POST /api/agreements/:id/suggestions` */
export const create = {
  params: params(),
  body: {
    type: 'object',
    required: ['anchor'],
    additionalProperties: false,
    properties: {
      anchor,
      // No line breaks: a new line is a new block, suggested as `blocks`.
      text: { type: 'string', maxLength: MAX_SUGGESTION_TEXT, pattern: '^[^\\n\\r]*$', format: TextFormat.text },
      // ProseMirror JSON, depth-bounded here; the shared schema checks what it means (blockCheck.ts).
      blocks: { type: 'array', maxItems: MAX_SUGGESTION_BLOCKS, items: blockSchema },
      format: {
        type: 'object',
        required: ['mark', 'on'],
        additionalProperties: false,
        properties: { mark: { type: 'string', enum: SUGGESTABLE_MARKS }, on: { type: 'boolean' } },
      },
    },
  },
} as const;

/** `POST …/suggestions/:suggestionId/accept` and `/reject` (no body needed) */
export const decide = { params: params('suggestionId') } as const;

/** `POST …/suggestions/accept-all` and `/reject-all` */
export const decideAll = {
  params: params(),
  body: { type: 'object', additionalProperties: false, properties: { person: { $ref: 'id#' }, party: { $ref: 'id#' } } },
} as const;

/** `POST …/suggestions/:suggestionId/comments` */
export const reply = {
  params: params('suggestionId'),
  body: { type: 'object', required: ['body'], additionalProperties: false, properties: { body: nonEmptyText(MAX_COMMENT_LENGTH) } },
} as const;

/** `PUT …/suggest-only` */
export const suggestOnly = {
  params: params(),
  body: { type: 'object', required: ['on'], additionalProperties: false, properties: { on: { type: 'boolean' } } },
} as const;

/** `GET …/redline?from=<snapshotId or live>&to=<snapshotId or live>`; without `from`, the live text with the open suggestions. */
export const redline = {
  params: params(),
  querystring: { type: 'object', additionalProperties: false, properties: { from: { $ref: 'id#' }, to: { $ref: 'id#' } } },
} as const;
