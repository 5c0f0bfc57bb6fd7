import type { PresenceAudit } from '../features/audit/presence';
import type { FastifyInstance } from 'fastify';
import { CloseCode, DEFAULT_UPDATE_ALLOWANCE } from '#shared/protocol';
import { roomName } from '#shared/rooms';
import type { AppContext } from '../context';
import { expiryOfLink } from '../auth/AccessService';
import type { Room } from '../rooms/Room';
import { carriesChanges } from '../rooms/messages';
import { authorOf } from '../records/write';
import { ProtocolError, type RoomSocket } from '../rooms/socket';
import { ConnectionBudget, RateLimitCooldown, type RateLimit } from './rateLimit';
import type { UpdateLimits } from '../rooms/guards/limits';
import type { DocumentWorker } from '../features/snapshots/diff/DocumentWorker';
import { sendCapped } from './outputCap';
import { UpdateGate } from './updateGate';
import { offersDeflatedSync, offersTextStructs, tokenFromProtocols } from './protocols';
import { livenessProbe } from './livenessProbe';
import { admit, presenceOf } from './admission';
import { closeAfterSetupFailure, closeWith } from './closing';
import { FORWARDED_HEADER, routeOrRefuse } from '../cluster/forwardHttp';
import { CUT_OFF_FOR_FLOODING, pipeToOwner, type Upstream } from '../cluster/forwardSocket';

/** Websockets one person may hold open at once (text, records and caucus rooms of four tabs). */
export const DEFAULT_MAX_CONNECTIONS_PER_PERSON = 12;
/**
 * How long a person's connections have to answer a ping when the person is refused for holding
 * too many; silent ones are dropped. Long enough for a slow network's round trip, short against
 * the client's retries (up to 2.5 s apart).
 */
const DEAD_CONNECTION_PROBE_MS = 5_000;

/**
 * Times what a client sent before it left is taken to the agreement's owner again after the owner it was
 * forwarded to did not let it in, and the wait before each: about the time a lease takes to change hands.
 */
const MAX_HAND_ONS = 3;
const HAND_ON_AFTER_MS = 250;

export interface CollabOptions {
  rateLimit: RateLimit;
  maxMessageBytes: number;
  /** Unsent output over which a connection is closed with 1013. */
  outputBufferBytes: number;
  /** Websockets one person may hold open at once; more are refused with 4129 (temporary: the client retries, with backoff, until a place frees). */
  maxConnectionsPerPerson: number;
  updateLimits: UpdateLimits;
  /** Measures big updates off the main thread. */
  costWorker: DocumentWorker;
  /** Joins and leaves of the text, per visit, for the audit log. */
  presenceAudit: PresenceAudit;
}

/**
 * Work (structs plus delete ranges) one connection may ask of its room per second, with
 * five seconds of it at once: pasting a long agreement is a few thousand, typing one each.
 * Published in `/api/health`; the app's client paces what it sends under it.
 */
const { workPerSecond: WORK_PER_SECOND, workBurst: WORK_BURST } = DEFAULT_UPDATE_ALLOWANCE;

/**
 * The stock y-websocket client connects to `<serverUrl>/<room>`, its token offered in
 * `Sec-WebSocket-Protocol` (or, from older clients, in `?token=`).
 */
