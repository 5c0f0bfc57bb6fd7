import { AjvCompiler } from '@fastify/ajv-compiler';
import { DEFAULT_UPDATE_ALLOWANCE } from '#shared/protocol';
import Fastify, { type FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import { DEFAULT_MAX_MESSAGE_BYTES, type AppConfig } from './config';
import type { AppContext } from './context';
import { AgreementEventBus } from './events';
import { loadSecret } from './auth/secret';
import { TokenService } from './auth/tokens';
import { RoomManager } from './rooms/RoomManager';
import { openStorage } from './storage/open';
import { LeasedOwnership, SoloOwnership, type Ownership } from './cluster/ownership';
import { registerHttpForwarding } from './cluster/forwardHttp';
import { instanceUrlOf } from './cluster/instanceUrl';
import type { Storage } from './storage/port';
import { registerErrorHandling } from './http/errorHandler';
import { clientErrorHandler, frameworkErrors } from './http/frameworkErrors';
import { registerSharedSchemas } from './http/schemas';
import { agreementScope } from './http/agreementScope';
import { healthPlugin } from './http/health';
import { readAppBuild, registerAppBuildHeader } from './http/appBuild';
import { registerStatic } from './http/static';
import { registerCompression } from './http/compression';
import { templatePromptMigration } from './documents/promptMigration';
import { objectiveFactFields } from './documents/factFields';
import { collabRoute, DEFAULT_MAX_CONNECTIONS_PER_PERSON } from './ws/collab';
import { startHeartbeat } from './ws/heartbeat';
import { DEFAULT_RATE_LIMIT } from './ws/rateLimit';
import { CloseCode } from '#shared/protocol';
import { boundConnectionsAtStop, DEFAULT_REQUEST_TIMEOUT_MS, requestCheckIntervalMs } from './http/connectionsAtStop';
import { capConnectionsPerAddress, connectionsPerAddressCap } from './http/connectionsPerAddress';
import { fastifyTrustProxy } from './http/trustedProxy';
import { capServerConnections, readOpenFileLimit, serverConnectionCap } from './http/serverConnections';
import { loggerOptions } from './http/logging';
import { AgreementService } from './features/agreements/service';
import { agreementPlugin, agreementsPlugin } from './features/agreements/plugin';
import { ThreadService } from './features/threads/service';
import { threadsPlugin } from './features/threads/plugin';
import { PresenceAudit } from './features/audit/presence';
import { threadShapeMigration } from './features/threads/shapeMigration';
import { AnchorKeeper } from './features/threads/anchorKeeper';
import { ObjectiveService } from './features/objectives/service';
import { objectivesPlugin } from './features/objectives/plugin';
import { PhaseService } from './features/phases/service';
import { phasesPlugin } from './features/phases/plugin';
import { AuthorshipLog } from './features/snapshots/authorship';
import { StoredPresence } from './features/snapshots/presenceBindings';
import { DocumentWorker } from './features/snapshots/diff/DocumentWorker';
import { TextReader } from './documents/textReader';
import { ReadAllowance } from './documents/readAllowance';
import { PersonWork } from './documents/personWork';
import { SnapshotService } from './features/snapshots/service';
import { SnapshotIndexKeeper } from './features/snapshots/recordsIndex';
import { DEFAULT_SNAPSHOT_CAPS, SnapshotQuota } from './features/snapshots/quota';
import { autoSnapshots } from './features/snapshots/autoSnapshots';
import { snapshotsPlugin } from './features/snapshots/plugin';
import { AttendanceTracker } from './features/sessions/attendance';
import { caucusScreen } from './features/sessions/caucusScreen';
import { SessionNotes } from './features/sessions/notes';
import { sessionsPlugin } from './features/sessions/plugin';
import { RoundService } from './features/sessions/rounds';
import { SessionService } from './features/sessions/service';
import { SuggestionService } from './features/suggestions/service';
import { suggestOnlyGuard } from './features/suggestions/suggestOnlyGuard';
import { RedlineService } from './features/suggestions/redline';
import { suggestionsPlugin } from './features/suggestions/plugin';
import { AccessService } from './auth/AccessService';
import { ConnectionRegistry } from './auth/connections';
import { PeopleService } from './features/people/service';
import { peoplePlugin } from './features/people/plugin';
import { AuditLog } from './features/audit/service';
import { auditPlugin } from './features/audit/plugin';
import { DEFAULT_HTTP_RATE_LIMITS, registerSecurity } from './http/security';
import { chooseProtocol } from './ws/protocols';
import { isSafeLine, isSafeText, TextFormat } from '#shared/text';
import { contentRoom } from '#shared/rooms';
import { DEFAULT_UPDATE_LIMITS } from './rooms/guards/limits';
import { TextGuard } from './rooms/guards/textGuard';
import { PresenceKeeper } from './rooms/presenceKeeper';
import { ActivityArchive } from './features/activity/archive';
import { activityPlugin } from './features/activity/plugin';
import { DEFAULT_OUTPUT_BUFFER_BYTES } from './ws/outputCap';

/** Structs a piece of a room's stored state holds when a load cuts it: 2 to 3 ms to apply each here, 50 on a busy, slowed machine. */
const LOAD_PIECE_STRUCTS = 500;

declare module 'fastify' {
  interface FastifyInstance {
    /** Shared services, exposed for tests and the entry point. */
    ctx: AppContext;
  }
}

/**
 * One JSON-schema compiler for every app this process builds: Ajv keeps what it compiled per
 * schema object, and the routes' schemas are module constants, so an app built again (tests start
 * hundreds) compiles none of them anew: 163 → 41 ms of CPU per start and stop here. Apps share it
 * only with the same options and shared schemas (the compiler's own key); the text formats below
 * are module functions too, the same for every app.
 */
const sharedValidators = AjvCompiler();

/**
 * Builds the whole server (API, websocket sync, static client) without listening. This is
 * the one place that builds the services and wires them to each other, to the rooms and
 * to their routes.
 */
export async function buildApp(config: AppConfig, storageOverride?: Storage): Promise<FastifyInstance> {
  const requestTimeoutMs = config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const app = Fastify({
    schemaController: { compilersFactory: { buildValidator: sharedValidators } },
    // No HEAD made from each GET: it ran the whole route (an export, written to the audit log as a
    // download) outside the limits, which count GETs. The built files answer HEAD themselves.
    exposeHeadRoutes: false,
    // `request.ip` (the limits counted per address, the log lines) is the client's as the proxies named in
    // TRUST_PROXY forwarded it; with none named, the socket's (a header anyone can write is not read).
    ...(config.trustProxy !== undefined ? { trustProxy: fastifyTrustProxy(config.trustProxy) } : {}),
    // A request must arrive whole within this, or it is answered 408 and its connection closed: a
    // body sent a byte at a time held a connection, and a restart, for good. Node 20 reads it when
    // the server is made, so it goes in `http` too: Fastify's own option alone, set on the server
    // afterwards, never took effect.
    requestTimeout: requestTimeoutMs,
    ...(requestTimeoutMs > 0 ? { http: { requestTimeout: requestTimeoutMs, connectionsCheckingInterval: requestCheckIntervalMs(requestTimeoutMs) } } : {}),
    frameworkErrors,
    clientErrorHandler,
    logger: config.logLevel === false ? false : loggerOptions(config.logLevel ?? 'info', config.logStream),
    // Wrong types are refused, not coerced: { "title": 42 } is a 400, not "42".
    // Unknown fields are refused too, not silently dropped. Text people type is checked by the safe-* formats.
    ajv: {
      customOptions: {
        coerceTypes: false,
        removeAdditional: false,
        // A ProseMirror attribute is a string, number, boolean or null: `type: [...]` is valid JSON
        // Schema, and without this Ajv's strict mode printed a warning per schema at every start.
        allowUnionTypes: true,
        formats: { [TextFormat.line]: isSafeLine, [TextFormat.text]: isSafeText },
      },
    },
  }).withTypeProvider<JsonSchemaToTsProvider>();

  // The core: storage, tokens, live rooms and the features' event bus.
  const { storage, leases } = storageOverride
    ? { storage: storageOverride, leases: undefined }
    : await openStorage(config, app.log, () => instanceUrlOf(app, config.instanceUrl));
  const tokens = new TokenService(await loadSecret(storage, config.authSecret));
  // Its own worker, so measuring an update or cutting a room's stored state for its load never waits behind a diff.
  // People wait on its jobs, so it runs at the server's priority: at the lowest, a busy machine kept a 60-page text
  // from its first visitor for 3 to 4 s instead of half a second (bench/firstVisitAfterRestart.ts).
  const costWorker = new DocumentWorker({ jobTimeoutMs: config.workerJobTimeoutMs, script: config.workerScript, background: false });
  /** Set as the app closes, before its workers end. */
  let closing = false;
  // With several instances (PostgreSQL), rooms load only for agreements whose lease this one holds.
  const rooms = new RoomManager(
    storage,
    app.log,
    leases && ((agreementId) => leases.epochOf(agreementId) !== undefined),
    (update) => costWorker.run({ kind: 'pieces', update, maxStructs: LOAD_PIECE_STRUCTS }),
    async (parts) => {
      // Closed, a worker asked for more work starts afresh and holds the process open: the rooms stored at close encode at once.
      if (closing) throw new Error('closing');
      return (await costWorker.run({ kind: 'text', parts, read: 'state' })).state!;
    },
  );
  const ownership: Ownership = leases
    ? new LeasedOwnership(leases, rooms, async (id) => (await storage.getAgreement(id)) !== undefined, app.log, config.leaseIdleMs ?? 30_000)
    : new SoloOwnership();
  const events = new AgreementEventBus();
  const access = new AccessService(storage, tokens, new ConnectionRegistry());
  const audit = new AuditLog(storage, app.log);
  const presenceAudit = new PresenceAudit(audit, config.auditRejoinGraceMs);
  const ctx: AppContext = { storage, tokens, access, audit, rooms, events, ownership };
  app.decorate('ctx', ctx);

  // The features' services, and what reacts to rooms and events.
  const agreements = new AgreementService(storage, access, rooms, audit, ownership);
  const people = new PeopleService(storage, access, audit, events, config.maxPeoplePerAgreement);
  events.on('phase.changed', ({ agreementId, by, phase, previous }) => {
    void audit.record(agreementId, 'phase.changed', `Phase ${previous ?? 'none'} → ${phase}`, by);
  });
  const threads = new ThreadService(rooms);
  const phases = new PhaseService(rooms, events);
  const anchors = new AnchorKeeper(rooms, storage, app.log);
  const authorship = new AuthorshipLog(rooms, app.log);
  // Room extensions run in this order on every load, change and unload.
  rooms.use(anchors);
  rooms.use(authorship);
  const presence = new StoredPresence(rooms, authorship, app.log, config.maxPresenceIdsPerPerson);
  rooms.use(new PresenceKeeper((agreementId) => presence.of(agreementId)));
  rooms.use(suggestOnlyGuard(rooms));
  rooms.use(caucusScreen(rooms));
  rooms.use(templatePromptMigration);
  rooms.use(objectiveFactFields);
  rooms.use(threadShapeMigration);
  // Checks every client update of a text against the schema; repairs a text stored before that check.
  const updateLimits = { ...DEFAULT_UPDATE_LIMITS, ...config.updateLimits };
  rooms.use(new TextGuard(updateLimits, app.log, authorship));
  rooms.use(new ActivityArchive(rooms, app.log, config.maxArchivedActivity));
  rooms.use(new SnapshotIndexKeeper(storage, app.log));
  // Comparisons, downloads and fingerprints: background work, which yields the cores to every room's sync.
  const worker = new DocumentWorker({ jobTimeoutMs: config.workerJobTimeoutMs, script: config.workerScript, background: true });
  // What a person's click waits on (a stance's read, a snapshot's fingerprint, a comparison): a worker of its own at the
  // server's priority, within each person's allowance, so a room's load never waits behind it; beyond it, the background one.
  const personWorker = new DocumentWorker({ jobTimeoutMs: config.workerJobTimeoutMs, script: config.workerScript, background: false });
  const personWork = new PersonWork({ quick: personWorker, background: worker }, new ReadAllowance(config.readAllowanceMsPerMinute));
  const text = new TextReader(rooms, personWork, worker);
  const objectives = new ObjectiveService(rooms, events, text);
  const snapshots = new SnapshotService(
    { rooms, storage },
    authorship,
    worker,
    text,
    new SnapshotQuota(storage, { ...DEFAULT_SNAPSHOT_CAPS, ...config.snapshotCaps }),
    personWork,
  );
  autoSnapshots(events, snapshots, app.log);
  const attendance = new AttendanceTracker(rooms, app.log);
  rooms.use(attendance);
  const sessions = new SessionService(rooms, snapshots, attendance, app.log, text);
  events.on('person.changed', ({ agreementId, personId, revoked }) => void sessions.personChanged(agreementId, personId, revoked));
  const rounds = new RoundService(rooms, (agreementId, by) => events.emit('objectives.allAgreed', { agreementId, by }), text);
  events.on(
    'person.changed',
    ({ agreementId, personId }) =>
      // Logged, never thrown: it runs after the change it follows has answered.
      void rounds
        .personChanged(agreementId, personId)
        .catch((err: unknown) => app.log.error({ err, agreementId }, 'withdrawing a changed person’s answers failed')),
  );
  const sessionNotes = new SessionNotes(rooms, text);
  const suggestions = new SuggestionService(rooms, updateLimits);
  const redlines = new RedlineService(rooms, snapshots, worker);

  registerErrorHandling(app);
  registerSharedSchemas(app);
  boundConnectionsAtStop(app, config.stopGraceMs);
  capServerConnections(app, serverConnectionCap(config, readOpenFileLimit()));
  capConnectionsPerAddress(app, connectionsPerAddressCap(config));
  await registerSecurity(app, config.httpRateLimits ?? DEFAULT_HTTP_RATE_LIMITS);
  registerAppBuildHeader(app, readAppBuild(config.staticDir));
  await registerCompression(app);
  await app.register(websocket, {
    options: { maxPayload: config.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES, handleProtocols: chooseProtocol },
    // ws has already started a close with the right code (1009 for an oversized frame);
    // the plugin's default handler would terminate the socket and turn that into 1006.
    errorHandler(error, socket, request) {
      request.log.warn({ err: error }, 'websocket error');
      if (socket.readyState === socket.OPEN) socket.close(CloseCode.InternalError, 'internal error');
    },
    // Tell clients the server is going away (a restart): the stock client reconnects after 1001.
    // Like the plugin's default, it does not wait for the close handshakes: a frozen client must not hold a restart.
    preClose(done) {
      for (const client of this.websocketServer.clients) client.close(CloseCode.GoingAway, 'server restarting');
      this.websocketServer.close();
      done();
    },
  });
  const stopHeartbeat = startHeartbeat(app.websocketServer, config.heartbeatMs ?? 30_000);

  // Several instances: requests about an agreement another instance owns go to it.
  await registerHttpForwarding(app, ownership);
  await app.register(healthPlugin, {
    rooms,
    storage,
    maxMessageBytes: config.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    updateAllowance: { ...DEFAULT_UPDATE_ALLOWANCE, maxStructs: updateLimits.maxStructs, maxDeleteRanges: updateLimits.maxDeleteRanges },
    roomCount: config.healthRoomCount,
  });
  await app.register(agreementsPlugin, { prefix: '/api/agreements', agreements });
  // Every route under /api/agreements/:id: the scope checks the token, loads the agreement and the route's permission.
  await app.register(
    async (scope) => {
      await scope.register(agreementScope, { access });
      await scope.register(agreementPlugin, { agreements, loadTextAhead: (id) => rooms.loadAhead(contentRoom(id), config.roomLoadAheadMs) });
      await scope.register(peoplePlugin, { people });
      await scope.register(auditPlugin, { audit });
      await scope.register(objectivesPlugin, { objectives });
      await scope.register(phasesPlugin, { phases });
      await scope.register(snapshotsPlugin, { snapshots, audit });
      await scope.register(threadsPlugin, { threads });
      await scope.register(sessionsPlugin, { sessions, rounds, notes: sessionNotes, audit, documents: worker });
      await scope.register(suggestionsPlugin, { suggestions, redlines });
      await scope.register(activityPlugin, { rooms });
    },
    { prefix: '/api/agreements/:id' },
  );
  collabRoute(app, ctx, {
    rateLimit: config.rateLimit ?? DEFAULT_RATE_LIMIT,
    maxMessageBytes: config.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    outputBufferBytes: config.outputBufferBytes ?? DEFAULT_OUTPUT_BUFFER_BYTES,
    maxConnectionsPerPerson: config.maxConnectionsPerPerson ?? DEFAULT_MAX_CONNECTIONS_PER_PERSON,
    updateLimits,
    costWorker,
    presenceAudit,
  });
  await registerStatic(app, config.staticDir);

  // Started with the server: the first visitor of a long text (its stored state is cut there for the load) or the
  // first returning visitor with changes to check would otherwise wait for the worker to load its code. The first
  // visitor of a 60-page text after a start was synced in 0.93 to 1.1 s, against 0.16 to 0.2 s with the worker
  // already up (bench/firstVisitAfterRestart.ts). At ready, so an app that fails to build or never starts has none.
  // Not the worker of people's clicks: it starts at the first click (about a second, once), as the background one
  // does, so a server nobody clicks on holds no third worker (about 80 MB under tsx) and a restart costs no more CPU.
  if (!config.costWorkerOnDemand) app.addHook('onReady', async () => costWorker.warm());
  // preClose runs before any onClose hook, so the rooms and storage are still open for this last write.
  app.addHook('preClose', async () => {
    await authorship.close().catch((err: unknown) => app.log.warn({ err }, 'authorship flush at close failed'));
    await presence.close();
    await presenceAudit.flush();
  });
  // Store every open room before the process lets go of its files.
  app.addHook('onClose', async () => {
    closing = true;
    stopHeartbeat();
    await worker.close();
    await personWorker.close();
    await costWorker.close();
    await rooms.closeAll();
    // After the rooms are stored: their last writes still need the leases.
    await ownership.close();
    await storage.close();
  });
  return app;
}
