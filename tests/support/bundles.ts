import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cache = join(root, 'node_modules', '.cache');
/** This process's bundles: under node_modules/.cache, so what a bundle still imports (optional packages) resolves from the project's node_modules. */
const dir = join(cache, `cg-bundles-${process.pid}`);
const built = new Map<string, Promise<string>>();

/**
 * `entry` (a path from the project's root) bundled by esbuild (the transformer tsx uses) with its
 * packages, once per test process, as `name`. Code that tsx would load module by module starts on a
 * fraction of the CPU: the server's process 1.3 against 2.0 s, the document worker 0.25 against 1.2 s.
 */
export function bundled(entry: string, name: string): Promise<string> {
  let file = built.get(name);
  if (!file) {
    if (built.size === 0) {
      // This process's first bundle: clear what ended processes left, and go with this one.
      removeBundlesOfEndedProcesses();
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    }
    file = (async () => {
      const outfile = join(dir, name);
      await build({
        entryPoints: [join(root, entry)],
        bundle: true,
        platform: 'node',
        format: 'esm',
        // The CommonJS packages inside call require (node's own modules, optional ones in a try).
        banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
        outfile,
        logLevel: 'warning',
      });
      return outfile;
    })();
    built.set(name, file);
  }
  return file;
}

/** The document worker's code bundled (server/src/features/snapshots/diff/worker.ts), for `AppConfig.workerScript`. */
export async function bundledWorker(): Promise<URL> {
  return pathToFileURL(await bundled('server/src/features/snapshots/diff/worker.ts', 'worker.boot.mjs'));
}

/**
 * A test worker that vitest ends with a signal never runs its 'exit' handler, and its bundles
 * stayed behind (23 of them after a few runs): those of processes no longer running go.
 */
function removeBundlesOfEndedProcesses(): void {
  let names: string[];
  try {
    names = readdirSync(cache);
  } catch {
    return; // no cache folder yet
  }
  for (const name of names) {
    const pid = Number(/^cg-(?:server|bundles)-(\d+)$/.exec(name)?.[1]);
    if (!pid || pid === process.pid || isRunning(pid)) continue;
    rmSync(join(cache, name), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: running, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
