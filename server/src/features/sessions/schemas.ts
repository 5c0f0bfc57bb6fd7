import { AGENDA_KINDS, ROUND_ANSWERS } from '#shared/sessions';
import { EXPORT_FORMATS } from '#shared/snapshots';
import { TextFormat } from '#shared/text';
import { nonEmptyText, params } from '../../http/schemas';
import { anchor } from '../threads/schemas';
import { MAX_CAUCUS_MINUTES } from './service';

const id = { $ref: 'id#' } as const;

export const MAX_AGENDA_ITEMS = 50;

const agenda = {
  type: 'array',
  maxItems: MAX_AGENDA_ITEMS,
  items: {
    type: 'object',
    required: ['kind', 'title', 'plannedMinutes'],
    additionalProperties: false,
    properties: {
      id,
      kind: { type: 'string', enum: AGENDA_KINDS },
      title: nonEmptyText(200),
      plannedMinutes: { type: 'integer', minimum: 1, maximum: 600 },
      objectiveId: id,
      section: { type: 'string', maxLength: 300, format: TextFormat.line },
    },
  },
} as const;

/** `GET …/sessions` */
export const list = { params: params() } as const;

/** `POST …/sessions` */
export const plan = {
  params: params(),
  body: { type: 'object', required: ['title', 'agenda'], additionalProperties: false, properties: { title: nonEmptyText(200), agenda } },
} as const;

/** `POST …/sessions/:sessionId/start`, `/end`, `/hands`, `GET …/minutes` */
export const session = { params: params('sessionId') } as const;

/** `PUT …/sessions/:sessionId/agenda` */
export const setAgenda = {
  params: params('sessionId'),
  body: {
    type: 'object',
    required: ['agenda'],
    additionalProperties: false,
    // `version`: the session's `agendaVersion` the agenda was edited from; without it the last save wins.
    properties: { title: nonEmptyText(200), agenda, version: { type: 'integer', minimum: 0 } },
  },
} as const;

/** `POST …/sessions/:sessionId/current` */
export const moveTo = {
  params: params('sessionId'),
  body: { type: 'object', required: ['itemId'], additionalProperties: false, properties: { itemId: id } },
} as const;

/** `POST …/sessions/:sessionId/rounds` */
export const openRound = {
  params: params('sessionId'),
  body: { type: 'object', additionalProperties: false, properties: { objectiveId: id } },
} as const;

/** `POST …/rounds/:roundId/answers` */
export const answer = {
  params: params('sessionId', 'roundId'),
  body: {
    type: 'object',
    required: ['answer'],
    additionalProperties: false,
    properties: {
      answer: { type: 'string', enum: ROUND_ANSWERS },
      reason: { type: 'string', maxLength: 2000, format: TextFormat.text },
      contentHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      // The party the answer was chosen for: refused (403 wrong_party) once its author speaks for another.
      party: id,
    },
  },
} as const;

/** `POST …/rounds/:roundId/close` */
export const round = { params: params('sessionId', 'roundId') } as const;

/** `DELETE …/hands/:personId` */
export const hand = { params: params('sessionId', 'personId') } as const;

/** `POST …/floor` */
export const floor = {
  params: params('sessionId'),
  body: { type: 'object', required: ['personId'], additionalProperties: false, properties: { personId: { anyOf: [id, { type: 'null' }] } } },
} as const;

/** `POST …/caucus` */
export const caucus = {
  params: params('sessionId'),
  body: {
    type: 'object',
    required: ['minutes'],
    additionalProperties: false,
    properties: { minutes: { type: 'integer', minimum: 0, maximum: MAX_CAUCUS_MINUTES } },
  },
} as const;

/** `POST …/decisions` */
export const decision = {
  params: params('sessionId'),
  body: { type: 'object', required: ['text'], additionalProperties: false, properties: { text: nonEmptyText(2000), itemId: id } },
} as const;

/** `POST …/actions` */
export const action = {
  params: params('sessionId'),
  body: {
    type: 'object',
    required: ['what', 'owner'],
    additionalProperties: false,
    properties: {
      what: nonEmptyText(500),
      owner: { type: 'object', required: ['kind', 'id'], additionalProperties: false, properties: { kind: { type: 'string', enum: ['person', 'party'] }, id } },
      due: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
      itemId: id,
    },
  },
} as const;

/** `PUT …/actions/:actionId/done` */
export const actionDone = {
  params: params('sessionId', 'actionId'),
  body: { type: 'object', required: ['done'], additionalProperties: false, properties: { done: { type: 'boolean' } } },
} as const;

/** `POST …/parked` */
export const park = {
  params: params(),
  body: { type: 'object', required: ['note'], additionalProperties: false, properties: { note: nonEmptyText(1000), objectiveId: id, anchor } },
} as const;

/** `POST …/parked/:pointId/resolve` */
export const parked = { params: params('pointId') } as const;

/** `GET …/minutes/export?format=` */
export const exportMinutes = {
  params: params('sessionId'),
  querystring: { type: 'object', required: ['format'], additionalProperties: false, properties: { format: { type: 'string', enum: EXPORT_FORMATS } } },
} as const;
