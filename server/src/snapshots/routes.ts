import type { FastifyInstance, FastifyReply } from 'fastify';
import { canManage, canSnapshot } from '#shared/roles';
import { EXPORT_FORMATS, LIVE, type ExportFormat } from '#shared/snapshots';
import type { AppContext } from '../context';
import { findAgreement } from '../http/agreements';
import { forbidden } from '../http/errors';
import { requireIdentity } from '../http/identity';
import { authorOf } from '../records/write';
import { AuthorshipLog } from './authorship';
import { DocumentWorker } from './diff/DocumentWorker';
import { SnapshotService } from './SnapshotService';
import { autoSnapshots } from './autoSnapshots';
import { attachmentHeaders, exportDocument } from './export/exportDocument';

const id = { type: 'string', minLength: 1, maxLength: 64 } as const;
const params = (...names: string[]) => ({ type: 'object', required: names, properties: Object.fromEntries(names.map((n) => [n, id])) }) as const;

/** Snapshots: take, list (with the chain check), open, diff, restore, export. */
export function snapshotRoutes(app: FastifyInstance, ctx: AppContext): SnapshotService {
  const authorship = new AuthorshipLog(ctx.rooms);
  const worker = new DocumentWorker();
  const snapshots = new SnapshotService(ctx, authorship, worker);
  autoSnapshots(ctx, snapshots, app.log);
  // preClose runs before any onClose hook, so the rooms and storage are still open for this last write.
  app.addHook('preClose', async () => {
    await authorship.close().catch((err: unknown) => app.log.warn({ err }, 'authorship flush at close failed'));
  });
  app.addHook('onClose', () => worker.close());

  app.post<{ Params: { id: string }; Body: { label: string } }>(
    '/api/agreements/:id/snapshots',
    {
      schema: {
        params: params('id'),
        body: {
          type: 'object',
          required: ['label'],
          additionalProperties: false,
          properties: { label: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' } },
        },
      },
    },
    async (request, reply) => {
      const me = await requireIdentity(ctx.tokens, request, request.params.id);
      if (!canSnapshot(me.role)) throw forbidden('only a broker or a negotiator can take a snapshot');
      await findAgreement(ctx, request.params.id);
      const summary = await snapshots.take(request.params.id, request.body.label.trim(), authorOf(me), 'manual');
      reply.code(201);
      return summary;
    },
  );

  app.get<{ Params: { id: string } }>('/api/agreements/:id/snapshots', { schema: { params: params('id') } }, async (request) => {
    await requireIdentity(ctx.tokens, request, request.params.id);
    await findAgreement(ctx, request.params.id);
    return snapshots.list(request.params.id);
  });

  app.get<{ Params: { id: string; snapshotId: string } }>(
    '/api/agreements/:id/snapshots/:snapshotId',
    { schema: { params: params('id', 'snapshotId') } },
    async (request) => {
      await requireIdentity(ctx.tokens, request, request.params.id);
      await findAgreement(ctx, request.params.id);
      return snapshots.open(request.params.id, request.params.snapshotId);
    },
  );

  app.get<{ Params: { id: string }; Querystring: { from: string; to?: string } }>(
    '/api/agreements/:id/diff',
    {
      schema: {
        params: params('id'),
        querystring: { type: 'object', required: ['from'], additionalProperties: false, properties: { from: id, to: id } },
      },
    },
    async (request, reply) => {
      await requireIdentity(ctx.tokens, request, request.params.id);
      await findAgreement(ctx, request.params.id);
      return reply.type('application/json; charset=utf-8').send(await diff(request.params.id, request.query.from, request.query.to ?? LIVE));
    },
  );

  app.post<{ Params: { id: string; snapshotId: string } }>(
    '/api/agreements/:id/snapshots/:snapshotId/restore',
    { schema: { params: params('id', 'snapshotId') } },
    async (request) => {
      const me = await requireIdentity(ctx.tokens, request, request.params.id);
      if (!canManage(me.role)) throw forbidden('only a broker can restore a snapshot');
      await findAgreement(ctx, request.params.id);
      return snapshots.restore(request.params.id, request.params.snapshotId, authorOf(me));
    },
  );

  app.get<{ Params: { id: string; snapshotId: string }; Querystring: { format: ExportFormat } }>(
    '/api/agreements/:id/snapshots/:snapshotId/export',
    {
      schema: {
        params: params('id', 'snapshotId'),
        querystring: {
          type: 'object',
          required: ['format'],
          additionalProperties: false,
          properties: { format: { type: 'string', enum: EXPORT_FORMATS } },
        },
      },
    },
    async (request, reply: FastifyReply) => {
      await requireIdentity(ctx.tokens, request, request.params.id);
      const agreement = await findAgreement(ctx, request.params.id);
      const file = await exportDocument(snapshots, worker, agreement, request.params.snapshotId, request.query.format);
      return reply.headers(attachmentHeaders(file)).send(file.body);
    },
  );

  /** Diffs two versions of one agreement, the older one first whatever the order asked; answers a DiffResult as JSON text. */
  async function diff(agreementId: string, fromId: string, toId: string): Promise<string> {
    const version = async (versionId: string) => {
      if (versionId === LIVE) {
        return { id: LIVE, label: 'Live text', createdAt: new Date().toISOString(), state: await snapshots.liveState(agreementId) };
      }
      const { record, state } = await snapshots.load(agreementId, versionId);
      return { id: record.id, label: record.label, createdAt: record.createdAt, state };
    };
    let [from, to] = await Promise.all([version(fromId), version(toId)]);
    if (from.createdAt > to.createdAt) [from, to] = [to, from];
    const strip = ({ id, label, createdAt }: typeof from) => ({ id, label, createdAt });
    const versions = { from: strip(from), to: strip(to) };
    return worker.run({ kind: 'diff', from: from.state, to: to.state, authorship: await authorship.read(agreementId), versions });
  }

  return snapshots;
}
