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
import { AccessService } from './access/AccessService';
import { ConnectionRegistry } from './access/connections';
import { PeopleService } from './access/PeopleService';
import { AuditLog } from './audit/AuditLog';
import { auditRoutes } from './http/audit';
import { peopleRoutes } from './http/people';
import { DEFAULT_HTTP_RATE_LIMITS, loggableUrl, registerSecurity } from './http/security';
import { chooseProtocol } from './ws/protocols';
import { isSafeLine, isSafeText, TextFormat } from '#shared/text';

declare module 'fastify' {
  interface FastifyInstance {
    /** Shared services, exposed for tests and the entry point. */
    ctx: AppContext;
  }
}

/** Builds the whole server (API, websocket sync, static client) without listening. */
export async function buildApp(config: AppConfig, storageOverride?: Storage): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      config.logLevel === false
        ? false
        : {
            level: config.logLevel ?? 'info',
            ...(config.logStream ? { stream: config.logStream } : {}),
            // Fastify's own request fields, with any token taken out of the URL.
            serializers: {
              req: (req) => ({ method: req.method, url: loggableUrl(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort }),
            },
          },
    // Wrong types are refused, not coerced: { "title": 42 } is a 400, not "42".
    // Unknown fields are refused too, not silently dropped.
    ajv: {
      customOptions: {
        coerceTypes: false,
        removeAdditional: false,
        formats: { [TextFormat.line]: isSafeLine, [TextFormat.text]: isSafeText },
      },
    },
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
  const access = new AccessService(storage, tokens, new ConnectionRegistry());
  const audit = new AuditLog(storage, app.log);
  const people = new PeopleService(storage, access, audit);
  const ctx: AppContext = { storage, tokens, access, people, audit, rooms, events: new AgreementEventBus() };
  app.decorate('ctx', ctx);
  ctx.events.on('phase.changed', ({ agreementId, by, phase, previous }) => {
    void audit.record(agreementId, 'phase.changed', `Phase ${previous ?? 'none'} → ${phase}`, by);
  });

  registerErrorHandling(app);
  await registerSecurity(app, config.httpRateLimits ?? DEFAULT_HTTP_RATE_LIMITS);
  await app.register(websocket, {
    options: { maxPayload: config.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES, handleProtocols: chooseProtocol },
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
  snapshotRoutes(app, ctx);
  threadRoutes(app, ctx);
  peopleRoutes(app, ctx);
  auditRoutes(app, ctx);
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
