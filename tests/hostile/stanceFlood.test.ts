import { expect, it } from 'vitest';
import { contentRoom } from '#shared/rooms';
import { useHarness } from '../support/harness';
import { api, createAgreement } from '../support/server';
import { storeText, storedDoc, storedFileBytes } from '../support/stored';
import { basesIndexRoom } from '../../server/src/documents/stanceBases';
import { longAgreement } from '../support/document';
import { waitFor } from '../support/poll';

const h = useHarness();

// Each stance keeps a copy of the whole text it was stated on (for "what changed since"), one per
// objective. Nothing limited how often a negotiator could state one: a loop over an agreement's
// objectives wrote a whole text to disk per request (one per objective, even with the text unchanged
// between them), as fast as the server answered, and the copies kept grew with the objectives.
it(
  'a negotiator stating stances in a loop is refused past the limit with a JSON error; the other party still states theirs',
  { timeout: 120_000 },
  async () => {
    const s = await h.start();
    const { dataDir } = s;
    const f = await createAgreement(s);
    const id = f.agreement.id;
    const looping = await f.invite({ role: 'negotiator', name: 'Loop', party: f.ngoId });
    const other = await f.invite({ role: 'negotiator', name: 'Ben', party: f.businessId });
    // Forty pages with an objective on each: o0 … o39.
    const { state } = await storeText(s, contentRoom(id), longAgreement(40, { objectiveEvery: 1 }));
    const textBytes = state.length;

    const stance = (token: string, objectiveId: string) =>
      api<{ error?: string; code?: string }>(s, 'PUT', `/api/agreements/${id}/objectives/${objectiveId}/stance`, { stance: 'agree' }, token);
    const statuses: number[] = [];
    let refused: { error?: string; code?: string } | undefined;
    for (let i = 0; i < 40; i++) {
      const answer = await stance(looping, `o${i}`);
      statuses.push(answer.status);
      if (answer.status === 429) refused ??= answer.body;
    }
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(200));
    expect(statuses.slice(30)).toEqual(Array(10).fill(429));
    expect(refused).toEqual({ error: expect.stringMatching(/too many requests/), code: 'rate_limited' });

    // The other party is not held back by the loop, and what was refused kept nothing.
    expect((await stance(other, 'o35')).status).toBe(200);
    const keptFor = async () => [...(await storedDoc(s, basesIndexRoom(id))).getMap<string>('refs').keys()].map((key) => key.split(':')[0]);
    await waitFor(async () => (await keptFor()).includes('o35'), { what: 'the other party’s basis kept' });
    expect(await keptFor()).not.toContain('o39');
    // The 31 accepted stances were all stated on the same text: it is kept once.
    const kept = await storedFileBytes(dataDir, `${id}.stance-texts`);
    console.log(`STANCE_BASES text=${textBytes} kept=${kept} (${(kept / textBytes).toFixed(1)} texts for 31 stances)`);
    expect(kept).toBeLessThan(1.5 * textBytes);
  },
);
