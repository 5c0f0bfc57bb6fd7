import { cp, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Files that name other built files: the page, the code, the styles, the manifest. */
const NAMES_OTHERS = /\.(html|js|css|json)$/;
/** Copies of a file made at build time, which would still name the old files. */
const DERIVED = /\.(br|gz|map)$/;

/**
 * Copies the built app in `dist` to `into` as the next deploy's build: the same code, every hashed
 * file under assets/ renamed (and every reference to it), none of the old names left, as after a
 * rebuild. Precompressed copies and maps are left out (the server then sends the plain files).
 */
export async function nextBuild(dist: string, into: string): Promise<void> {
  await cp(dist, into, { recursive: true, filter: (path) => !DERIVED.test(path) });
  const assets = join(into, 'assets');
  const renamed = new Map((await readdir(assets)).map((name) => [name, name.replace(/(\.[a-z]+)$/, '.next$1')]));
  for (const [from, to] of renamed) await rename(join(assets, from), join(assets, to));
  for (const file of [...(await readdir(into)).map((name) => join(into, name)), ...[...renamed.values()].map((name) => join(assets, name))]) {
    if (!NAMES_OTHERS.test(file)) continue;
    let text = await readFile(file, 'utf8');
    for (const [from, to] of renamed) text = text.split(from).join(to);
    await writeFile(file, text);
  }
}
