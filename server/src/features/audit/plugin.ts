import { wellFormed } from '#shared/text';
import { params, type ApiPlugin } from '../../http/schemas';
import { auditCsv } from './csv';
import { attachmentDisposition } from '../../http/attachment';
import type { AuditLog } from './service';

const readAudit = {
  params: params(),
  querystring: { type: 'object', additionalProperties: false, properties: { format: { type: 'string', enum: ['json', 'csv'] } } },
} as const;

/** The audit log (in the agreement scope): brokers and legal reviewers read it as JSON or download it as CSV. */
export const auditPlugin: ApiPlugin<{ audit: AuditLog }> = async (app, { audit }) => {
  app.get('/audit', { schema: readAudit, config: { may: 'readAudit' } }, async (request, reply) => {
    const entries = await audit.list(request.agreement.id);
    if (request.query.format !== 'csv') return { entries };
    const name = wellFormed(`${request.agreement.title} - audit log.csv`);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', attachmentDisposition(name)).send(auditCsv(entries));
  });
};
