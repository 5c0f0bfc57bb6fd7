// @hocuspocus/server 4.7.0 with @hocuspocus/extension-redis: several instances share each
// document through Redis pub/sub (the peer for our one-owner-per-agreement design), each
// storing it with the bench's file persistence under its own DATA_DIR.
import { Redis } from '@hocuspocus/extension-redis';
import { startHocuspocus } from './hocuspocusServer.mjs';

await startHocuspocus([new Redis({ host: '127.0.0.1', port: Number(process.env.REDIS_PORT), identifier: `bench-${process.pid}` })]);
