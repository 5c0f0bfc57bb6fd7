import { AGENDA_KINDS, ROUND_ANSWERS } from '#shared/sessions';
import { EXPORT_FORMATS } from '#shared/snapshots';
import { MAX_CAUCUS_MINUTES } from './SessionService';

const id = { type: 'string', minLength: 1, maxLength: 64 } as const;
const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength, pattern: '\\S' }) as const;

/** Route params: `:id` comes from the agreement prefix, the others from each route. */
export const params = (...names: string[]) =>
  ({ type: 'object', required: ['id', ...names], properties: Object.fromEntries(['id', ...names].map((n) => [n, id])) }) as const;

export const MAX_AGENDA_ITEMS = 50;

const agendaItem = {
  type: 'object',
  required: ['kind', 'title', 'plannedMinutes'],
  additionalProperties: false,
  properties: {
    id,
    kind: { type: 'string', enum: AGENDA_KINDS },
    title: text(200),
    plannedMinutes: { type: 'integer', minimum: 1, maximum: 600 },
    objectiveId: id,
    section: { type: 'string', maxLength: 300 },
  },
} as const;

const agenda = { type: 'array', maxItems: MAX_AGENDA_ITEMS, items: agendaItem } as const;

export const planBody = {
  type: 'object',
  required: ['title', 'agenda'],
  additionalProperties: false,
  properties: { title: text(200), agenda },
} as const;

export const agendaBody = {
  type: 'object',
  required: ['agenda'],
  additionalProperties: false,
  properties: { title: text(200), agenda },
} as const;

export const moveBody = { type: 'object', required: ['itemId'], additionalProperties: false, properties: { itemId: id } } as const;

export const openRoundBody = { type: 'object', additionalProperties: false, properties: { objectiveId: id } } as const;

export const answerBody = {
  type: 'object',
  required: ['answer'],
  additionalProperties: false,
  properties: {
    answer: { type: 'string', enum: ROUND_ANSWERS },
    reason: { type: 'string', maxLength: 2000 },
    contentHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
  },
} as const;

export const floorBody = {
  type: 'object',
  required: ['personId'],
  additionalProperties: false,
  properties: { personId: { anyOf: [id, { type: 'null' }] } },
} as const;

export const caucusBody = {
  type: 'object',
  required: ['minutes'],
  additionalProperties: false,
  properties: { minutes: { type: 'integer', minimum: 0, maximum: MAX_CAUCUS_MINUTES } },
} as const;

export const decisionBody = { type: 'object', required: ['text'], additionalProperties: false, properties: { text: text(2000), itemId: id } } as const;

export const actionBody = {
  type: 'object',
  required: ['what', 'owner'],
  additionalProperties: false,
  properties: {
    what: text(500),
    owner: {
      type: 'object',
      required: ['kind', 'id'],
      additionalProperties: false,
      properties: { kind: { type: 'string', enum: ['person', 'party'] }, id },
    },
    due: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    itemId: id,
  },
} as const;

export const parkBody = {
  type: 'object',
  required: ['note'],
  additionalProperties: false,
  properties: {
    note: text(1000),
    objectiveId: id,
    anchor: {
      type: 'object',
      required: ['start', 'end'],
      additionalProperties: false,
      properties: { start: { type: 'string', maxLength: 512 }, end: { type: 'string', maxLength: 512 } },
    },
  },
} as const;

export const exportQuery = {
  type: 'object',
  required: ['format'],
  additionalProperties: false,
  properties: { format: { type: 'string', enum: EXPORT_FORMATS } },
} as const;
