import type { AuditEntry } from '#shared/access';
import type { Identity } from '#shared/protocol';
import type { Storage } from '../../storage/port';
import type { Logger } from '../../log';

/** Who did something, or whom it concerned, as the audit log names them. */
export type AuditPerson = Pick<Identity, 'personId' | 'name' | 'role'>;

/**
 * The per-agreement audit log, written by the server alone: joins and leaves, invites,
 * revocations, re-issued links, role and phase changes, exports. A failed write is
 * logged, never thrown at the person whose action it records.
 */
export class AuditLog {
  constructor(
    private readonly storage: Storage,
    private readonly log: Logger,
  ) {}

  /** Appends an entry; `at` is when it happened, if that was earlier than now (a leave written after its grace). */
  record(agreementId: string, kind: string, detail: string, by?: AuditPerson, subject?: AuditPerson, at = new Date()): Promise<void> {
    const entry: AuditEntry = {
      at: at.toISOString(),
      kind,
      ...(by ? { by: person(by) } : {}),
      ...(subject ? { subject: person(subject) } : {}),
      detail,
    };
    return this.storage.appendAudit(agreementId, entry).catch((err: unknown) => {
      this.log.error({ err, agreementId, kind }, 'audit write failed');
    });
  }

  /** Oldest first by when each thing happened (a leave is appended after its grace, with the time of the leave). */
  async list(agreementId: string): Promise<AuditEntry[]> {
    const entries = await this.storage.listAudit(agreementId);
    // Stable: entries of the same moment keep the order they were written in.
    return entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }
}

function person({ personId, name, role }: AuditPerson): AuditPerson {
  return { personId, name, role };
}
