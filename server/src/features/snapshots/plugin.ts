import { LIVE } from '#shared/snapshots';
import type { ApiPlugin } from '../../http/schemas';
import { authorOf } from '../../records/write';
import { attachmentHeaders } from '../../http/attachment';
import * as schemas from './schemas';
import type { SnapshotService } from './service';
import type { AuditLog } from '../audit/service';

/** Snapshots: take, list (with the chain check), open, diff, restore, export (in the agreement scope). */
export const snapshotsPlugin: ApiPlugin<{ snapshots: SnapshotService; audit: AuditLog }> = async (app, { snapshots, audit }) => {
  app.post('/snapshots', { schema: schemas.take, config: { may: 'snapshot' } }, async (request, reply) => {
    const summary = await snapshots.take(request.agreement.id, request.body.label.trim(), authorOf(request.me), 'manual', true);
    reply.code(201);
    return summary;
  });

  app.get('/snapshots', { schema: schemas.list, config: { may: 'read' } }, async (request) => snapshots.list(request.agreement.id));

  app.get('/snapshots/:snapshotId', { schema: schemas.one, config: { may: 'read' } }, async (request) =>
    snapshots.open(request.agreement.id, request.params.snapshotId, request.me.personId),
  );

  app.get('/diff', { schema: schemas.diff, config: { may: 'read' } }, async (request, reply) => {
    const diff = await snapshots.diff(request.agreement.id, request.query.from, request.query.to ?? LIVE, request.me.personId);
    // Already JSON text: the worker serialises it so the main thread never walks the tree.
    return reply.type('application/json; charset=utf-8').send(diff);
  });

  app.get('/objectives/:objectiveId/changes', { schema: schemas.objectiveChanges, config: { may: 'read' } }, async (request, reply) => {
    const diff = await snapshots.objectiveChanges(request.agreement, request.params.objectiveId, request.query.party, request.me.personId);
    return reply.type('application/json; charset=utf-8').send(diff);
  });

  app.post('/snapshots/:snapshotId/restore', { schema: schemas.one, config: { may: 'restore' } }, async (request) =>
    snapshots.restore(request.agreement.id, request.params.snapshotId, authorOf(request.me)),
  );

  app.get('/snapshots/:snapshotId/export', { schema: schemas.exportFile, config: { may: 'read' } }, async (request, reply) => {
    const file = await snapshots.export(request.agreement, request.params.snapshotId, request.query.format, request.me.personId);
    await audit.record(request.agreement.id, 'export.downloaded', `Downloaded ${file.name}`, request.me);
    return reply.headers(attachmentHeaders(file)).send(file.body);
  });
};
