import { ROLES } from '#shared/roles';
import { expiresInDays, nonEmptyText, params } from '../../http/schemas';

/** `GET /api/agreements/:id/people` */
export const listPeople = { params: params() } as const;

/** `POST /api/agreements/:id/invites` */
export const invite = {
  params: params(),
  body: {
    type: 'object',
    required: ['role', 'name'],
    additionalProperties: false,
    properties: {
      role: { type: 'string', enum: ROLES },
      name: nonEmptyText(120),
      party: { $ref: 'id#' },
      expiresInDays,
    },
  },
} as const;

/** `DELETE …/people/:personId` */
export const revokePerson = { params: params('personId') } as const;

/** `DELETE …/people/:personId/links/:linkId` */
export const revokeLink = { params: params('personId', 'linkId') } as const;

/** `POST …/people/:personId/links` (the body is optional) */
export const reissueLink = {
  params: params('personId'),
  body: { type: 'object', additionalProperties: false, properties: { expiresInDays } },
} as const;

/** `PATCH …/people/:personId` */
export const changeRole = {
  params: params('personId'),
  body: {
    type: 'object',
    required: ['role'],
    additionalProperties: false,
    properties: { role: { type: 'string', enum: ROLES }, party: { $ref: 'id#' } },
  },
} as const;
