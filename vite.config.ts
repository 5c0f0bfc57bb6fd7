import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { precompress } from './scripts/precompress.ts';
import { agreementPageChunk } from './scripts/agreementPageChunk.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
/** The API server the dev server forwards to (scripts/dev.mjs starts it on this port). */
const apiPort = process.env.PORT ?? '3000';
const pageChunk = agreementPageChunk();

export default defineConfig({
  root: resolve(here, 'client'),
  plugins: [react(), precompress(), pageChunk.plugin],
  // The text's undo is Yjs's: ProseMirror's history, configured off, is not shipped (client/src/editor/noProseMirrorHistory.ts).
  resolve: { alias: { '@tiptap/pm/history': resolve(here, 'client/src/editor/noProseMirrorHistory.ts') } },
  build: {
    outDir: resolve(here, 'dist'),
    emptyOutDir: true,
    // Maps are written for debugging a build but never served (server/src/http/static.ts), and
    // no file points to them: a visitor's browser never downloads them.
    sourcemap: 'hidden',
    // The agreement page's chunk carries Tiptap, ProseMirror and Yjs (~700 kB before gzip).
    chunkSizeWarningLimit: 900,
    // The service worker (client/public/sw.js) reads this to keep every chunk on the device.
    manifest: 'asset-manifest.json',
    rolldownOptions: {
      treeshake: {
        // Tiptap defines each extension with a top-level `Node.create({...})` (or Mark, Extension)
        // call, which the bundler kept in case it did something: every node of a package came along
        // when one was used (the task list's, with the lists). The calls only build a definition;
        // with these names pure, what is never used is left out (2.2 KB off the agreement page).
        manualPureFunctions: ['Node', 'Mark', 'Extension'],
      },
      // The agreement page's modules stay in one chunk when views of it load on demand (scripts/agreementPageChunk.ts).
      output: { codeSplitting: { groups: [pageChunk.group] } },
    },
  },
  server: {
    host: '127.0.0.1',
    port: Number(process.env.VITE_PORT ?? 5173),
    proxy: {
      '/api': { target: `http://127.0.0.1:${apiPort}`, changeOrigin: true },
      '/collab': { target: `ws://127.0.0.1:${apiPort}`, ws: true },
    },
  },
});
