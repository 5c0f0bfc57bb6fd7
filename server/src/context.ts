import type { TokenService } from './auth/tokens';
import type { AccessService } from './access/AccessService';
import type { PeopleService } from './access/PeopleService';
import type { AuditLog } from './audit/AuditLog';
import type { AgreementEventBus } from './events';
import type { RoomManager } from './rooms/RoomManager';
import type { Storage } from './storage/port';

/** The services every route shares, built once by buildApp. */
export interface AppContext {
  storage: Storage;
  tokens: TokenService;
  /** Who a token's bearer is now (links, expiry, revocation, role from the records). */
  access: AccessService;
  /** Inviting, revoking, re-issuing links and changing roles. */
  people: PeopleService;
  audit: AuditLog;
  rooms: RoomManager;
  /** Lets one feature react to another's records (listeners must not throw). */
  events: AgreementEventBus;
}
