import { EventEmitter } from 'node:events';
import type { Identity } from '#shared/protocol';

/**
 * Things that happened to an agreement, for features that react to each other without
 * importing each other (a phase change triggers a snapshot, say).
 */
export interface AgreementEvents {
  /** The broker moved the agreement to another life-cycle phase (already recorded). */
  'phase.changed': [{ agreementId: string; by: Identity; phase: string; previous: string | null }];
  /** A person was revoked, or their role or party changed (already stored): what they were doing in a session may no longer fit. */
  'person.changed': [{ agreementId: string; personId: string; revoked: boolean }];
  /** Every party now agrees to every objective (already recorded). */
  'objectives.allAgreed': [{ agreementId: string; by: Identity }];
}

export class AgreementEventBus extends EventEmitter<AgreementEvents> {}
