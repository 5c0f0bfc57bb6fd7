// @hocuspocus/server 4.7.0 with @hocuspocus/extension-redis: several instances share each
// document through Redis pub/sub (the peer for our one-owner-per-agreement design), each
// storing it with the bench's file persistence under its own DATA_DIR.
import { Server } from '@hocuspocus/server';
import { Redis } from '@hocuspocus/extension-redis';
import { loadInto, storeState } from './framedFile.mjs';

const dir = process.env.DATA_DIR;
const server = new Server({
  port: Number(process.env.PORT ?? 0),
  address: '127.0.0.1',
  quiet: true,
  extensions: [new Redis({ host: '127.0.0.1', port: Number(process.env.REDIS_PORT), identifier: `bench-${process.pid}` })],
  async onLoadDocument({ documentName, document }) {
    loadInto(dir, documentName, document);
  },
  async onStoreDocument({ documentName, document }) {
    storeState(dir, documentName, document);
  },
});
const hocuspocus = await server.listen();
globalThis.__benchDocCount = () => hocuspocus.getDocumentsCount();
console.log(`listening on http://127.0.0.1:${server.address.port}`);
