import { ErrorCode } from '#shared/errors';
import { PERMISSIONS, can } from '#shared/permissions';
import { forbidden } from '../../errors';
import type { ApiPlugin } from '../../http/schemas';
import { attachmentHeaders } from '../../http/attachment';
import { exportMinutes } from './minutesDocument';
import type { DocumentWorker } from '../snapshots/diff/DocumentWorker';
import type { AuditLog } from '../audit/service';
import type { SessionNotes } from './notes';
import type { RoundService } from './rounds';
import type { SessionService } from './service';
import * as schemas from './schemas';

/**
 * The broker's console, in the agreement scope: `/sessions…` and `/parked…`. Each route
 * names its action in the permission table; the handlers only call the services.
 */
export const sessionsPlugin: ApiPlugin<{
  sessions: SessionService;
  rounds: RoundService;
  notes: SessionNotes;
  audit: AuditLog;
  /** Renders the minutes' files off the main thread. */
  documents: DocumentWorker;
}> = async (app, { sessions, rounds, notes, audit, documents }) => {
  app.get('/sessions', { schema: schemas.list, config: { may: 'read' } }, async (request) => ({ sessions: await sessions.list(request.agreement.id) }));

  app.post('/sessions', { schema: schemas.plan, config: { may: 'steerSession' } }, async (request, reply) => {
    reply.code(201);
    return sessions.plan(request.agreement, request.me, request.body.title.trim(), request.body.agenda);
  });

  app.put('/sessions/:sessionId/agenda', { schema: schemas.setAgenda, config: { may: 'steerSession' } }, async (request) =>
    sessions.setAgenda(request.agreement, request.me, request.params.sessionId, request.body.agenda, request.body.title?.trim(), request.body.version),
  );

  app.post('/sessions/:sessionId/start', { schema: schemas.session, config: { may: 'steerSession' } }, async (request) =>
    sessions.start(request.agreement, request.me, request.params.sessionId),
  );

  app.post('/sessions/:sessionId/current', { schema: schemas.moveTo, config: { may: 'steerSession' } }, async (request) =>
    sessions.moveTo(request.agreement, request.me, request.params.sessionId, request.body.itemId),
  );

  app.post('/sessions/:sessionId/end', { schema: schemas.session, config: { may: 'steerSession' } }, async (request) =>
    sessions.end(request.agreement, request.me, request.params.sessionId),
  );

  app.post('/sessions/:sessionId/rounds', { schema: schemas.openRound, config: { may: 'runRound' } }, async (request, reply) => {
    reply.code(201);
    return rounds.open(request.agreement, request.me, request.params.sessionId, request.body?.objectiveId);
  });

  app.post('/sessions/:sessionId/rounds/:roundId/answers', { schema: schemas.answer, config: { may: 'answerRound' } }, async (request) =>
    rounds.answer(request.agreement, request.me, request.params.sessionId, request.params.roundId, request.body),
  );

  app.post('/sessions/:sessionId/rounds/:roundId/close', { schema: schemas.round, config: { may: 'runRound' } }, async (request) =>
    rounds.close(request.agreement, request.me, request.params.sessionId, request.params.roundId),
  );

  app.post('/sessions/:sessionId/hands', { schema: schemas.session, config: { may: 'raiseHand' } }, async (request) =>
    sessions.raiseHand(request.agreement, request.me, request.params.sessionId),
  );

  // Everyone reaches this route; whose hand it is decides which action of the table applies.
  app.delete('/sessions/:sessionId/hands/:personId', { schema: schemas.hand, config: { may: 'read' } }, async (request) => {
    const action = request.params.personId === request.me.personId ? 'raiseHand' : 'manageHands';
    if (!can(request.me.role, action)) throw forbidden(ErrorCode.Forbidden, PERMISSIONS[action].denied);
    return sessions.lowerHand(request.agreement, request.params.sessionId, request.params.personId);
  });

  app.post('/sessions/:sessionId/floor', { schema: schemas.floor, config: { may: 'manageHands' } }, async (request) =>
    sessions.giveFloor(request.agreement, request.me, request.params.sessionId, request.body.personId),
  );

  app.post('/sessions/:sessionId/caucus', { schema: schemas.caucus, config: { may: 'recordSession' } }, async (request) =>
    sessions.caucus(request.agreement, request.me, request.params.sessionId, request.body.minutes),
  );

  app.post('/sessions/:sessionId/decisions', { schema: schemas.decision, config: { may: 'recordSession' } }, async (request, reply) => {
    reply.code(201);
    return notes.decide(request.agreement, request.me, request.params.sessionId, request.body.text, request.body.itemId);
  });

  app.post('/sessions/:sessionId/actions', { schema: schemas.action, config: { may: 'recordSession' } }, async (request, reply) => {
    reply.code(201);
    return notes.addAction(request.agreement, request.me, request.params.sessionId, request.body);
  });

  // Its owner marks it done too, not only the broker: `markAction` checks who may.
  app.put('/sessions/:sessionId/actions/:actionId/done', { schema: schemas.actionDone, config: { may: 'read' } }, async (request) =>
    notes.markAction(request.agreement, request.me, request.params.sessionId, request.params.actionId, request.body.done),
  );

  app.get('/sessions/:sessionId/minutes', { schema: schemas.session, config: { may: 'read' } }, async (request) =>
    sessions.minutes(request.agreement.id, request.params.sessionId),
  );

  app.get('/sessions/:sessionId/minutes/export', { schema: schemas.exportMinutes, config: { may: 'read' } }, async (request, reply) => {
    const minutes = await sessions.minutes(request.agreement.id, request.params.sessionId);
    const file = await exportMinutes(minutes, request.agreement, request.query.format, documents, request.me.personId);
    await audit.record(request.agreement.id, 'export.downloaded', `Downloaded ${file.name}`, request.me);
    return reply.headers(attachmentHeaders(file)).send(file.body);
  });

  app.post('/parked', { schema: schemas.park, config: { may: 'recordSession' } }, async (request, reply) => {
    reply.code(201);
    return notes.park(request.agreement, request.me, request.body);
  });

  app.post('/parked/:pointId/resolve', { schema: schemas.parked, config: { may: 'recordSession' } }, async (request) =>
    notes.resolveParked(request.agreement, request.me, request.params.pointId),
  );
};
