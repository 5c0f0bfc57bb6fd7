// One @hocuspocus/server 4.7.0 instance with the bench's file persistence (fetch on load, store
// the state) under DATA_DIR, with whatever extensions the caller adds; prints where it listens.
import { Server } from '@hocuspocus/server';
import { loadInto, storeState } from './framedFile.mjs';

export async function startHocuspocus(extensions = []) {
  const dir = process.env.DATA_DIR;
  const server = new Server({
    port: Number(process.env.PORT ?? 0),
    address: '127.0.0.1',
    quiet: true,
    extensions,
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
}
