import { expect, it } from 'vitest';
import type { PeopleResponse } from '#shared/access';
import { api } from '../support/server';
import { waitFor } from '../support/poll';
import { cast, openAs, useStage, waitForConnection } from './browser';

// A negotiator's tab holds three websockets (the text, the records, the party's caucus).
const stage = useStage({ maxConnectionsPerPerson: 3 });

it(
  'a person over the connection limit sees why the page does not connect (close other tabs), their first tab keeps working, and the page connects by itself once the other tab is closed',
  { timeout: 60_000 },
  async () => {
    const c = await cast(stage.server);
    const id = c.fx.agreement.id;
    const people = await api<PeopleResponse>(stage.server, 'GET', `/api/agreements/${id}/people`, undefined, c.fx.brokerToken);
    const niaId = people.body.people.find((p) => p.name === 'Nia Otieno')!.id;
    const first = await stage.join(c.url(c.ngo));
    await waitFor(() => stage.server.app.ctx.access.connections.count(id, niaId) === 3, { timeoutMs: 15_000, what: "the first tab's three connections" });

    const second = await openAs(stage.browser, c.url(c.ngo));
    try {
      const alert = second.page.getByRole('alert').filter({ hasText: 'too many of your tabs' });
      await alert.waitFor({ timeout: 15_000 });
      expect(await alert.textContent()).toBe(
        'This agreement is open in too many of your tabs or windows. Close one of them: this page connects by itself once it can.',
      );
      // The first tab is untouched and still live.
      await waitForConnection(first.page, 'live');
      expect(stage.server.app.ctx.access.connections.count(id, niaId)).toBe(3);

      // Closing the first tab is all it takes: no reload.
      await first.context.close();
      await waitForConnection(second.page, 'live');
      await alert.waitFor({ state: 'detached' });
      // Its three rooms reconnect each on its own backoff: the text first, the records and the caucus after.
      await waitFor(() => stage.server.app.ctx.access.connections.count(id, niaId) === 3, { timeoutMs: 15_000, what: "the second tab's three connections" });
      expect(second.errors).toEqual([]);
    } finally {
      await second.context.close();
    }
  },
);
