import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context';
import { findAgreement } from '../http/agreements';
import { requireIdentity } from '../http/identity';
import { readActivity } from './activityArchive';

/** `GET /api/agreements/:id/activity`: the whole activity log, archived part included, a page at a time. */
export function activityRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: { id: string }; Querystring: { offset?: string; limit?: string } }>(
    '/api/agreements/:id/activity',
    {
      schema: {
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } },
        querystring: {
          type: 'object',
          additionalProperties: false,
          // Query strings are strings, and types are not coerced: digits only.
          properties: { offset: { type: 'string', pattern: '^[0-9]{1,9}$' }, limit: { type: 'string', pattern: '^([1-9][0-9]{0,2}|1000)$' } },
        },
      },
    },
    async (request) => {
      await requireIdentity(ctx.tokens, request, request.params.id);
      const agreement = await findAgreement(ctx, request.params.id);
      const all = await readActivity(ctx.rooms, agreement.id);
      const offset = Number(request.query.offset ?? 0);
      const limit = Number(request.query.limit ?? 200);
      return { total: all.length, offset, entries: all.slice(offset, offset + limit) };
    },
  );
}
