import { CloseCode } from '#shared/protocol';

/** Longest wait one timer takes (setTimeout's limit, about 24.8 days): a later expiry is waited for in steps. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** An open websocket of a person, as the access rules need to reach it. */
export interface LiveConnection {
  agreementId: string;
  personId: string;
  /** The link it was opened with (absent for tokens issued before links were kept). */
  linkId?: string;
  /** When that link expires (ISO; null or absent: never): the connection ends then, as the API refuses the link from then on. */
  expiresAt?: string | null;
  close(code: number, reason: string): void;
  /** Asks the client for a sign of life, and drops the connection if none comes soon. */
  probe?(): void;
}

/** How long a change to a person's access is remembered for connections still being set up (their authentication takes milliseconds). */
const CHANGES_KEPT_MS = 10 * 60_000;

/**
 * Every open websocket by person, so revoking a person or a link, or changing a role,
 * reaches their connections at once rather than at their next reconnect.
 */
export class ConnectionRegistry {
  private readonly byPerson = new Map<string, Set<LiveConnection>>();
  /** When each person's connections were last probed (keyed by their set, so it goes with it). */
  private readonly probedAt = new WeakMap<Set<LiveConnection>, number>();
  /** Changes to people's access (each close of their connections), numbered in order. */
  private changes = 0;
  /** The latest change of each person changed recently, and when it was made. */
  private readonly changedPeople = new Map<string, { change: number; at: number }>();
  /** The latest change forgotten: a mark older than it cannot be told apart from a change. */
  private forgotten = 0;

  /**
   * Where the changes stand: taken before a connection reads who its person is. A revocation or role
   * change stored after that read but made before the connection is added here closed nothing of it
   * (it was not added yet); {@link changedSince} tells it to read again.
   */
  mark(): number {
    return this.changes;
  }

  /** Whether the person's access changed (their connections were closed) since `mark` was taken. */
  changedSince(agreementId: string, personId: string, mark: number): boolean {
    if (mark < this.forgotten) return true;
    return (this.changedPeople.get(personKey(agreementId, personId))?.change ?? 0) > mark;
  }

  private noteChange(key: string): void {
    const now = performance.now();
    for (const [person, { change, at }] of this.changedPeople) {
      if (now - at < CHANGES_KEPT_MS) break;
      this.changedPeople.delete(person);
      this.forgotten = change;
    }
    // Re-inserted, so the map stays in the order of the changes and the oldest are forgotten first.
    this.changedPeople.delete(key);
    this.changedPeople.set(key, { change: ++this.changes, at: now });
  }

  /** Registers a connection; call the returned function when it closes. */
  add(connection: LiveConnection): () => void {
    const key = personKey(connection.agreementId, connection.personId);
    let set = this.byPerson.get(key);
    if (!set) this.byPerson.set(key, (set = new Set()));
    set.add(connection);
    const stopExpiry = atTime(connection.expiresAt, () => connection.close(CloseCode.AccessEnded, 'this link has expired'));
    return () => {
      stopExpiry();
      set.delete(connection);
      if (set.size === 0 && this.byPerson.get(key) === set) this.byPerson.delete(key);
    };
  }

  /** Closes a person's connections (only those of one link when `linkId` is given); returns how many. */
  close(agreementId: string, personId: string, code: number, reason: string, linkId?: string): number {
    this.noteChange(personKey(agreementId, personId));
    const set = this.byPerson.get(personKey(agreementId, personId));
    if (!set) return 0;
    const targets = [...set].filter((c) => linkId === undefined || c.linkId === linkId);
    for (const connection of targets) connection.close(code, reason);
    return targets.length;
  }

  /**
   * Asks each of a person's connections for a sign of life (see `LiveConnection.probe`), at most
   * once per `everyMs`: a client refused again and again must not become a stream of pings.
   */
  probe(agreementId: string, personId: string, everyMs: number): void {
    const set = this.byPerson.get(personKey(agreementId, personId));
    if (!set) return;
    const now = performance.now();
    if (now - (this.probedAt.get(set) ?? -Infinity) < everyMs) return;
    this.probedAt.set(set, now);
    for (const connection of set) connection.probe?.();
  }

  /** How many connections a person holds open now. */
  count(agreementId: string, personId: string): number {
    return this.byPerson.get(personKey(agreementId, personId))?.size ?? 0;
  }

  isConnected(agreementId: string, personId: string): boolean {
    return this.byPerson.has(personKey(agreementId, personId));
  }
}

/** Runs `then` at `time` (nothing for none); returns what cancels it. */
function atTime(time: string | null | undefined, then: () => void): () => void {
  if (!time) return () => {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  const wait = () => {
    const left = Date.parse(time) - Date.now();
    if (left <= 0) return then();
    timer = setTimeout(wait, Math.min(left, LONGEST_TIMER_MS));
    // A link's end holds no process open.
    timer.unref();
  };
  wait();
  return () => clearTimeout(timer);
}

function personKey(agreementId: string, personId: string): string {
  return `${agreementId}/${personId}`;
}
