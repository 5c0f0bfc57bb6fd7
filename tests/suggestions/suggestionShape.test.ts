import { describe, expect, it } from 'vitest';
import { RecordsKey } from '#shared/records';
import { recordsRoom } from '#shared/rooms';
import { suggestionsOf } from '#shared/suggestionStore';
import type { Suggestion } from '#shared/suggestions';
import { isStoredEntry, readEntry } from '#shared/threadStore';
import { writeRecords } from '../../server/src/records/write';
import { useHarness } from '../support/harness';
import { api } from '../support/server';
import { storedDoc } from '../support/stored';
import { at, stage } from './setup';

const h = useHarness();

describe('suggestions stored as entries of their own', () => {
  it('a room stored in the earlier shape (each suggestion one plain value) is migrated as it loads; replies and decisions are stored', async () => {
    const t = await stage(h);
    const id = t.f.agreement.id;
    const made = await t.suggest(t.tokens.legal, { anchor: t.anchor(at('share'), at('share') + 5), text: 'split' });
    expect(made.status).toBe(201);
    const author = made.body.suggestion.author;
    const old: Suggestion = {
      ...made.body.suggestion,
      comments: [{ id: 'c1', body: 'Why split?', author, createdAt: '2025-01-01T00:00:00.000Z' }],
    };
    // Written as the server of the earlier version wrote it: one plain value.
    await writeRecords(t.server.app.ctx.rooms, id, (doc) => doc.getMap(RecordsKey.suggestions).set(old.id, old));
    expect(isStoredEntry(suggestionsOf(await storedDoc(t.server, recordsRoom(id))).get(old.id))).toBe(false);
    await t.server.close();

    const second = await h.start({ dataDir: t.server.dataDir });
    const base = `/api/agreements/${id}/suggestions`;
    const listed = await api<{ suggestions: Suggestion[] }>(second, 'GET', base, undefined, t.tokens.observer);
    expect(listed.status).toBe(200);
    expect(listed.body.suggestions[0]).toMatchObject({ ...old, outdated: false });
    await second.app.ctx.rooms.with(recordsRoom(id), (room) => {
      const entry = suggestionsOf(room.doc).get(old.id);
      expect(isStoredEntry(entry)).toBe(true);
      expect(readEntry(entry!)).toEqual(old);
    });
    const reply = await api<{ suggestion: Suggestion }>(second, 'POST', `${base}/${old.id}/comments`, { body: 'Shared evenly.' }, t.tokens.legal);
    expect(reply.status).toBe(201);
    expect(reply.body.suggestion.comments.map((c) => c.body)).toEqual(['Why split?', 'Shared evenly.']);
    expect((await api(second, 'POST', `${base}/${old.id}/reject`, {}, t.tokens.ngo)).status).toBe(200);
    await second.close();

    // The migration, the reply and the decision were stored: the room loads in the new shape.
    const third = await h.start({ dataDir: t.server.dataDir });
    const entry = suggestionsOf(await storedDoc(third, recordsRoom(id))).get(old.id);
    expect(isStoredEntry(entry)).toBe(true);
    expect(readEntry(entry!)).toMatchObject({ status: 'rejected', comments: [{ body: 'Why split?' }, { body: 'Shared evenly.' }] });
  });
});
