import { startChildServer } from './support/childServer';
import { createAgreement, tempDir, type TestServer } from './support/server';
import { MONITORED, underAttack } from './hostile/support/pressure';
import { hostileSocket, poisonUpdate, updateFrame } from './hostile/support/payloads';
const t0 = performance.now(); const log = (...a: unknown[]) => console.log(Math.round(performance.now() - t0), ...a);
const dir = await tempDir();
const child = await startChildServer(dir, MONITORED);
log('started');
const f = await createAgreement(child as unknown as TestServer);
log('created');
const negotiator = await f.invite({ role: 'negotiator', name: 'M', party: f.ngoId });
const p = await underAttack(child, f.agreement.id, f.brokerToken, async () => {
  log('attack');
  for (const kind of ['map', 'bareText', 'nested'] as const) {
    const { socket, closed } = await hostileSocket(`${child.ws}/${f.agreement.id}?token=${negotiator}`);
    socket.send(updateFrame(poisonUpdate(kind)));
    const timer = setTimeout(() => socket.close(), 2000);
    log(kind, await closed); clearTimeout(timer);
  }
}).catch((e) => log('err', e));
log(p && { ...p, clients: undefined });
console.log(child.output().split('\n').filter((l) => !l.includes('[loop]')).join('\n').slice(0, 3000));
child.process.kill('SIGKILL'); process.exit(0);
