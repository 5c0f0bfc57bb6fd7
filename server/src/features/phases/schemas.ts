import { PHASES } from '#shared/phases';
import { params } from '../../http/schemas';

/** `POST /api/agreements/:id/phase` */
export const setPhase = {
  params: params(),
  body: { type: 'object', required: ['phase'], additionalProperties: false, properties: { phase: { type: 'string', enum: PHASES } } },
} as const;
