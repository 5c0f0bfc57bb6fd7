import type { FastifyInstance } from 'fastify';
import { canReadAudit } from '#shared/access';
import { wellFormed } from '#shared/text';
import type { AppContext } from '../context';
import { auditCsv } from '../audit/csv';
import { findAgreement } from './agreements';
import { forbidden } from './errors';
import { requireIdentity } from './identity';

/** The audit log: brokers and legal reviewers read it as JSON or download it as CSV. */
export function auditRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: { id: string }; Querystring: { format?: 'json' | 'csv' } }>(
    '/api/agreements/:id/audit',
    {
      schema: {
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } },
        querystring: { type: 'object', additionalProperties: false, properties: { format: { type: 'string', enum: ['json', 'csv'] } } },
      },
    },
    async (request, reply) => {
      const me = await requireIdentity(ctx.access, request, request.params.id);
      if (!canReadAudit(me.role)) throw forbidden('only brokers and legal reviewers read the audit log');
      const agreement = await findAgreement(ctx, request.params.id);
      const entries = await ctx.audit.list(agreement.id);
      if (request.query.format !== 'csv') return { entries };
      const name = wellFormed(`${agreement.title} - audit log.csv`);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="audit-log.csv"; filename*=UTF-8''${encodeURIComponent(name)}`)
        .send(auditCsv(entries));
    },
  );
}
