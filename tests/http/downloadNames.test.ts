import { parse } from 'content-disposition';
import { expect, it } from 'vitest';
import type { CreateAgreementResponse } from '#shared/protocol';
import { useHarness } from '../support/harness';
import { api } from '../support/server';

// A download's name comes from the agreement's title, which people type: quotes, brackets and
// apostrophes are ordinary in it. The names must reach the browser whole, in both of the
// header's parameters (RFC 6266): `filename*` (RFC 8187) allows no unescaped ' ( ) *, and the
// quoted ASCII fallback for old clients no bare quote or backslash.
const harness = useHarness();
const TITLE = `Water "for all" (Kenya) – Nia's draft* \\ v2`;
/** RFC 8187's attr-char, after the charset and empty language. */
const EXTENDED_VALUE = /^UTF-8''(?:[A-Za-z0-9!#$&+.^_`|~-]|%[0-9A-F]{2})+$/;
/** RFC 7230's quoted-string, without the quoted-pairs a strict reader may not take. */
const QUOTED = /^"[\x20\x21\x23-\x5b\x5d-\x7e]*"$/;

function parameters(header: string | null): { plain: string; extended: string } {
  const found = (name: string) => new RegExp(`;\\s*${name.replace('*', '\\*')}=("[^"]*"|[^;]+)`).exec(header ?? '')?.[1] ?? '';
  return { plain: found('filename'), extended: found('filename*') };
}

it('downloads named from a title with quotes, brackets and apostrophes carry the name whole in both parameters', async () => {
  const server = await harness.start();
  const created = await api<CreateAgreementResponse>(server, 'POST', '/api/agreements', {
    title: TITLE,
    parties: [
      { name: 'WaterAid Kenya', sector: 'ngo' },
      { name: 'Acme Beverages', sector: 'business' },
    ],
    creatorName: 'Brook Broker',
  });
  expect(created.status).toBe(201);
  const { id, token } = created.body;
  for (const path of [`/api/agreements/${id}/snapshots/live/export?format=md`, `/api/agreements/${id}/audit?format=csv`]) {
    const response = await fetch(`${server.http}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status, path).toBe(200);
    const header = response.headers.get('content-disposition');
    const { plain, extended } = parameters(header);
    expect(extended, `${path}: ${header}`).toMatch(EXTENDED_VALUE);
    expect(plain, `${path}: ${header}`).toMatch(QUOTED);
    // What a reader of the header takes for the name: the title's words, brackets and apostrophe kept.
    const name = parse(header ?? '').parameters.filename;
    expect(name, path).toBe(decodeURIComponent(extended.slice("UTF-8''".length)));
    expect(name, path).toContain("(Kenya) – Nia's draft");
  }
});
