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

  record(agreementId: string, kind: string, detail: string, by?: AuditPerson, subject?: AuditPerson): Promise<void> {
    const entry: AuditEntry = {
      at: new Date().toISOString(),
      kind,
      ...(by ? { by: person(by) } : {}),
      ...(subject ? { subject: person(subject) } : {}),
      detail,
    };
    return this.storage.appendAudit(agreementId, entry).catch((err: unknown) => {
      this.log.error({ err, agreementId, kind }, 'audit write failed');
    });
  }

  list(agreementId: string): Promise<AuditEntry[]> {
    return this.storage.listAudit(agreementId);
  }
}

function person({ personId, name, role }: AuditPerson): AuditPerson {
  return { personId, name, role };
}
