import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Identity } from '#shared/protocol';
import { SESSION_PERMISSIONS, canInSession, type AgendaItemInput, type RoundAnswerValue, type SessionAction } from '#shared/sessions';
import type { ExportFormat } from '#shared/snapshots';
import type { ThreadAnchor } from '#shared/threads';
import type { AppContext } from '../../context';
import { findAgreement } from '../../http/agreements';
import { requireIdentity } from '../../http/identity';
import { attachmentHeaders } from '../../snapshots/export/exportDocument';
import type { AgreementRecord } from '../../storage/port';
import { exportMinutes } from './minutesDocument';
import type { ActionInput, SessionNotes } from './notes';
import { forbidden } from './refusal';
import type { RoundService } from './rounds';
import type { SessionService } from './SessionService';
import * as schema from './schemas';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the route does in a session; the scope hook refuses roles the table does not allow. */
    sessionAction?: SessionAction;
  }
}

export interface SessionsPluginOptions {
  ctx: AppContext;
  sessions: SessionService;
  rounds: RoundService;
  notes: SessionNotes;
}

interface Scope {
  me: Identity;
  agreement: AgreementRecord;
}

type P<Extra extends string = never> = { id: string } & Record<Extra, string>;

/**
 * The broker's console: `/api/agreements/:id/sessions…` and `/parked…`. One hook checks
 * the token, finds the agreement and applies the permission table to the route's action;
 * the handlers only call the services.
 */
