import type { TokenService } from './auth/tokens';
import type { AccessService } from './auth/AccessService';
import type { AuditLog } from './features/audit/service';
import type { AgreementEventBus } from './events';
import type { RoomManager } from './rooms/RoomManager';
import type { Storage } from './storage/port';
import type { Ownership } from './cluster/ownership';

/** The services every route shares, built once by buildApp. */
export interface AppContext {
  storage: Storage;
  tokens: TokenService;
  /** Who a token's bearer is now (links, expiry, revocation, role from the records). */
  access: AccessService;
  audit: AuditLog;
  rooms: RoomManager;
  /** Lets one feature react to another's records (listeners must not throw). */
  events: AgreementEventBus;
  /** Which instance serves each agreement (always this one without a shared database). */
  ownership: Ownership;
}
