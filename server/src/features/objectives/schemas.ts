import { STANCES } from '#shared/objectives';
import { TextFormat } from '#shared/text';
import { params } from '../../http/schemas';

/** `GET /api/agreements/:id/objectives`, `GET …/completeness` */
export const read = { params: params() } as const;

/** `PUT …/objectives/:objectiveId/stance` */
export const stance = {
  params: params('objectiveId'),
  body: {
    type: 'object',
    required: ['stance'],
    additionalProperties: false,
    properties: {
      stance: { type: 'string', enum: STANCES },
      reason: { type: 'string', maxLength: 2000, format: TextFormat.text },
      /** The party the caller speaks for; only its own is accepted (it comes from the token anyway). */
      party: { type: 'string', maxLength: 64 },
      /** The objective's hash as the caller saw it: a stance is refused if the text moved on since. */
      contentHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    },
  },
} as const;

/** `POST …/objectives/:objectiveId/call-for-stances` */
export const callForStances = { params: params('objectiveId') } as const;

/** `PUT …/objectives/:objectiveId/delivered` */
export const delivered = {
  params: params('objectiveId'),
  body: { type: 'object', required: ['delivered'], additionalProperties: false, properties: { delivered: { type: 'boolean' } } },
} as const;
