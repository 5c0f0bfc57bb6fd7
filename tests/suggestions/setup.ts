import { anchorAt, contentFragment, encodePosition, relativePositionAt } from '#shared/anchors';
import { contentRoom } from '#shared/rooms';
import type { ProseMirrorJSON } from '#shared/snapshots';
import type { Suggestion, SuggestionListing } from '#shared/suggestions';
import type { ThreadAnchor } from '#shared/threads';
import type { Harness } from '../support/harness';
import { synced, type TestClient } from '../support/clients';
import { readDocument, writeDocument } from '../support/document';
import { api, createAgreement, type AgreementFixture, type TestServer } from '../support/server';
import { waitFor } from '../support/poll';

/** The clause every test starts from: "The parties share the cost." (its text starts at position 1). */
export const CLAUSE = 'The parties share the cost.';

/** Where `text` starts in the first paragraph, as a ProseMirror position. */
export const at = (text: string, nth = 0): number => {
  let index = -1;
  for (let i = 0; i <= nth; i++) index = CLAUSE.indexOf(text, index + 1);
  if (index < 0) throw new Error(`"${text}" is not in the clause`);
  return 1 + index;
};

export interface Stage {
  server: TestServer;
  f: AgreementFixture;
  tokens: { ngo: string; business: string; legal: string; observer: string };
  /** A negotiator's stock client on the text, synced, with the clause written. */
  ngo: TestClient;
  path(rest?: string): string;
  /** An anchor into the negotiator's copy of the text: a passage, or a point when `to` is left out. */
  anchor(from: number, to?: number): ThreadAnchor;
  suggest(token: string, body: unknown): Promise<{ status: number; body: { suggestion: Suggestion; error?: string; code?: string } }>;
  list(): Promise<SuggestionListing[]>;
  /** The negotiator's copy of the text as plain paragraphs. */
  paragraphs(): string[];
}

/** A running server with an agreement whose text is {@link CLAUSE}, and its cast. */
export async function stage(harness: Harness): Promise<Stage> {
  const server = await harness.start();
  const f = await createAgreement(server);
  const tokens = {
    ngo: await f.invite({ role: 'negotiator', name: 'Amina Odhiambo', party: f.ngoId }),
    business: await f.invite({ role: 'negotiator', name: 'Ben Carter', party: f.businessId }),
    legal: await f.invite({ role: 'legal', name: 'Lena Legal' }),
    observer: await f.invite({ role: 'observer', name: 'Olu Observer' }),
  };
  const ngo = harness.connect(server, contentRoom(f.agreement.id), tokens.ngo);
  await synced(ngo);
  writeDocument(ngo.doc, { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: CLAUSE }] }] });
  await waitFor(() => server.app.ctx.rooms.with(contentRoom(f.agreement.id), (room) => room.doc.getXmlFragment('content').toString().includes(CLAUSE)), {
    what: 'the clause on the server',
  });
  const path = (rest = '') => `/api/agreements/${f.agreement.id}${rest}`;
  const paragraphs = () => (readDocument(ngo.doc).content ?? []).map((p) => (p.content ?? []).map((t) => t.text ?? '').join(''));
  return {
    server,
    f,
    tokens,
    ngo,
    path,
    paragraphs,
    anchor(from, to) {
      const fragment = contentFragment(ngo.doc);
      if (to === undefined) {
        const point = encodePosition(relativePositionAt(fragment, from, -1));
        return { start: point, end: point };
      }
      return anchorAt(fragment, from, to);
    },
    suggest: (token, body) => api(server, 'POST', path('/suggestions'), body, token),
    list: async () => (await api<{ suggestions: SuggestionListing[] }>(server, 'GET', path('/suggestions'), undefined, tokens.observer)).body.suggestions,
  };
}

/** Text runs of a diff with their change mark's kind and author, in document order. */
export function changes(content: ProseMirrorJSON): { text: string; kind?: string; name?: unknown }[] {
  if (content.type === 'text') {
    const mark = content.marks?.find((m) => m.type === 'insertion' || m.type === 'deletion');
    return [{ text: content.text ?? '', kind: mark?.type, name: mark?.attrs?.name }];
  }
  return (content.content ?? []).flatMap(changes);
}
