import { MAX_PHASE_REASON, PHASES } from '#shared/phases';
import { TextFormat } from '#shared/text';
import { params } from '../../http/schemas';

/** `POST /api/agreements/:id/phase` */
export const setPhase = {
  params: params(),
  body: {
    type: 'object',
    required: ['phase'],
    additionalProperties: false,
    properties: { phase: { type: 'string', enum: PHASES }, reason: { type: 'string', maxLength: MAX_PHASE_REASON, format: TextFormat.text } },
  },
} as const;
