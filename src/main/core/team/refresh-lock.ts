// One refresher per rotation across machines (docs/ARCHITECTURE.md "Team vault"). A refresh of a
// team account takes the account's advisory lock on a connection of its own, re-reads the row,
// and either adopts what another member saved meanwhile or marks its intent (committed, so the
// others see it even if this process dies) and lets the engine call the vendor. The save is a
// compare-and-swap on the version that clears the intent and notifies every member in one
// statement. A dead member's connection ends and its lock with it; its intent stays behind and
// tells the next member that the refresh token may be spent at the vendor.
import type pg from 'pg';
import type { AccountRecord, RefreshLease, TokenState } from '../engine/types.js';
import { ProviderError } from '../net/provider-error.js';
import { CHANNEL, describeDbError, isConnectionError, type TeamConnection } from './connection.js';
import { REFRESH_LOCK_CLASS } from './schema.js';
import { sealSecrets } from './team-key.js';
import { ACCOUNT_COLUMNS, type AccountRow } from './rows.js';

/** An intent whose session is gone is left this long for its member to come back and save (a database restart). */
export const STALE_INTENT_MS = 10_000;

export interface LockContext {
  connection: TeamConnection;
  session: string;
  memberId: string;
  memberName: string;
  key: Buffer;
  toRecord(row: AccountRow): AccountRecord;
  unseal(row: AccountRow): Record<string, string>;
  saved(id: string, version: number, secrets: Record<string, string>): void;
  /** Keeps the tokens locally when the database fails the save (see TeamStore.keepIfOffline). */
  keepIfOffline<T>(id: string, version: number, secrets: Record<string, string>, state: TokenState, save: () => Promise<T>): Promise<T>;
  /** This process holds newer tokens than the database (a save failed offline). */
  keptLocally(id: string): boolean;
  /** Holds taken by this process and not yet ended, by account id. */
  readonly held: Set<string>;
  bricked(info: { accountId: string; member: string; intentAt: number }): void;
}

interface IntentRow extends AccountRow {
  intent_member: string | null;
  intent_session: string | null;
  intent_at: Date | null;
}

const offline = (err?: unknown) =>
  new ProviderError({
    errorClass: 'transient',
    message: `Team store offline${err ? ` (${describeDbError(err)})` : ''}: a rotating team account is refreshed only while the team database is reachable`,
  });

export async function beginTeamRefresh(
  ctx: LockContext,
  accountId: string,
  expectedVersion: number,
  signIn: boolean,
  known: { lockKey: number; rotating: boolean },
): Promise<RefreshLease> {
  if (!ctx.connection.online) {
    // Refreshing a rotating account alone would fork its token chain; a non-rotating one is safe, saved when the store is back.
    if (known.rotating) throw offline();
    return { save: async () => Promise.reject(offline()), release: async () => undefined };
  }
  // One hold per account per process: a second refresh while one is out would present the same token.
  if (ctx.held.has(accountId)) throw new ProviderError({ errorClass: 'transient', retryAfterMs: 1_000, message: 'A refresh of this account is still under way here' });
  ctx.held.add(accountId);
  try {
    return await takeHold(ctx, accountId, expectedVersion, signIn, known);
  } catch (err) {
    ctx.held.delete(accountId);
    throw err;
  }
}

async function takeHold(
  ctx: LockContext,
  accountId: string,
  expectedVersion: number,
  signIn: boolean,
  known: { lockKey: number; rotating: boolean },
): Promise<RefreshLease> {
  let client: pg.PoolClient;
  try {
    client = await ctx.connection.pool.connect();
  } catch (err) {
    ctx.connection.suspect(err);
    throw isConnectionError(err) ? offline(err) : err;
  }
  let broken: unknown;
  const onError = (err: unknown) => (broken = err);
  client.on('error', onError);
  let locked = false;
  const finish = async (err?: unknown) => {
    try {
      if (locked && !broken && !err) await client.query('SELECT pg_advisory_unlock($1, $2)', [REFRESH_LOCK_CLASS, known.lockKey]);
    } catch (unlockErr) {
      broken = unlockErr;
    }
    client.removeListener('error', onError);
    // A connection in doubt is destroyed, not pooled: its session (and lock) ends with it.
    client.release(broken || err ? ((broken ?? err) as Error) : undefined);
    ctx.held.delete(accountId);
  };
  try {
    await client.query('SELECT pg_advisory_lock($1, $2)', [REFRESH_LOCK_CLASS, known.lockKey]);
    locked = true;
    const { rows } = await client.query<IntentRow>(
      `SELECT ${ACCOUNT_COLUMNS}, s.intent_member, s.intent_session, s.intent_at FROM td_accounts a JOIN td_secrets s ON s.account_id = a.id WHERE a.id = $1`,
      [accountId],
    );
    const row = rows[0];
    if (!row) throw new ProviderError({ errorClass: 'config_error', message: 'The account was removed from the team' });
    if (row.intent_session === ctx.session && !ctx.keptLocally(accountId)) {
      // An earlier refresh of ours went to the vendor and did not save, and we hold no newer tokens:
      // the stored refresh token may be spent. Never present it again on a guess.
      throw new ProviderError({ errorClass: 'transient', retryAfterMs: 2_000, message: 'An earlier refresh of this account has not finished saving' });
    }
    if (row.intent_session && row.intent_session !== ctx.session) {
      const adopt = await leftoverIntent(ctx, client, row);
      await finish();
      return { adopt, save: async () => undefined, release: async () => undefined };
    }
    // Another member rotated since this process last looked, or the account is stopped
    // (reauth_required, config_error, revoked: e.g. a member died mid-refresh, so its token may be
    // spent). Only a sign-in, which brings new tokens of its own, goes on with a stopped account.
    const stopped = row.record.status !== 'active' && !signIn;
    if (Number(row.version) !== expectedVersion || stopped) {
      // Take its tokens and record, call nobody.
      const adopt = { record: ctx.toRecord(row), secrets: ctx.unseal(row) };
      await finish();
      return { adopt, save: async () => undefined, release: async () => undefined };
    }
    await client.query('UPDATE td_secrets SET intent_member = $2, intent_session = $3, intent_at = now() WHERE account_id = $1 AND version = $4', [
      accountId,
      ctx.memberId,
      ctx.session,
      expectedVersion,
    ]);
  } catch (err) {
    await finish(isConnectionError(err) ? err : undefined);
    if (isConnectionError(err)) {
      ctx.connection.suspect(err);
      throw offline(err);
    }
    if ((err as { code?: string }).code === '55P03') throw new ProviderError({ errorClass: 'transient', message: 'Another team member has been refreshing this account for 20 s; trying again later' });
    throw err;
  }
  return holdLease(ctx, client, accountId, expectedVersion, finish, () => broken);
}

