/**
 * The schema's versions, oldest first: each is SQL applied once, in its own transaction, and
 * recorded in `schema_migrations`. Never edit one that has shipped; add the next version.
 * (They live in code, not .sql files, so a bundled server carries them.)
 */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
-- Agreements with their parties and the people invited (the AgreementRecord as JSON).
CREATE TABLE agreements (
  id text PRIMARY KEY,
  record jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Each room is an append-only list of Yjs updates; compaction replaces a room's rows by one state.
CREATE TABLE room_updates (
  room text NOT NULL,
  seq bigserial NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (room, seq)
);

-- Snapshots: metadata and the whole document state, in the order they were taken.
CREATE TABLE snapshots (
  agreement_id text NOT NULL,
  id text NOT NULL,
  seq bigserial NOT NULL,
  record jsonb NOT NULL,
  state bytea NOT NULL,
  PRIMARY KEY (agreement_id, id)
);
CREATE INDEX snapshots_by_order ON snapshots (agreement_id, seq);

-- One owner per agreement: the advisory lock says who holds it now; the epoch grows with
-- every new holder and every write checks it, so a holder that lost the lock cannot write.
CREATE TABLE leases (
  agreement_id text PRIMARY KEY,
  epoch bigint NOT NULL,
  owner_url text NOT NULL,
  acquired_at timestamptz NOT NULL DEFAULT now()
);

-- Values every instance shares (the generated token secret).
CREATE TABLE settings (
  key text PRIMARY KEY,
  value text NOT NULL
);
`,
  },
  {
    version: 2,
    name: 'audit log',
    sql: `
-- Each agreement's audit log: appended by the server, never rewritten, read oldest first.
CREATE TABLE audit_log (
  agreement_id text NOT NULL,
  seq bigserial NOT NULL,
  entry jsonb NOT NULL,
  PRIMARY KEY (agreement_id, seq)
);
`,
  },
];
