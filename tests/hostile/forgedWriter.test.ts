import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { contentString, paragraphText } from '../support/clients';
import { malloryAndTwo } from './support/people';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { storedContent } from '../support/stored';
import { sendHandled, updateFrame, writtenAs } from './support/payloads';

// Each insertion in the text carries its writer's Yjs client id, which the authorship log maps to
// a person (first writer wins): diffs, redlines and exports credit that person. Another person's
// id is no secret (every client sees it in the text and in presence), so a hand-made update could
// write under it: the words were credited to someone who never wrote them, and the real owner's
// next keystrokes, at the same clocks, were lost at the server while their own screen showed them.
const harness = useHarness();

describe("writing under another person's client id", () => {
  it('is refused: the forged words are nowhere, and the person whose id it was types on, credited as before', async () => {
    const { s, room, mallory, lena, ben } = await malloryAndTwo(harness);
    // Mallory's copy of the text, writing as Lena's client id.
    await sendHandled(`${s.ws}/${room}?token=${mallory}`, [updateFrame(writtenAs(ben.doc, lena.doc.clientID, 'Lena concedes everything. '))]);

    lena.text.insert(lena.text.length, ' Clause 2: the river.');
    await waitFor(async () => (await storedContent(s, room)).text.includes('Clause 2: the river.'), { what: "Lena's next words stored" });
    expect((await storedContent(s, room)).text).not.toContain('concedes');
    await waitFor(() => contentString(ben.doc).includes('Clause 2: the river.'), { what: "Lena's next words at Ben" });
    expect(contentString(ben.doc)).not.toContain('concedes');
  });

  // A page back from a reload sent, with its own new words, others' words the server already held
  // (its record of what the server had confirmed was older than its copy): refused as writing under
  // their ids, the person was told their change was not saved and their text was reloaded.
  it("is not what an update does that sends again another person's words the server already holds: its own new words are let in", async () => {
    const { s, room, mallory, ben } = await malloryAndTwo(harness);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(ben.doc));
    paragraphText(copy).insert(paragraphText(copy).length, ' Mallory adds a clause.');
    // The whole state: Lena's "Clause 1." (held by the server) and Mallory's new words.
    await sendHandled(`${s.ws}/${room}?token=${mallory}`, [updateFrame(Y.encodeStateAsUpdate(copy))]);
    copy.destroy();
    await waitFor(async () => (await storedContent(s, room)).text.includes('Mallory adds a clause.'), { what: "Mallory's words stored" });
    await waitFor(() => contentString(ben.doc).includes('Clause 1. Mallory adds a clause.'), { what: "Mallory's words at Ben" });
  });

  it('is refused under the id of someone present who has not written yet: their first words are theirs', async () => {
    const { s, room, mallory, lena, ben } = await malloryAndTwo(harness, 'ben');
    // Lena's id is in her presence, which every client sees.
    lena.provider.awareness.setLocalStateField('user', { cursor: 'first' });
    await waitFor(() => ben.provider.awareness.getStates().has(lena.doc.clientID), { what: "Lena's presence at Ben" });

    await sendHandled(`${s.ws}/${room}?token=${mallory}`, [updateFrame(writtenAs(ben.doc, lena.doc.clientID, 'Lena concedes everything. '))]);

    lena.text.insert(lena.text.length, ' Clause 2: the river.');
    await waitFor(async () => (await storedContent(s, room)).text.includes('Clause 2: the river.'), { what: "Lena's first words stored" });
    expect((await storedContent(s, room)).text).not.toContain('concedes');
    expect(contentString(lena.doc)).not.toContain('concedes');
  });
});
