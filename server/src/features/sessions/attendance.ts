import { RecordsKey } from '#shared/records';
import type { Logger } from '../../log';
import type { Role } from '#shared/roles';
import { parseRoom } from '#shared/rooms';
import { type AttendanceEntry, type LiveSession } from '#shared/sessions';
import { writeRecords } from '../../records/write';
import type { RoomExtension } from '../../rooms/extension';
import type { Room } from '../../rooms/Room';
import type { RoomManager } from '../../rooms/RoomManager';
import { activeSession } from './sessionRecords';

/**
 * Join and leave entries one session keeps: a connection that flaps for hours must not
 * grow the records room without end. Past it, attendance stops being recorded (and says so in the log).
 */
export const MAX_ATTENDANCE_PER_SESSION = 2000;

interface PresentPerson {
  personId: string;
  name: string;
  role: Role;
  party?: string;
  /** Awareness client ids (tabs, devices) this person is present with. */
  clients: Set<number>;
}

type Person = Omit<PresentPerson, 'clients'>;

/** The identity the server stamped into a presence state (see rooms/awarenessGuard). */
function stampedPerson(state: unknown): Person | null {
  const user = (state as { user?: Record<string, unknown> } | undefined)?.user;
  if (!user || typeof user.personId !== 'string' || typeof user.name !== 'string' || typeof user.role !== 'string') return null;
  return { personId: user.personId, name: user.name, role: user.role as Role, ...(typeof user.party === 'string' ? { party: user.party } : {}) };
}

/**
 * Attendance from presence: watches who is present in each agreement's text room and,
 * while a session runs, records when each person joins and leaves (their first tab
 * opens, their last one closes or times out).
 */
export class AttendanceTracker implements RoomExtension {
  private readonly present = new Map<string, Map<string, PresentPerson>>();

  constructor(
    private readonly rooms: RoomManager,
    private readonly log: Logger,
  ) {}

  beforeUnload(room: Room): void {
    const ref = parseRoom(room.name);
    if (ref?.kind === 'content') this.present.delete(ref.agreementId);
  }

  afterLoad(room: Room): void {
    const ref = parseRoom(room.name);
    if (ref?.kind !== 'content') return;
    const agreementId = ref.agreementId;
    // Nobody is present in a room that was not loaded: stretches still open were left open by a crash.
    void this.closeOpenStretches(agreementId, new Date().toISOString());
    const people = new Map<string, PresentPerson>();
    const clientPerson = new Map<number, string>();
    this.present.set(agreementId, people);
    room.awareness.on('change', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
      const at = new Date().toISOString();
      const changes: { person: Person; kind: 'join' | 'leave' }[] = [];
      for (const clientId of [...added, ...updated]) {
        if (clientPerson.has(clientId)) continue;
        const person = stampedPerson(room.awareness.getStates().get(clientId));
        if (!person) continue;
        clientPerson.set(clientId, person.personId);
        const known = people.get(person.personId);
        if (known) known.clients.add(clientId);
        else {
          people.set(person.personId, { ...person, clients: new Set([clientId]) });
          changes.push({ person, kind: 'join' });
        }
      }
      for (const clientId of removed) {
        const personId = clientPerson.get(clientId);
        clientPerson.delete(clientId);
        const known = personId === undefined ? undefined : people.get(personId);
        if (!known) continue;
        known.clients.delete(clientId);
        if (known.clients.size === 0) {
          people.delete(known.personId);
          changes.push({ person: known, kind: 'leave' });
        }
      }
      if (changes.length > 0) void this.record(agreementId, at, changes);
    });
  }

  /** Everyone present when a session starts joined it then. */
  sessionStarted(agreementId: string, session: LiveSession): Promise<void> {
    return this.recordFor(agreementId, session, session.startedAt!, 'join');
  }

  /** Everyone still present when a session ends left it then. */
  sessionEnded(agreementId: string, session: LiveSession): Promise<void> {
    return this.recordFor(agreementId, session, session.endedAt!, 'leave');
  }

  private async recordFor(agreementId: string, session: LiveSession, at: string, kind: 'join' | 'leave'): Promise<void> {
    const people = [...(this.present.get(agreementId)?.values() ?? [])];
    if (people.length === 0) return;
    await writeRecords(this.rooms, agreementId, (doc) => {
      doc.getArray<AttendanceEntry>(RecordsKey.attendance).push(people.map((p) => entry(session.id, p, kind, at)));
    });
  }

  /**
   * Ends, at `at`, the stretches of presence the running session still has open (a crash recorded nobody's
   * leaving). When they really ended is unknown: at the latest when the server stopped, so no later than now.
   */
  private async closeOpenStretches(agreementId: string, at: string): Promise<void> {
    try {
      await writeRecords(this.rooms, agreementId, (doc) => {
        const session = activeSession(doc);
        if (session?.status !== 'running') return;
        const entries = doc.getArray<AttendanceEntry>(RecordsKey.attendance);
        const open = new Map<string, AttendanceEntry>();
        for (const e of entries.toArray()) {
          if (e.sessionId !== session.id) continue;
          if (e.kind === 'join') open.set(e.personId, e);
          else open.delete(e.personId);
        }
        if (open.size > 0) entries.push([...open.values()].map((e) => ({ ...e, kind: 'leave' as const, at })));
      });
    } catch (err) {
      this.log.error({ err, agreementId }, 'closing attendance left open failed');
    }
  }

  private async record(agreementId: string, at: string, changes: { person: Person; kind: 'join' | 'leave' }[]): Promise<void> {
    try {
      await writeRecords(this.rooms, agreementId, (doc) => {
        const session = activeSession(doc);
        if (session?.status !== 'running') return;
        const entries = doc.getArray<AttendanceEntry>(RecordsKey.attendance);
        if (entries.toArray().filter((e) => e.sessionId === session.id).length >= MAX_ATTENDANCE_PER_SESSION) {
          this.log.warn({ agreementId, sessionId: session.id }, 'attendance not recorded: the session has reached its limit');
          return;
        }
        entries.push(changes.map((c) => entry(session.id, c.person, c.kind, at)));
      });
    } catch (err) {
      this.log.error({ err, agreementId }, 'recording attendance failed');
    }
  }
}

function entry(sessionId: string, person: Person, kind: 'join' | 'leave', at: string): AttendanceEntry {
  return { sessionId, personId: person.personId, name: person.name, role: person.role, ...(person.party ? { party: person.party } : {}), kind, at };
}
