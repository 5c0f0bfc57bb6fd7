import { expect, it } from 'vitest';
import { useHarness } from '../support/harness';
import { longVersions } from '../support/longVersions';

const harness = useHarness();

// Comparing two versions of a long agreement, or downloading it, is work for the server's one
// document worker. Nothing bounded how much of it one participant could ask for at once, and the
// worker took jobs first come, first served: an observer who fired a pile of comparisons made
// everyone else's comparison, export and redline wait behind all of it.
it(
  'one person asking for many comparisons at once gets a bounded share of the document worker: the excess is refused with a JSON error, and another person is served in turn',
  { timeout: 120_000 },
  async () => {
    const { s, f, id, snapshotId } = await longVersions(harness, { pages: 40, amendEvery: 5 });
    const [pile, other] = [await f.invite({ role: 'observer', name: 'Pile' }), await f.invite({ role: 'legal', name: 'Lee Legal' })];

    const compare = (token: string) => {
      return fetch(`${s.http}/api/agreements/${id}/diff?from=${snapshotId}&to=live`, { headers: { authorization: `Bearer ${token}` } }).then(
        async (response) => ({
          status: response.status,
          body: (await response.json()) as { error?: string; code?: string; summary?: unknown },
          answeredAt: Date.now(),
        }),
      );
    };
    const piled = Array.from({ length: 20 }, () => compare(pile));
    // The other person asks just after the pile (none of the pile is answered yet).
    const own = await compare(other);
    const answers = await Promise.all(piled);

    expect(own.status).toBe(200);
    expect(own.body.summary).toBeDefined();
    const served = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 429);
    expect(served.length + refused.length).toBe(20);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect(r.body).toMatchObject({ code: 'rate_limited', error: expect.stringMatching(/still being prepared/) });
    // Served in turn: the other person's comparison came back before most of the pile's.
    expect(served.filter((a) => a.answeredAt < own.answeredAt).length).toBeLessThanOrEqual(2);
    // Nothing is held against the pile once its work is done.
    expect((await compare(pile)).status).toBe(200);
  },
);
