import { afterEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startChildServer, type ChildServer } from '../support/childServer';
import { api, createAgreement, removeDir, tempDir, type TestServer } from '../support/server';
import { waitFor } from '../support/poll';

let child: ChildServer | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  if (child) await child.kill('SIGTERM');
  if (dataDir) await removeDir(dataDir);
  child = undefined;
});

it('request logs at level info never show a token', async () => {
  dataDir = await tempDir();
  child = await startChildServer(dataDir, { LOG_LEVEL: 'info' });
  const server = { http: child.http } as TestServer;
  const f = await createAgreement(server);
  const invited = await f.invite({ role: 'observer', name: 'Olu' });
  expect((await api(server, 'GET', `/api/agreements/${f.agreement.id}`, undefined, invited)).status).toBe(200);

  const socket = new WebSocket(`${child.ws}/${f.agreement.id}?token=${f.brokerToken}`);
  await new Promise((resolve, reject) => {
    socket.once('message', resolve);
    socket.once('error', reject);
  });
  socket.close();
  const path = `/collab/${f.agreement.id}`;
  await waitFor(() => child!.output().includes(path), { what: 'the websocket request logged' });

  const output = child.output();
  for (const token of [f.brokerToken, invited]) {
    expect(output).not.toContain(token);
    // Not even a part of it (a token is three base64url parts).
    for (const part of token.split('.')) expect(output).not.toContain(part);
  }
  expect(output).toContain(`${path}?[redacted]`);
});
