import { params } from '../../http/schemas';

/** `GET /api/agreements/:id/activity?offset&limit`: query strings are strings and are not coerced, so digits only. */
export const list = {
  params: params(),
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: { offset: { type: 'string', pattern: '^[0-9]{1,9}$' }, limit: { type: 'string', pattern: '^([1-9][0-9]{0,2}|1000)$' } },
  },
} as const;
