import type { TokenService } from './auth/tokens';
import type { RoomManager } from './rooms/RoomManager';
import type { Storage } from './storage/port';

/** The services every route shares, built once by buildApp. */
export interface AppContext {
  storage: Storage;
  tokens: TokenService;
  rooms: RoomManager;
}
