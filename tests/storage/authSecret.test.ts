import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { useHarness } from '../support/harness';
import { api, createAgreement } from '../support/server';

const h = useHarness();

it('a damaged auth-secret stops the start with a clear error instead of being replaced, which ended every link for good', async () => {
  const dir = await h.tempDir('cg-secret-');
  // No AUTH_SECRET: the server keeps the one it generates in DATA_DIR/auth-secret.
  let child = await h.child(dir, { AUTH_SECRET: '' });
  const f = await createAgreement(child);
  await child.kill('SIGTERM');
  const path = join(dir, 'auth-secret');
  const secret = await readFile(path, 'utf8');
  await writeFile(path, secret.slice(0, 10));

  await expect(h.child(dir, { AUTH_SECRET: '' })).rejects.toThrow(/auth-secret is damaged/);
  expect(await readFile(path, 'utf8')).toBe(secret.slice(0, 10));

  // Put back from a backup: every link works again.
  await writeFile(path, secret);
  child = await h.child(dir, { AUTH_SECRET: '' });
  expect((await api(child, 'GET', `/api/agreements/${f.agreement.id}`, undefined, f.brokerToken)).status).toBe(200);
}, 60_000);
