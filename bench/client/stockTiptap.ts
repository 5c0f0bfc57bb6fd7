// The peer editor is Tiptap as anyone gets it from npm. The app patches two of its packages
// (patches/, applied by patch-package on install); this makes unpatched copies of them in a
// temporary folder by reversing those patches, so the peer runs the published code with no
// download (the bench runs offline).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Copies each patched Tiptap package, reverses its patch, and answers its import name → the copy's folder. */
export function stockTiptapPackages(root: string): Record<string, string> {
  const into = mkdtempSync(join(tmpdir(), 'bench-stock-tiptap-'));
  const aliases: Record<string, string> = {};
  for (const file of readdirSync(join(root, 'patches')).filter((f) => f.startsWith('@tiptap+'))) {
    // patch-package names a patch `@scope+name+version.patch`.
    const [scope, name] = file.replace(/\.patch$/, '').split('+');
    const pkg = `${scope}/${name}`;
    const from = join(root, 'node_modules', scope, name);
    if (!existsSync(from)) throw new Error(`${pkg}: not installed (npm ci first)`);
    cpSync(from, join(into, 'node_modules', scope, name), { recursive: true });
    // The patch's paths start with node_modules/…; -R takes it back out, and fails loudly if it no longer fits.
    execFileSync('patch', ['-R', '-p1', '-s', '-d', into, '-i', join(root, 'patches', file)], { stdio: 'inherit' });
    aliases[pkg] = join(into, 'node_modules', scope, name);
  }
  return aliases;
}
