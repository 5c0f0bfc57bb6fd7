import { expect, it } from 'vitest';
import type { AgreementRecord, PersonChange, PersonRecord, Storage } from '../../server/src/storage/port';

/** A storage opened on a fresh directory, or again on `dir` (what the contract's `fresh` does). */
export type Fresh = (dir?: string) => Promise<{ storage: Storage; dir: string }>;

const at = '2026-11-28T00:00:00.000Z';
const person = (id: string, name: string, role: PersonRecord['role']): PersonRecord => ({ id, name, role, invitedAt: at, links: [] });

async function agreementWith(storage: Storage, id: string, people: PersonRecord[]): Promise<void> {
  await storage.createAgreement({ id, title: 'People', createdAt: at, parties: [], people: [] });
  for (const p of people) await storage.addPerson(id, p);
}

const stored = async (storage: Storage, id: string): Promise<AgreementRecord> => (await storage.getAgreement(id))!;

/** A revocation that keeps a broker, as the people service makes it: the rule is checked on the people as stored. */
const revokeKeepingABroker: PersonChange = (p, agreement) => {
  if (!agreement.people.some((o) => o.role === 'broker' && !o.revokedAt && o.id !== p.id)) throw new Error('last broker');
  return { ...p, revokedAt: at };
};

/**
 * The storage contract for people (part of tests/storage/contract.ts): a change to a person is one
 * atomic step against the record as stored, so changes made at once never undo each other.
 */
export function peopleContract(fresh: Fresh): void {
  it('changes one person in place, against the stored record, and keeps it across a reopen', async () => {
    const { storage, dir } = await fresh();
    await agreementWith(storage, 'agr3', [person('u1', 'Amina', 'observer'), person('u2', 'Ben', 'legal')]);
    const update = await storage.updatePerson('agr3', 'u1', (p, agreement) => {
      expect(agreement.people.map((o) => o.id)).toEqual(['u1', 'u2']);
      return { ...p, role: 'broker' };
    });
    expect(update).toMatchObject({ before: { role: 'observer' }, after: { role: 'broker' } });
    expect(update!.agreement.people.map((o) => `${o.name}:${o.role}`)).toEqual(['Amina:broker', 'Ben:legal']);
    await storage.close();
    const again = (await fresh(dir)).storage;
    expect((await stored(again, 'agr3')).people.map((o) => `${o.name}:${o.role}`)).toEqual(['Amina:broker', 'Ben:legal']);
  });

  it('changes of one person made at once all land: each sees the one before (no lost update)', async () => {
    const { storage, dir } = await fresh();
    await agreementWith(storage, 'agr4', [person('u1', 'Amina', 'negotiator'), person('u2', 'Ben', 'legal')]);
    const link = (n: number) => ({ id: `l${n}`, issuedAt: at, expiresAt: null });
    await Promise.all([
      ...Array.from({ length: 20 }, (_, n) => storage.updatePerson('agr4', 'u1', (p) => ({ ...p, links: [...p.links!, link(n)] }))),
      storage.updatePerson('agr4', 'u1', (p) => ({ ...p, lastSeenAt: at })),
      storage.updatePerson('agr4', 'u2', (p) => ({ ...p, revokedAt: at })),
      storage.addPerson('agr4', person('u3', 'Chidi', 'observer')),
    ]);
    await storage.close();
    const people = (await stored((await fresh(dir)).storage, 'agr4')).people;
    expect(people.map((o) => o.id)).toEqual(['u1', 'u2', 'u3']);
    expect(people[0].links!.map((l) => l.id).sort()).toEqual(Array.from({ length: 20 }, (_, n) => `l${n}`).sort());
    expect(people[0].lastSeenAt).toBe(at);
    expect(people[1].revokedAt).toBe(at);
  });

  it('a rule checked inside the change holds when changes race: two brokers revoking each other leave one', async () => {
    const { storage } = await fresh();
    await agreementWith(storage, 'agr5', [person('b1', 'Brook', 'broker'), person('b2', 'Bea', 'broker')]);
    const results = await Promise.allSettled([
      storage.updatePerson('agr5', 'b1', revokeKeepingABroker),
      storage.updatePerson('agr5', 'b2', revokeKeepingABroker),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { message: 'last broker' } });
    expect((await stored(storage, 'agr5')).people.filter((p) => !p.revokedAt)).toHaveLength(1);
  });

  it('a change that throws or leaves the person as they are writes nothing; an unknown agreement or person is undefined', async () => {
    const { storage } = await fresh();
    await agreementWith(storage, 'agr6', [person('u1', 'Amina', 'observer')]);
    const before = structuredClone(await stored(storage, 'agr6'));
    await expect(
      storage.updatePerson('agr6', 'u1', () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await storage.updatePerson('agr6', 'u1', () => undefined)).toMatchObject({ before: { id: 'u1' }, after: undefined });
    expect(await stored(storage, 'agr6')).toEqual(before);
    const never = () => {
      throw new Error('not called');
    };
    expect(await storage.updatePerson('agr6', 'nobody', never)).toBeUndefined();
    expect(await storage.updatePerson('missing', 'u1', never)).toBeUndefined();
  });
}
