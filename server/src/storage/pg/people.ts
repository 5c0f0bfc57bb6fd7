import type pg from 'pg';
import type { AgreementRecord, PersonChange, PersonRecord, PersonUpdate } from '../port';

/** Appends a person to the agreement's people in one statement, on the row as stored when it runs (after any change under way). */
export async function insertPerson(client: pg.ClientBase, agreementId: string, person: PersonRecord): Promise<void> {
  await client.query(`UPDATE agreements SET record = jsonb_set(record, '{people}', (record -> 'people') || $2::jsonb) WHERE id = $1`, [
    agreementId,
    JSON.stringify([person]),
  ]);
}

/**
 * A person's change inside a transaction: the agreement's row is locked (`FOR UPDATE`) before it is
 * read, so every other change of its people, on any instance, waits until this one commits and
 * then reads its result; `change` decides on the record as stored, and only that person is written.
 */
export async function changePerson(client: pg.ClientBase, agreementId: string, personId: string, change: PersonChange): Promise<PersonUpdate | undefined> {
  const { rows } = await client.query<{ record: AgreementRecord }>('SELECT record FROM agreements WHERE id = $1 FOR UPDATE', [agreementId]);
  const agreement = rows[0]?.record;
  const at = agreement?.people.findIndex((p) => p.id === personId) ?? -1;
  if (!agreement || at < 0) return undefined;
  const before = agreement.people[at];
  const after = change(before, agreement);
  if (!after) return { before, after, agreement };
  // The row is locked: the person is still at this index.
  await client.query(`UPDATE agreements SET record = jsonb_set(record, ARRAY['people', $2::text], $3::jsonb) WHERE id = $1`, [
    agreementId,
    String(at),
    JSON.stringify(after),
  ]);
  agreement.people[at] = after;
  return { before, after, agreement };
}