export const sessionsPlugin: FastifyPluginAsync<SessionsPluginOptions> = async (app: FastifyInstance, { ctx, sessions, rounds, notes }) => {
  const scopes = new WeakMap<FastifyRequest, Scope>();
  app.addHook('preHandler', async (request) => {
    const agreementId = (request.params as { id: string }).id;
    const me = await requireIdentity(ctx.tokens, request, agreementId);
    const agreement = await findAgreement(ctx, agreementId);
    const action = request.routeOptions.config.sessionAction;
    if (action && !canInSession(me.role, action)) throw forbidden(SESSION_PERMISSIONS[action].denied);
    scopes.set(request, { me, agreement });
  });
  const scope = (request: FastifyRequest): Scope => scopes.get(request)!;
  const steer = { sessionAction: 'steerSession' } as const;
  const record = { sessionAction: 'recordSession' } as const;

  app.get<{ Params: P }>('/sessions', { schema: { params: schema.params() } }, async (request) => ({
    sessions: await sessions.list(scope(request).agreement.id),
  }));

  app.post<{ Params: P; Body: { title: string; agenda: AgendaItemInput[] } }>(
    '/sessions',
    { schema: { params: schema.params(), body: schema.planBody }, config: steer },
    async (request, reply) => {
      const { me, agreement } = scope(request);
      reply.code(201);
      return sessions.plan(agreement, me, request.body.title.trim(), request.body.agenda);
    },
  );

  app.put<{ Params: P<'sessionId'>; Body: { title?: string; agenda: AgendaItemInput[] } }>(
    '/sessions/:sessionId/agenda',
    { schema: { params: schema.params('sessionId'), body: schema.agendaBody }, config: steer },
    async (request) => {
      const { me, agreement } = scope(request);
      return sessions.setAgenda(agreement, me, request.params.sessionId, request.body.agenda, request.body.title?.trim());
    },
  );

  app.post<{ Params: P<'sessionId'> }>('/sessions/:sessionId/start', { schema: { params: schema.params('sessionId') }, config: steer }, async (request) => {
    const { me, agreement } = scope(request);
    return sessions.start(agreement, me, request.params.sessionId);
  });

  app.post<{ Params: P<'sessionId'>; Body: { itemId: string } }>(
    '/sessions/:sessionId/current',
    { schema: { params: schema.params('sessionId'), body: schema.moveBody }, config: steer },
    async (request) => {
      const { me, agreement } = scope(request);
      return sessions.moveTo(agreement, me, request.params.sessionId, request.body.itemId);
    },
  );

  app.post<{ Params: P<'sessionId'> }>('/sessions/:sessionId/end', { schema: { params: schema.params('sessionId') }, config: steer }, async (request) => {
    const { me, agreement } = scope(request);
    return sessions.end(agreement, me, request.params.sessionId);
  });

  app.post<{ Params: P<'sessionId'>; Body: { objectiveId?: string } }>(
    '/sessions/:sessionId/rounds',
    { schema: { params: schema.params('sessionId'), body: schema.openRoundBody }, config: { sessionAction: 'runRound' } },
    async (request, reply) => {
      const { me, agreement } = scope(request);
      reply.code(201);
      return rounds.open(agreement, me, request.params.sessionId, request.body?.objectiveId);
    },
  );

  app.post<{ Params: P<'sessionId' | 'roundId'>; Body: { answer: RoundAnswerValue; reason?: string; contentHash?: string } }>(
    '/sessions/:sessionId/rounds/:roundId/answers',
    { schema: { params: schema.params('sessionId', 'roundId'), body: schema.answerBody }, config: { sessionAction: 'answerRound' } },
    async (request) => {
      const { me, agreement } = scope(request);
      return rounds.answer(agreement, me, request.params.sessionId, request.params.roundId, request.body);
    },
  );

  app.post<{ Params: P<'sessionId' | 'roundId'> }>(
    '/sessions/:sessionId/rounds/:roundId/close',
    { schema: { params: schema.params('sessionId', 'roundId') }, config: { sessionAction: 'runRound' } },
    async (request) => {
      const { me, agreement } = scope(request);
      return rounds.close(agreement, me, request.params.sessionId, request.params.roundId);
    },
  );

  app.post<{ Params: P<'sessionId'> }>(
    '/sessions/:sessionId/hands',
    { schema: { params: schema.params('sessionId') }, config: { sessionAction: 'raiseHand' } },
    async (request) => {
      const { me, agreement } = scope(request);
      return sessions.raiseHand(agreement, me, request.params.sessionId);
    },
  );

  app.delete<{ Params: P<'sessionId' | 'personId'> }>(
    '/sessions/:sessionId/hands/:personId',
    { schema: { params: schema.params('sessionId', 'personId') } },
    async (request) => {
      const { me, agreement } = scope(request);
      const own = request.params.personId === me.personId;
      const action = own ? 'raiseHand' : 'manageHands';
      if (!canInSession(me.role, action)) throw forbidden(SESSION_PERMISSIONS[action].denied);
      return sessions.lowerHand(agreement, request.params.sessionId, request.params.personId);
    },
  );

  app.post<{ Params: P<'sessionId'>; Body: { personId: string | null } }>(
    '/sessions/:sessionId/floor',
    { schema: { params: schema.params('sessionId'), body: schema.floorBody }, config: { sessionAction: 'manageHands' } },
    async (request) => {
      const { me, agreement } = scope(request);
      return sessions.giveFloor(agreement, me, request.params.sessionId, request.body.personId);
    },
  );

  app.post<{ Params: P<'sessionId'>; Body: { minutes: number } }>(
    '/sessions/:sessionId/caucus',
    { schema: { params: schema.params('sessionId'), body: schema.caucusBody }, config: record },
    async (request) => {
      const { me, agreement } = scope(request);
      return sessions.caucus(agreement, me, request.params.sessionId, request.body.minutes);
    },
  );

  app.post<{ Params: P<'sessionId'>; Body: { text: string; itemId?: string } }>(
    '/sessions/:sessionId/decisions',
    { schema: { params: schema.params('sessionId'), body: schema.decisionBody }, config: record },
    async (request, reply) => {
      const { me, agreement } = scope(request);
      reply.code(201);
      return notes.decide(agreement, me, request.params.sessionId, request.body.text, request.body.itemId);
    },
  );

  app.post<{ Params: P<'sessionId'>; Body: ActionInput }>(
    '/sessions/:sessionId/actions',
    { schema: { params: schema.params('sessionId'), body: schema.actionBody }, config: record },
    async (request, reply) => {
      const { me, agreement } = scope(request);
      reply.code(201);
      return notes.addAction(agreement, me, request.params.sessionId, request.body);
    },
  );

  app.get<{ Params: P<'sessionId'> }>('/sessions/:sessionId/minutes', { schema: { params: schema.params('sessionId') } }, async (request) =>
    sessions.minutes(scope(request).agreement.id, request.params.sessionId),
  );

  app.get<{ Params: P<'sessionId'>; Querystring: { format: ExportFormat } }>(
    '/sessions/:sessionId/minutes/export',
    { schema: { params: schema.params('sessionId'), querystring: schema.exportQuery } },
    async (request, reply) => {
      const { agreement } = scope(request);
      const minutes = await sessions.minutes(agreement.id, request.params.sessionId);
      const file = await exportMinutes(minutes, agreement, request.query.format);
      return reply.headers(attachmentHeaders(file)).send(file.body);
    },
  );

  app.post<{ Params: P; Body: { note: string; objectiveId?: string; anchor?: ThreadAnchor } }>(
    '/parked',
    { schema: { params: schema.params(), body: schema.parkBody }, config: record },
    async (request, reply) => {
      const { me, agreement } = scope(request);
      reply.code(201);
      return notes.park(agreement, me, request.body);
    },
  );

  app.post<{ Params: P<'pointId'> }>('/parked/:pointId/resolve', { schema: { params: schema.params('pointId') }, config: record }, async (request) => {
    const { me, agreement } = scope(request);
    return notes.resolveParked(agreement, me, request.params.pointId);
  });
};
