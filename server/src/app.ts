import Fastify, { type FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import { DEFAULT_MAX_MESSAGE_BYTES, type AppConfig } from './config';
import type { AppContext } from './context';
import { AgreementEventBus } from './events';
import { loadSecret } from './auth/secret';
import { TokenService } from './auth/tokens';
import { RoomManager } from './rooms/RoomManager';
import { LowdbStorage } from './storage/lowdbStorage';
import type { Storage } from './storage/port';
import { registerErrorHandling } from './http/errors';
import { healthRoutes } from './http/health';
import { agreementRoutes } from './http/agreements';
import { objectiveRoutes } from './objectives/routes';
import { threadRoutes } from './http/threads';
import { AnchorKeeper } from './records/anchorKeeper';
import { registerStatic } from './http/static';
import { collabRoute } from './ws/collab';
import { startHeartbeat } from './ws/heartbeat';
import { DEFAULT_RATE_LIMIT } from './ws/rateLimit';
import { snapshotRoutes } from './snapshots/routes';
import { AttendanceTracker } from './features/sessions/attendance';
import { SessionNotes } from './features/sessions/notes';
import { sessionsPlugin } from './features/sessions/plugin';
import { RoundService } from './features/sessions/rounds';
import { SessionService } from './features/sessions/SessionService';

declare module 'fastify' {
  interface FastifyInstance {
    /** Shared services, exposed for tests and the entry point. */
    ctx: AppContext;
  }
}

/** Builds the whole server (API, websocket sync, static client) without listening. */
export async function buildApp(config: AppConfig, storageOverride?: Storage): Promise<FastifyInstance> {
  const app = Fastify({
    logger: config.logLevel === false ? false : { level: config.logLevel ?? 'info' },
    // Wrong types are refused, not coerced: { "title": 42 } is a 400, not "42".
    // Unknown fields are refused too, not silently dropped.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
  });

  const storage =
    storageOverride ??
    (await LowdbStorage.open({
      dataDir: config.dataDir,
      flushIntervalMs: config.flushIntervalMs,
      onError: (err) => app.log.error({ err }, 'storage write failed; will retry'),
    }));
  const tokens = new TokenService(await loadSecret(config.dataDir, config.authSecret));
  const rooms = new RoomManager(storage, app.log);
  const anchors = new AnchorKeeper(rooms, storage, app.log);
  rooms.onLoad.push((room) => anchors.attach(room));
  const ctx: AppContext = { storage, tokens, rooms, events: new AgreementEventBus() };
  app.decorate('ctx', ctx);

  registerErrorHandling(app);
  await app.register(websocket, {
    options: { maxPayload: config.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES },
    // ws has already started a close with the right code (1009 for an oversized frame);
    // the plugin's default handler would terminate the socket and turn that into 1006.
    errorHandler(error, socket, request) {
      request.log.warn({ err: error }, 'websocket error');
      if (socket.readyState === socket.OPEN) socket.close(1011, 'internal error');
    },
  });

  const stopHeartbeat = startHeartbeat(app.websocketServer, config.heartbeatMs ?? 30_000);

  healthRoutes(app, ctx);
  agreementRoutes(app, ctx);
  objectiveRoutes(app, ctx);
  const snapshots = snapshotRoutes(app, ctx);
  threadRoutes(app, ctx);
  const attendance = new AttendanceTracker(ctx, app.log);
  attendance.watch();
  await app.register(sessionsPlugin, {
    prefix: '/api/agreements/:id',
    ctx,
    sessions: new SessionService(ctx, snapshots, attendance, app.log),
    rounds: new RoundService(ctx, (agreementId, by) => ctx.events.emit('objectives.allAgreed', { agreementId, by })),
    notes: new SessionNotes(ctx),
  });
  collabRoute(app, ctx, {
    rateLimit: config.rateLimit ?? DEFAULT_RATE_LIMIT,
    maxMessageBytes: config.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
  });
  await registerStatic(app, config.staticDir);

  // Store every open room before the process lets go of its files.
  app.addHook('onClose', async () => {
    stopHeartbeat();
    await rooms.closeAll();
    await storage.close();
  });
  return app;
}
