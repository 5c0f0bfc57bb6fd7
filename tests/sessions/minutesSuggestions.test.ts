import { expect, it } from 'vitest';
import { anchorAt, contentFragment } from '#shared/anchors';
import type { Minutes, MinutesItem } from '#shared/sessions';
import type { Suggestion } from '#shared/suggestions';
import { synced } from '../support/clients';
import { useHarness } from '../support/harness';
import { present, sessionCast } from './support';

const h = useHarness();

// Skipped: fails today. A suggestion accepted in a session changes the agreement's words there and
// then, yet the minutes (which keep the stances stated, threads opened and resolved, decisions) say
// nothing of it: a reader of the minutes cannot tell the text was changed in the meeting, or by whom.
// Before: expected undefined to deeply equal [ StringContaining "Lena" ] (no such list in the item).
// Fix: in server/src/features/sessions/minutes.ts, give each MinutesItem `suggestionsDecided`, the
// activity entries of kind 'suggestion.accepted' and 'suggestion.rejected' written while the item was
// current (as stancesChanged reads 'stance.stated'), typed in shared/src/sessions.ts; render them in
// minutesDocument.ts under the item (Markdown, HTML, .docx), which changes the minutes' layout: bump
// what the minutes' fingerprint checker compares by, as EXPORT_LAYOUT is for snapshots.
it.skip('the minutes name the suggestions accepted or rejected during each item', async () => {
  const server = await h.start();
  const c = await sessionCast(h, server);
  const nia = present(h, server, c.id, c.ngo);
  await synced(nia);
  const session = await c.startSession();
  const made = await c.call<{ suggestion: Suggestion }>(c.legal, 'POST', '/suggestions', {
    anchor: anchorAt(contentFragment(nia.doc), 20, 27),
    text: 'All of us',
  });
  expect(made.status).toBe(201);
  expect((await c.call(c.ngo, 'POST', `/suggestions/${made.body.suggestion.id}/accept`)).status).toBe(200);
  const ended = await c.call<Minutes>(c.broker, 'POST', `/sessions/${session.id}/end`);
  expect(ended.status).toBe(200);
  const item = ended.body.items[0] as MinutesItem & { suggestionsDecided?: { text: string }[] };
  expect(item.suggestionsDecided?.map((x) => x.text)).toEqual([expect.stringContaining('Lena')]);
});
