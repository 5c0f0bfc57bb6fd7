import { SECTORS } from '#shared/roles';
import { TEMPLATES } from '#shared/template';
import { nonEmptyText, params } from '../../http/schemas';
import { MAX_TITLE_LENGTH } from '#shared/protocol';

const party = {
  type: 'object',
  required: ['name', 'sector'],
  additionalProperties: false,
  properties: { name: nonEmptyText(200), sector: { type: 'string', enum: SECTORS } },
} as const;

/** `POST /api/agreements` */
export const createAgreement = {
  body: {
    type: 'object',
    required: ['title'],
    additionalProperties: false,
    properties: {
      title: nonEmptyText(MAX_TITLE_LENGTH),
      parties: { type: 'array', maxItems: 20, items: party },
      creatorName: nonEmptyText(120),
      template: { type: 'string', enum: TEMPLATES },
    },
  },
} as const;

/** `GET /api/agreements/:id` */
export const readAgreement = { params: params() } as const;
