#!/usr/bin/env node
// `npm test`'s pretest step: the browser tests need Debian's Chromium (its headless shell) and the storage and
// multi-instance tests Debian's PostgreSQL 15. Installs what is missing (as root), or stops
// with the exact command to run. Nothing is downloaded from anywhere but Debian's packages.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const needs = [
  { pkg: 'chromium-headless-shell', path: '/usr/bin/chromium-headless-shell' },
  { pkg: 'postgresql', path: '/usr/lib/postgresql/15/bin/initdb' },
];
const missing = needs.filter((n) => !existsSync(n.path)).map((n) => n.pkg);
// With TEST_DATABASE_URL the tests use that server, but the pg_ctl restart test still runs a cluster of its own.
if (missing.length === 0) process.exit(0);

const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
if (process.getuid?.() !== 0) {
  console.error(`The tests need ${missing.join(' and ')} from Debian's packages. Run as root:\n\n  ${command}\n`);
  process.exit(1);
}
console.log(`--- installing ${missing.join(', ')} from Debian's packages`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
for (const n of needs) {
  if (!existsSync(n.path)) {
    console.error(`${n.pkg} was installed but ${n.path} is still missing`);
    process.exit(1);
  }
}
