import type { Identity } from '#shared/protocol';
import type { AuditLog } from './service';

/** A person back within this long of leaving never left, as far as the audit log goes. */
export const DEFAULT_REJOIN_GRACE_MS = 60_000;

interface Visit {
  identity: Identity;
  /** Their open connections to the agreement's text. */
  connections: number;
  /** Set while their last connection has closed and the grace runs. */
  leaving?: { at: Date; timer: NodeJS.Timeout };
}

/**
 * Writes `person.joined` and `person.left` per visit, not per connection: a person's second
 * tab writes nothing, and a leave is written only once they have stayed away for the grace
 * (with the time they left), so a client reconnecting in a loop, hostile or just on a bad
 * network, writes one join and one leave however often it reconnects. At most one pair per
 * person per grace period reaches the log.
 */
export class PresenceAudit {
  private readonly visits = new Map<string, Visit>();

  constructor(
    private readonly audit: AuditLog,
    private readonly graceMs = DEFAULT_REJOIN_GRACE_MS,
  ) {}

  /** A connection of `identity` joined the agreement's text; answers what to call once it closes. */
  connected(identity: Identity): () => void {
    const key = `${identity.agreementId}\n${identity.personId}`;
    let visit = this.visits.get(key);
    if (!visit) {
      visit = { identity, connections: 0 };
      this.visits.set(key, visit);
      void this.audit.record(identity.agreementId, 'person.joined', `${identity.name} joined as ${identity.role}`, identity);
    } else if (visit.leaving) {
      clearTimeout(visit.leaving.timer);
      visit.leaving = undefined;
    }
    visit.connections++;
    const current = visit;
    let closed = false;
    return () => {
      if (closed) return;
      closed = true;
      if (--current.connections > 0 || this.visits.get(key) !== current) return;
      const timer = setTimeout(() => void this.left(key), this.graceMs);
      timer.unref();
      current.leaving = { at: new Date(), timer };
    };
  }

  /** The server is closing: everyone leaves now, those in their grace as of when they left. */
  async flush(): Promise<void> {
    await Promise.all([...this.visits.keys()].map((key) => this.left(key)));
  }

  private async left(key: string): Promise<void> {
    const visit = this.visits.get(key);
    if (!visit) return;
    if (visit.leaving) clearTimeout(visit.leaving.timer);
    // Its connections may still close afterwards: they find no visit and write nothing.
    this.visits.delete(key);
    const { identity } = visit;
    await this.audit.record(identity.agreementId, 'person.left', `${identity.name} left`, identity, undefined, visit.leaving?.at);
  }
}
