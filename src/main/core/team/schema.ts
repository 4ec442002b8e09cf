// The team database's schema (docs/ARCHITECTURE.md "Team vault"): versioned, forward-only
// migrations, applied at connect under an advisory lock so two members never migrate at once.
// A database whose schema is newer than this code is refused and left untouched.
import type pg from 'pg';
import { ContractError } from '../contract.js';

/** Each entry moves the schema from version i to i + 1. Never edit one that shipped: add another. */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE td_team (
     id text PRIMARY KEY,
     created_at timestamptz NOT NULL DEFAULT now(),
     -- a known text sealed with the team key: proves a member holds the right key
     key_check text NOT NULL,
     -- the team key wrapped with a key derived from the team passphrase (scrypt), or null
     passphrase_wrap jsonb
   );
   CREATE TABLE td_members (
     id text PRIMARY KEY,
     name text NOT NULL,
     hostname text NOT NULL,
     joined_at timestamptz NOT NULL DEFAULT now(),
     last_seen timestamptz NOT NULL DEFAULT now(),
     -- the running process's session (its connections' application_name), to tell live from dead
     session text,
     left_at timestamptz
   );
   CREATE TABLE td_invites (
     id text PRIMARY KEY,
     wrapped_key text,
     created_by text NOT NULL REFERENCES td_members(id),
     created_at timestamptz NOT NULL DEFAULT now(),
     expires_at timestamptz NOT NULL,
     used_by text,
     used_at timestamptz
   );
   CREATE TABLE td_accounts (
     id text PRIMARY KEY,
     lock_key serial UNIQUE,
     name text NOT NULL,
     provider_id text NOT NULL,
     -- the non-secret account record (settings, status, expiry…): never a secret
     record jsonb NOT NULL,
     -- false: the vendor does not rotate refresh tokens, so members may refresh it while offline
     rotating boolean NOT NULL DEFAULT true,
     record_version bigint NOT NULL DEFAULT 1
   );
   CREATE UNIQUE INDEX td_accounts_name ON td_accounts (lower(name));
   CREATE TABLE td_secrets (
     account_id text PRIMARY KEY REFERENCES td_accounts(id) ON DELETE CASCADE,
     -- bumped by every write: the compare-and-swap of a refresh's save
     version bigint NOT NULL,
     -- AES-256-GCM with the team key (iv|tag|ct, base64), bound to the account id
     sealed text NOT NULL,
     -- the token state (expiry, obtainedAt…): not secret
     state jsonb NOT NULL,
     refreshed_by text,
     refreshed_at timestamptz,
     -- a refresh is out at the vendor: who (member, session) and since when
     intent_member text,
     intent_session text,
     intent_at timestamptz
   );
   CREATE TABLE td_history (
     seq bigserial PRIMARY KEY,
     id text NOT NULL UNIQUE,
     account_id text NOT NULL,
     at bigint NOT NULL,
     member text,
     event jsonb NOT NULL
   );
   CREATE INDEX td_history_account ON td_history (account_id, seq);`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Advisory-lock class ids: one for migrations, one for per-account refresh locks. */
export const MIGRATION_LOCK = 0x7d0001;
export const REFRESH_LOCK_CLASS = 0x7d02;

/** A schema this code must not touch (newer), or no team at all: the user must act. */
export class TeamSchemaError extends ContractError {
  constructor(message: string) {
    super('config_error', message);
  }
}

/**
 * Brings the schema up to SCHEMA_VERSION; refuses a newer one. `create` false: a database with no
 * TokenDesk schema is refused too (joining needs a team that exists).
 */
export async function migrate(client: pg.ClientBase, options: { create: boolean }): Promise<number> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS td_schema (version integer NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM td_schema');
    const current = rows[0]?.version ?? 0;
    if (current > SCHEMA_VERSION) {
      throw new TeamSchemaError(`The team database has schema version ${current}; this TokenDesk knows up to ${SCHEMA_VERSION}. Update TokenDesk; the database was not changed.`);
    }
    if (current === 0 && !options.create) throw new TeamSchemaError('This database holds no TokenDesk team (create one with `tokendesk team create`).');
    for (let v = current; v < SCHEMA_VERSION; v++) await client.query(MIGRATIONS[v]!);
    if (rows.length === 0) await client.query('INSERT INTO td_schema (version) VALUES ($1)', [SCHEMA_VERSION]);
    else if (current !== SCHEMA_VERSION) await client.query('UPDATE td_schema SET version = $1', [SCHEMA_VERSION]);
    await client.query('COMMIT');
    return SCHEMA_VERSION;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