function holdLease(
  ctx: LockContext,
  client: pg.PoolClient,
  accountId: string,
  expectedVersion: number,
  finish: (err?: unknown) => Promise<void>,
  brokenBy: () => unknown,
): RefreshLease {
  let done = false;
  const saveUnderLock = async (secrets: Record<string, string>, state: TokenState) => {
    let failure: unknown;
    try {
      if (brokenBy()) throw brokenBy();
      const { rows } = await client.query<{ version: string }>(
        `WITH u AS (UPDATE td_secrets SET sealed = $2, state = $3, version = version + 1, refreshed_by = $4, refreshed_at = now(),
           intent_member = NULL, intent_session = NULL, intent_at = NULL
         WHERE account_id = $1 AND version = $5 RETURNING version)
         SELECT version, pg_notify('${CHANNEL}', 'tokens:' || $1 || ':' || version || ':' || $6) FROM u`,
        [accountId, sealSecrets(ctx.key, accountId, secrets), state, ctx.memberName, expectedVersion, ctx.session],
      );
      if (!rows[0]) throw new Error('The team account changed under the refresh lock (version moved)');
      ctx.saved(accountId, Number(rows[0].version), secrets);
    } catch (err) {
      failure = err;
    }
    await finish(failure && isConnectionError(failure) ? failure : undefined);
    if (failure) {
      if (isConnectionError(failure)) {
        ctx.connection.suspect(failure);
        throw offline(failure);
      }
      throw failure;
    }
  };
  return {
    async save(secrets: Record<string, string>, state: TokenState) {
      if (done) throw new Error('The refresh hold has ended');
      done = true;
      await ctx.keepIfOffline(accountId, expectedVersion, secrets, state, () => saveUnderLock(secrets, state));
    },
    async release() {
      if (done) return;
      done = true;
      try {
        if (!brokenBy()) {
          await client.query('UPDATE td_secrets SET intent_member = NULL, intent_session = NULL, intent_at = NULL WHERE account_id = $1 AND intent_session = $2', [
            accountId,
            ctx.session,
          ]);
        }
      } catch {
        // The intent stays: the next holder sees this session alive (or gone) and acts on it.
      }
      await finish();
    },
  };
}

/**
 * The row carries another session's intent: a refresh went out and never saved. If that session
 * still lives (it lost its connection mid-save and will retry), wait for it. If it is gone for
 * good, its vendor may have rotated the refresh token we hold: presenting it again could trip
 * reuse detection and revoke the whole grant, so the account is marked for sign-in instead.
 */
async function leftoverIntent(ctx: LockContext, client: pg.PoolClient, row: IntentRow): Promise<{ record: AccountRecord; secrets: Record<string, string> }> {
  const names = await client.query<{ name: string }>('SELECT name FROM td_members WHERE id = $1', [row.intent_member]);
  const who = names.rows[0]?.name ?? 'another member';
  const intentAt = row.intent_at?.getTime() ?? 0;
  const alive = await client.query('SELECT 1 FROM pg_stat_activity WHERE application_name = $1 LIMIT 1', [`td:${row.intent_session}`]);
  const now = Date.now();
  const sameMemberRestarted = row.intent_member === ctx.memberId;
  const gone = alive.rowCount === 0 && (sameMemberRestarted || (now - intentAt > STALE_INTENT_MS && now - ctx.connection.onlineSince > STALE_INTENT_MS));
  if (!gone) {
    throw new ProviderError({ errorClass: 'transient', retryAfterMs: 2_000, message: `Waiting for ${who} to save its refresh of this account` });
  }
  const statusMessage = `TokenDesk on ${who} stopped between the vendor's answer and saving it (${new Date(intentAt).toISOString()}); the refresh token may be spent — sign in again`;
  const { rows } = await client.query<{ record_version: string }>(
    `UPDATE td_accounts SET record = record || jsonb_build_object('status', 'reauth_required', 'statusMessage', $2::text), record_version = record_version + 1
     WHERE id = $1 RETURNING record_version`,
    [row.id, statusMessage],
  );
  await client.query('UPDATE td_secrets SET intent_member = NULL, intent_session = NULL, intent_at = NULL WHERE account_id = $1', [row.id]);
  await client.query(`SELECT pg_notify('${CHANNEL}', 'record:' || $1 || ':' || $2 || ':' || $3)`, [row.id, rows[0]?.record_version ?? '0', ctx.session]);
  ctx.bricked({ accountId: row.id, member: who, intentAt });
  const record = ctx.toRecord({ ...row, record: { ...row.record, status: 'reauth_required', statusMessage }, record_version: rows[0]?.record_version ?? row.record_version });
  return { record, secrets: ctx.unseal(row) };
}
