import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { afterEach, expect, it } from 'vitest';
import { contentString, synced, type TestClient } from '../support/clients';
import { createAgreement } from '../support/server';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';

const harness = useHarness();
const clientScript = fileURLToPath(new URL('../support/stockClientProcess.ts', import.meta.url));
let sleeper: ChildProcess | undefined;

afterEach(() => {
  if (sleeper && sleeper.exitCode === null) {
    sleeper.kill('SIGCONT');
    sleeper.kill('SIGKILL');
  }
  sleeper = undefined;
});

/** Starts the stock client process and collects the JSON lines it prints. */
function startSleeper(wsUrl: string, room: string, token: string): { child: ChildProcess; lines: Record<string, unknown>[] } {
  const child = spawn(process.execPath, ['--import', 'tsx', clientScript, wsUrl, room, token], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: Record<string, unknown>[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
  return { child, lines };
}

it('a frozen laptop disconnects nobody: four stock clients stay connected for 60 s and converge, and the fifth resyncs after it wakes', async () => {
  const s = await harness.start();
  const f = await createAgreement(s);
  const room = f.agreement.id;
  const people: TestClient[] = [];
  const closes: number[] = [];
  for (const name of ['Amina', 'Ben', 'Chidi', 'Dana']) {
    const client = harness.connect(s, room, await f.invite({ role: 'negotiator', name, party: f.ngoId }));
    client.provider.awareness.setLocalStateField('user', { name });
    client.provider.on('connection-close', (event: CloseEvent | null) => closes.push(event?.code ?? -1));
    people.push(client);
  }
  await Promise.all(people.map((c) => synced(c)));

  const started = startSleeper(s.ws, room, await f.invite({ role: 'negotiator', name: 'Sleeper', party: f.businessId }));
  sleeper = started.child;
  await waitFor(() => started.lines.some((l) => l.event === 'synced'), { timeoutMs: 20_000, what: 'sleeper synced' });
  const sleeperId = () => [...people[0].provider.awareness.getStates()].find(([, state]) => state.user?.name === 'Sleeper')?.[0];
  await waitFor(() => people.every((c) => [...c.provider.awareness.getStates().values()].some((st) => st.user?.name === 'Sleeper')), {
    what: 'sleeper present everywhere',
  });
  const frozenId = sleeperId()!;

  sleeper.kill('SIGSTOP');
  const frozenAt = Date.now();
  // Past the y-protocols presence timeout (30 s) twice over: every stock client times the
  // sleeper out and tells the server so; the server times it out itself as well.
  let round = 0;
  await waitFor(
    () => {
      round++;
      people[round % people.length].text.insert(0, `[${round}]`);
      return Date.now() - frozenAt >= 60_000;
    },
    { timeoutMs: 70_000, intervalMs: 1000, what: '60 s with the laptop frozen' },
  );
  expect(closes).toEqual([]);
  expect(people.every((c) => c.provider.wsconnected)).toBe(true);
  // The server dropped the sleeper's presence and told everyone.
  const live = await s.app.ctx.rooms.acquire(room);
  try {
    expect(live.awareness.getStates().has(frozenId)).toBe(false);
  } finally {
    s.app.ctx.rooms.release(live);
  }
  expect(people.some((c) => c.provider.awareness.getStates().has(frozenId))).toBe(false);

  people.forEach((c, i) => c.text.insert(0, `<after-${i}>`));
  await waitFor(
    () => {
      const text = contentString(people[0].doc);
      return people.every((c, i) => contentString(c.doc) === text && text.includes(`<after-${i}>`));
    },
    { what: 'the four converged' },
  );

  sleeper.kill('SIGCONT');
  const expected = contentString(people[0].doc);
  await waitFor(
    () => {
      sleeper!.stdin!.write('content\n');
      const last = started.lines.filter((l) => l.event === 'content').at(-1);
      return last?.connected === true && last.content === expected;
    },
    { timeoutMs: 20_000, intervalMs: 200, what: 'the woken laptop resynced' },
  );
  // It is shown again at once, not after its next presence renewal.
  await waitFor(() => people.every((c) => c.provider.awareness.getStates().get(frozenId)?.user?.name === 'Sleeper'), {
    timeoutMs: 10_000,
    what: 'sleeper present again',
  });
  expect(closes).toEqual([]);
}, 120_000);
