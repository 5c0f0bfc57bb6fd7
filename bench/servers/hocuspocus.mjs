// @hocuspocus/server 4.7.0 with the bench's file persistence (fetch on load, store the state).
import { startHocuspocus } from './hocuspocusServer.mjs';

await startHocuspocus();
