import { promises as fs } from 'node:fs';
import { join } from 'node:path';

/** writeFileAtomic's temp file: `<file>.<pid>.tmp`, the pid of the process writing it. */
const OURS = /^.+\.(\d+)\.tmp$/;
/** lowdb's (steno's) temp file: `.<file>.tmp`, one fixed name per file, whichever process writes it. */
const LOWDB = /^\..+\.tmp$/;

/**
 * Removes the temp files a process killed mid-write left under `dataDir` (they are never read, but
 * a crash-looping server grew the folder and every backup of it), and answers their paths.
 *
 * Only for a server starting on its own folder, before it writes anything: lowdb's temp names carry
 * no pid, and a lowdb folder belongs to one process (several instances share PostgreSQL, never a
 * DATA_DIR), so at that moment every one of them is a leftover. A `<pid>` temp file is kept while
 * that process runs (a tool such as import-data opened on the folder, or a pid reused), as is ours.
 */
export async function removeTempLeftovers(dataDir: string): Promise<string[]> {
  const snapshotDirs = (await namesIn(join(dataDir, 'snapshots'))).map((name) => join(dataDir, 'snapshots', name));
  const dirs = [dataDir, join(dataDir, 'rooms'), join(dataDir, 'agreements'), ...snapshotDirs];
  const removed = await Promise.all(dirs.map((dir) => removeIn(dir)));
  return removed.flat();
}

async function removeIn(dir: string): Promise<string[]> {
  const leftovers = (await namesIn(dir)).filter(isLeftover).map((name) => join(dir, name));
  // A file gone meanwhile is as good as removed; a directory named like one is left alone.
  await Promise.all(leftovers.map((path) => fs.unlink(path).catch(() => {})));
  return leftovers;
}

function isLeftover(name: string): boolean {
  const pid = OURS.exec(name)?.[1];
  if (pid !== undefined) return Number(pid) !== process.pid && !running(Number(pid));
  return LOWDB.test(name);
}

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, as another user's.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function namesIn(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
