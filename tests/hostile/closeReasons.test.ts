import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { CloseCode } from '#shared/protocol';
import { paragraphText, synced } from '../support/clients';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { storedContent } from '../support/stored';
import { malloryAndTwo } from './support/people';
import { fitCloseReason } from '../../server/src/ws/closing';

// A websocket close's reason holds at most 123 bytes, and `ws` throws for a longer one. Reasons
// were cut at 120 characters, so a reason quoting what a client sent in a script of 2 or 3 bytes
// a character (the name of an attribute the schema does not know) was over the limit.
const harness = useHarness();

describe('close reasons', () => {
  it("a refusal quoting a long name in a non-Latin script closes only the sender's connection, with its reason cut to 123 bytes", async () => {
    const { s, room, mallory: token, lena, ben } = await malloryAndTwo(harness);
    const mallory = harness.connect(s, room, token);
    await synced(mallory);
    const paragraph = paragraphText(mallory.doc).parent as Y.XmlElement;
    paragraph.setAttribute('€'.repeat(60), 'x');
    await waitFor(() => mallory.closes.length > 0, { timeoutMs: 10_000, what: "Mallory's connection closed for her update" });
    expect(mallory.closes[0].code).toBe(CloseCode.BadMessage);
    expect(mallory.closes[0].reason).toMatch(/^update refused: paragraph has no attribute "€€€/);
    expect(Buffer.byteLength(mallory.closes[0].reason)).toBeLessThanOrEqual(123);
    // Everyone else goes on writing.
    lena.text.insert(lena.text.length, ' Clause 2: the river.');
    await waitFor(async () => (await storedContent(s, room)).text.includes('Clause 2: the river.'), { timeoutMs: 10_000, what: "Lena's words stored" });
    await waitFor(() => paragraphText(ben.doc).toString().includes('Clause 2'), { timeoutMs: 10_000, what: "Lena's words at Ben's" });
  }, 60_000);

  it('a reason is cut to at most 123 bytes at the start of a character, in any script, and a short one is kept whole', () => {
    for (const reason of ['a'.repeat(200), '€'.repeat(60), `a${'€'.repeat(60)}`, `ab${'😀'.repeat(40)}`, `${'a'.repeat(122)}é`]) {
      const cut = fitCloseReason(reason);
      expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(123);
      // Nothing lost but what does not fit: at most a character of 4 bytes short of the limit.
      expect(Buffer.byteLength(cut)).toBeGreaterThanOrEqual(120);
      expect(reason.startsWith(cut)).toBe(true);
    }
    expect(fitCloseReason('this link has expired')).toBe('this link has expired');
  });
});
