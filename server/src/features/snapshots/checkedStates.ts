import { RecentlyUsed } from '../../recentlyUsed';
import { KEPT_AGREEMENTS } from './quota';

/** A stored state's recomputed fingerprint (null: it does not decode), with the state's digest and, once a listing has seen it, its storage stamp. */
export interface CheckedState {
  digest: string;
  hash: string | null;
  stamp?: string;
}

/**
 * The checked fingerprints of the snapshots of the agreements listed last: kept for every
 * snapshot of every agreement listed since the server started, they stayed for good. An
 * agreement's let go are checked again at its next listing.
 */
export class CheckedStates {
  private readonly byAgreement: RecentlyUsed<string, Map<string, CheckedState>>;

  constructor(keep = KEPT_AGREEMENTS) {
    this.byAgreement = new RecentlyUsed(keep);
  }

  get(record: { agreementId: string; id: string }): CheckedState | undefined {
    return this.byAgreement.get(record.agreementId)?.get(record.id);
  }

  set(record: { agreementId: string; id: string }, checked: CheckedState): void {
    let states = this.byAgreement.get(record.agreementId);
    if (!states) this.byAgreement.set(record.agreementId, (states = new Map()));
    states.set(record.id, checked);
  }
}
