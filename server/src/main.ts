import { fileURLToPath } from 'node:url';
import { buildApp } from './app';
import { readConfig } from './config';

const staticDir = fileURLToPath(new URL('../../dist', import.meta.url));
const config = readConfig(process.env, staticDir);
const app = await buildApp(config);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  app.log.info({ signal }, 'flushing and shutting down');
  // Hold the process until every room is stored; a second signal does not cut this short.
  try {
    await app.close();
    process.exit(0);
  } catch (err) {
    app.log.error({ err }, 'shutdown failed');
    process.exit(1);
  }
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));

const address = await app.listen({ port: config.port, host: config.host });
// PORT=0 picks a free port; say which, whatever the log level, for scripts that start us.
console.log(`listening on ${address}`);