export function collabRoute(app: FastifyInstance, ctx: AppContext, options: CollabOptions): void {
  const cooldown = new RateLimitCooldown(options.rateLimit);
  app.get<{ Params: { room: string }; Querystring: { token?: string } }>('/collab/:room', { websocket: true }, (socket, request) => {
    const log = request.log;
    const pending: Uint8Array[] = [];
    let room: Room | undefined;
    /** Where frames go once the connection is set up: the local room, or the owner's instance. */
    let sink: ((message: Uint8Array) => void) | undefined;
    let upstream: Upstream | undefined;
    let closed = false;
    let unregister: (() => void) | undefined;
    let leftAudit: (() => void) | undefined;
    const budget = new ConnectionBudget(options.rateLimit, options.maxMessageBytes);

    const roomSocket: RoomSocket = {
      send(message) {
        sendCapped(socket, message, options.outputBufferBytes, () => {
          log.warn({ room: room?.name, buffered: socket.bufferedAmount }, 'closing a connection that does not read its output');
          gate.stop();
        });
      },
      close(code, reason) {
        closeWith(socket, code, reason);
      },
      get bufferedAmount() {
        return socket.bufferedAmount;
      },
    };

    let personKey: string | undefined;

    const deliver = (message: Uint8Array) => {
      try {
        room?.receive(roomSocket, message);
      } catch (err) {
        if (err instanceof ProtocolError && !err.close) {
          log.warn({ room: room?.name, reason: err.message }, 'dropped a message the server could not use');
          return;
        }
        const reason = err instanceof ProtocolError ? err.message : 'internal error';
        log.warn({ err, room: room?.name }, 'closing connection after a bad message');
        // Both codes make the client reconnect and resync: a buggy client is never parked for good.
        closeWith(socket, err instanceof ProtocolError ? CloseCode.BadMessage : CloseCode.InternalError, reason);
      }
    };

    const workBudget = new ConnectionBudget(
      { messagesPerSecond: 0, bytesPerSecond: WORK_PER_SECOND, burstSeconds: WORK_BURST / WORK_PER_SECOND },
      options.updateLimits.maxStructs + options.updateLimits.maxDeleteRanges,
    );
    const gate = new UpdateGate(
      options.updateLimits,
      workBudget,
      options.costWorker,
      deliver,
      (refusal) => {
        log.warn({ room: room?.name, refusal }, 'refusing an update');
        if (refusal.kind === 'overBudget') closeWith(socket, CloseCode.TryAgainLater, 'too much work asked: reconnect later');
        else closeWith(socket, CloseCode.BadMessage, refusal.reason);
      },
      () => room?.knownState(),
    );

    // Listen before any await: frames that arrive during authentication are kept, not lost.
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (closed || socket.readyState !== socket.OPEN) return;
      if (!isBinary) {
        closeWith(socket, CloseCode.BadMessage, 'binary frames only');
        return;
      }
      if (!budget.spend(data.byteLength)) {
        log.warn({ room: room?.name }, 'closing a connection over its rate limit');
        if (personKey) cooldown.start(personKey);
        // Forwarded: the owner's cooldown is the one every instance's connections meet, so it is told
        // why (cut off here alone, the next instance a balancer chose let the person straight back in).
        if (upstream) closeLinkToOwner(upstream, CUT_OFF_FOR_FLOODING);
        closeWith(socket, CloseCode.TryAgainLater, 'too many messages: try again later');
        return;
      }
      const message = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      if (!sink) return void pending.push(message);
      try {
        sink(message);
      } catch (err) {
        // A throw out of a socket's listener would stop the server and everyone's session with it:
        // whatever this connection's message set off, only this connection ends.
        log.error({ err, room: room?.name }, 'closing a connection after an unexpected error');
        socket.terminate();
      }
    });
    /**
     * Leaves the room once what the connection sent before its close is let in: its writer's work (a
     * program that writes and disconnects, a paste and a closed tab). Answers to it go nowhere.
     */
    const leaveAfterSettled = (joined: Room) => {
      void gate.settled().then(() => {
        joined.leave(roomSocket);
        ctx.rooms.release(joined);
        if (room === joined) room = undefined;
        leftAudit?.();
        leftAudit = undefined;
        unregister?.();
      });
    };
    /**
     * Forwarded: what waits for the link to the owner goes once it opens, then the link closes; the
     * connection holds its place among the person's connections until then.
     */
    const closeLinkToOwner = (link: Upstream, code?: number) => {
      void link.close(code).then(() => unregister?.());
    };
    /**
     * Closed before it was let in: the changes it sent meanwhile are still its work and go on (as after
     * a close once joined); its presence and its sync request are moot. True when nothing is left to let in.
     */
    const closedWithNothingToLetIn = () => {
      if (!closed) return false;
      const changes = pending.filter(carriesChanges);
      pending.splice(0, pending.length, ...changes);
      return pending.length === 0;
    };
    /** Until the setup below has joined the room, refused the connection or handed it to another instance. */
    let settingUp = true;
    socket.on('close', (code: number) => {
      closed = true;
      // An instance that forwarded this connection cut its client off for flooding: the person waits here too.
      if (code === CUT_OFF_FOR_FLOODING && personKey) cooldown.start(personKey);
      if (upstream) {
        closeLinkToOwner(upstream);
      } else if (room) {
        leaveAfterSettled(room);
      } else if (!settingUp) {
        unregister?.();
      }
      // Else still setting up: the setup lets in what arrived meanwhile (or drops it if refused) and gives the place back.
    });

    const failed = (err: unknown) => closeAfterSetupFailure(socket, err, log);

    void (async () => {
      const token = tokenFromProtocols(request.headers['sec-websocket-protocol']) ?? request.query.token;
      const admission = await admit(ctx, request.params.room, token, cooldown);
      if (!admission.ok) return closeWith(socket, admission.code, admission.reason);
      const { identity, agreement, person, ref, access } = admission;
      personKey = admission.personKey;
      // With no changes sent before its close, the room need not load for it.
      if (closedWithNothingToLetIn()) return;
      // Each connection costs a sync of the whole text, a presence and up to its output cap: one
      // person (one token, any client) may hold only so many. Counted before the room loads, so
      // connections still loading count too.
      if (ctx.access.connections.count(identity.agreementId, identity.personId) >= options.maxConnectionsPerPerson) {
        // Some of them may be dead without a close (a laptop that changed networks): ask them now
        // rather than at the next heartbeat, so the client's next try can find a place.
        ctx.access.connections.probe(identity.agreementId, identity.personId, DEAD_CONNECTION_PROBE_MS);
        return closeWith(socket, CloseCode.TooManyConnections, 'too many connections open: close other tabs of this agreement');
      }
      // Registered before the room loads: a revocation while it loads still reaches this socket. Closed
      // already, it still holds its place until what it sent is let in.
      unregister = ctx.access.connections.add({
        agreementId: identity.agreementId,
        personId: identity.personId,
        linkId: identity.linkId,
        expiresAt: expiryOfLink(person, identity.linkId),
        close: (code, reason) => closeWith(socket, code, reason),
        probe: livenessProbe(socket, DEAD_CONNECTION_PROBE_MS),
      });
      /**
       * Serves the connection where its agreement is served now: here, or through a link to the owner. Again
       * for what the client sent before it left, when the owner it was forwarded to did not let it in
       * (`handOns` times so far): that owner may have lost the lease meanwhile, and nobody else would send it.
       */
      const serve = async (handOns: number): Promise<void> => {
        if (ctx.ownership.clustered) {
          const forwarded = request.headers[FORWARDED_HEADER] !== undefined;
          const route = await routeOrRefuse(ctx.ownership, ref.agreementId, forwarded).catch(() => undefined);
          if (closedWithNothingToLetIn()) return;
          // Forwarded here as to the owner, and not served here: the instance that forwarded it asks where it is served now.
          if (!route && forwarded) return closeWith(socket, CloseCode.OwnerLost, 'the agreement is not served here; reconnect');
          if (!route) return closeWith(socket, CloseCode.TryAgainLater, 'the agreement cannot be served right now; try again');
          if (!route.local) {
            const forward = pipeToOwner(socket, route.ownerUrl, request.url, {
              protocols: request.headers['sec-websocket-protocol']?.split(',').map((p) => p.trim()),
              outputBufferBytes: options.outputBufferBytes,
              log,
              // Its place is the owner's to count: freed there (a dead client dropped at the owner's
              // question), it is freed here at once, not when this socket's close handshake times out (30 s).
              onClosed: () => unregister?.(),
              onNotLetIn:
                handOns < MAX_HAND_ONS
                  ? (changes) => {
                      upstream = undefined;
                      pending.push(...changes);
                      // Asked again a moment later: a lease given back or lost is taken by the next instance that asks.
                      setTimeout(() => void serve(handOns + 1).catch(failed), HAND_ON_AFTER_MS);
                    }
                  : undefined,
            });
            upstream = forward;
            sink = (message) => forward.send(message);
            for (const message of pending.splice(0)) forward.send(message);
            // Closed while the owner was found: the changes it sent still go to the owner, then the link closes.
            if (closed) closeLinkToOwner(forward);
            return;
          }
        }
        const joined = await ctx.rooms.acquire(roomName(ref));
        if (closedWithNothingToLetIn()) {
          ctx.rooms.release(joined);
          return;
        }
        room = joined;
        if (ref.kind === 'content') {
          leftAudit = options.presenceAudit.connected(identity);
        }
        room.join(roomSocket, {
          canWrite: access === 'write',
          personId: identity.personId,
          presence: presenceOf(identity, agreement),
          author: authorOf(identity),
          deflatedSync: offersDeflatedSync(request.headers['sec-websocket-protocol']),
          textStructs: offersTextStructs(request.headers['sec-websocket-protocol']),
        });
        // Loaded ahead for this person (their page asked for the agreement)? Their connection holds it now.
        ctx.rooms.joined(room.name);
        // A locally served connection's messages go through the update gate (forwarded ones are the owner's to check).
        sink = (message) => gate.submit(message);
        for (const message of pending.splice(0)) gate.submit(message);
        if (closed) leaveAfterSettled(joined);
      };
      await serve(0);
    })()
      .catch(failed)
      .finally(() => {
        settingUp = false;
        // Closed while setting up and neither joined nor forwarded (those give their place back as they end): it holds none.
        if (closed && !room && !upstream) unregister?.();
      });
  });
}
