// The team vault's store (docs/ARCHITECTURE.md "Team vault"): team accounts, their sealed
// secrets and history in PostgreSQL, behind the same port as the local files (EngineStore). Every
// secret is sealed here, on the member's machine, before it is sent; the database never sees one.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type pg from 'pg';
import type { RefreshEvent, RefreshEventInput } from '../../../shared/domain.js';
import type { HistoryQuery } from '../storage/history-log.js';
import { ContractError } from '../contract.js';
import { TOKEN_STATE_KEYS, type AccountRecord, type RefreshLease, type TokenState } from '../engine/types.js';
import { ProviderError } from '../net/provider-error.js';
import { CHANNEL, TeamConnection, describeDbError, isConnectionError, type TeamHealth } from './connection.js';
import { beginTeamRefresh, type LockContext } from './refresh-lock.js';
import { ACCOUNT_COLUMNS, type AccountRow } from './rows.js';
import { TeamRowCache, type TeamCache } from './team-cache.js';
import { migrate } from './schema.js';
import { sealSecrets, unsealSecrets, verifyKey } from './team-key.js';

/** What a member keeps in its local vault (never in accounts.json): the URL holds the database password. */
export interface TeamMembership {
  database: string;
  teamId: string;
  memberId: string;
  memberName: string;
  /** The team data key, base64. */
  key: string;
}

/**
 * Tokens a refresh obtained while the database went away mid-save: kept in the local vault until
 * the database takes them (a one-shot CLI process may exit meanwhile), so no rotation is lost.
 */
export interface PendingSaves {
  list(): Promise<Record<string, string>>;
  put(accountId: string, json: string): Promise<void>;
  remove(accountId: string): Promise<void>;
}

interface PendingSave {
  version: number;
  secrets: Record<string, string>;
  state: TokenState;
}

/** Another member changed a team account (seen through LISTEN/NOTIFY or a catch-up). */
export type RemoteChange = { kind: 'upsert'; record: AccountRecord; secrets: Record<string, string> } | { kind: 'removed'; id: string };

export type { HistoryQuery };

interface Known {
  version: number;
  recordVersion: number;
  lockKey: number;
  rotating: boolean;
}

const ACCOUNT_FROM = `td_accounts a JOIN td_secrets s ON s.account_id = a.id`;

export class TeamStore {
  readonly session = randomBytes(8).toString('hex');
  readonly connection: TeamConnection;
  private readonly known = new Map<string, Known>();
  private readonly secretsCache = new Map<string, Record<string, string>>();
  /** History rows the database could not take (offline): written when it is back, never dropped. */
  private readonly pendingHistory: RefreshEvent[] = [];
  /**
   * Accounts whose newest tokens this process holds but the database does not have yet (a save
   * failed offline): the database's copy is older, so it is never handed to the engine for them.
   */
  private readonly keptLocally = new Set<string>();
  /** Refresh holds this process has taken and not ended (refresh-lock.ts). */
  private readonly held = new Set<string>();
  /**
   * Accounts whose tokens this process saved, with the record version it knew then: the record
   * write that follows may revive a stopped account if nobody changed the record since.
   */
  private readonly newTokens = new Map<string, number>();
  private heartbeat?: NodeJS.Timeout;
  /** The rows for a start while the database is down (team-cache.ts); none without a cache file. */
  private readonly rowCache?: TeamRowCache;
  /** Team accounts read from the cache at start, the database unreachable; dropped once it answers. */
  private cachedRecords?: AccountRecord[];
  /** Set by the owner: where other members' changes go (the engine). */
  onRemote?: (change: RemoteChange) => void;
  /** Set by the owner: the store is reachable again after an outage (retry what waited for it). */
  onReconnected?: (teamIds: string[]) => void;
  onHealth?: (health: TeamHealth) => void;
  /** For logs and the crash tests: an account found with an unfinished refresh of a member that died. */
  onBricked?: (info: { accountId: string; member: string; intentAt: number }) => void;

  constructor(
    readonly membership: TeamMembership,
    private readonly key: Buffer,
    private readonly pending?: PendingSaves,
    cache?: TeamCache,
  ) {
    if (cache) this.rowCache = new TeamRowCache(cache, membership.teamId, (ids) => this.fetchRows(ids));
    this.connection = new TeamConnection({ url: membership.database, session: this.session, prepare: (client) => this.prepare(client) });
    this.connection.on('notification', (payload) => void this.onNotification(payload));
    this.connection.on('online', () => void this.caughtUp());
    this.connection.on('health', (health) => this.onHealth?.(health));
  }

  /** Connects (or starts trying) and loads the team's accounts when the database answers. */
  static async open(membership: TeamMembership, pending?: PendingSaves, cache?: TeamCache): Promise<TeamStore> {
    const store = new TeamStore(membership, Buffer.from(membership.key, 'base64'), pending, cache);
    await store.connection.start();
    if (store.connection.online) await store.listAccounts();
    else await store.loadCache();
    store.heartbeat = setInterval(() => void store.beat(), 10_000);
    store.heartbeat.unref();
    return store;
  }

  get memberName(): string {
    return this.membership.memberName;
  }

  has(id: string): boolean {
    return this.known.has(id);
  }

  ids(): string[] {
    return [...this.known.keys()];
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    // Changes not written yet: the next start may find the database down.
    await this.rowCache?.close();
    if (this.connection.online) await this.flushHistory().catch(() => undefined);
    await this.connection.close();
  }

  // ── the engine's port ──────────────────────────────────────────────────

  /** Team accounts as last loaded (from the cache while the database has never answered). */
  async listAccounts(): Promise<AccountRecord[]> {
    if (!this.connection.online) return this.cachedRecords ?? [];
    try {
      return await this.loadAll();
    } catch (err) {
      // Gone between the check and the query: the catch-up after reconnecting brings them.
      if (err instanceof ProviderError) return [];
      throw err;
    }
  }

  async readSecrets(accountId: string): Promise<Record<string, string>> {
    const cached = this.secretsCache.get(accountId);
    if (cached) return { ...cached };
    const row = await this.fetch(accountId);
    return row ? this.unseal(row) : {};
  }

  /** A save outside a refresh's hold (edits, save retries): compare-and-swap on the version this process last saw. */
  async saveTokens(accountId: string, secrets: Record<string, string>, state: TokenState): Promise<void> {
    const known = this.knownOf(accountId);
    const result = await this.keepIfOffline(accountId, known.version, secrets, state, () => this.casSave(accountId, known.version, secrets, state));
    if (result.rows[0]) {
      this.saved(accountId, Number(result.rows[0].version), secrets);
      await this.pending?.remove(accountId);
      return;
    }
    // The version moved: was it this very save, committed before the connection dropped?
    const row = await this.fetch(accountId);
    if (row && this.unseal(row)['refresh_token'] === secrets['refresh_token']) {
      this.saved(accountId, Number(row.version), secrets);
      await this.pending?.remove(accountId);
      return;
    }
    throw new ContractError('conflict', 'Another team member changed this account first; its newer tokens were kept');
  }

  /** A save the database could not take (offline): kept in the local vault first, then the engine is told it is not saved. */
  async keepIfOffline<T>(accountId: string, version: number, secrets: Record<string, string>, state: TokenState, save: () => Promise<T>): Promise<T> {
    try {
      return await save();
    } catch (err) {
      if (err instanceof ProviderError || isConnectionError(err)) {
        this.keptLocally.add(accountId);
        await this.pending?.put(accountId, JSON.stringify({ version, secrets, state } satisfies PendingSave));
      }
      throw err;
    }
  }

  private casSave(accountId: string, version: number, secrets: Record<string, string>, state: TokenState) {
    return this.query<{ version: string }>(
      `WITH u AS (UPDATE td_secrets SET sealed = $2, state = $3, version = version + 1, refreshed_by = $4, refreshed_at = now(),
         intent_member = CASE WHEN intent_session = $5 THEN NULL ELSE intent_member END,
         intent_session = CASE WHEN intent_session = $5 THEN NULL ELSE intent_session END,
         intent_at = CASE WHEN intent_session = $5 THEN NULL ELSE intent_at END
       WHERE account_id = $1 AND version = $6 RETURNING version)
       SELECT version, pg_notify('${CHANNEL}', 'tokens:' || $1 || ':' || version || ':' || $5) FROM u`,
      [accountId, sealSecrets(this.key, accountId, secrets), state, this.memberName, this.session, version],
    );
  }

  /**
   * An account another member stopped (a member died mid-refresh, a refused token) is revived
   * only by a write that comes with new tokens (a refresh, a sign-in, an edit): a record built
   * from a stale copy (a failure's lastOutcome, a pause) never turns it `active` again. Refused,
   * the database's record is handed to the engine instead.
   */
  async saveAccount(record: AccountRecord): Promise<void> {
    const k = this.knownOf(record.id);
    const revivableAt = this.newTokens.get(record.id) ?? -1;
    this.newTokens.delete(record.id);
    const result = await this.query<{ record_version: string }>(
      `WITH u AS (UPDATE td_accounts SET record = $2, name = $3, record_version = record_version + 1
         WHERE id = $1 AND (record->>'status' = 'active' OR $2::jsonb->>'status' <> 'active' OR record_version = $5) RETURNING record_version)
       SELECT record_version, pg_notify('${CHANNEL}', 'record:' || $1 || ':' || record_version || ':' || $4) FROM u`,
      [record.id, recordForDb(record), record.name, this.session, revivableAt],
    );
    if (result.rows[0]) k.recordVersion = Number(result.rows[0].record_version);
    else void this.takeDatabaseCopy(record.id);
  }

  private async takeDatabaseCopy(id: string): Promise<void> {
    try {
      const row = await this.fetch(id);
      if (row && !this.keptLocally.has(id)) this.onRemote?.({ kind: 'upsert', record: this.adoptRow(row), secrets: this.unseal(row) });
    } catch (err) {
      this.connection.suspect(err);
    }
  }

  async createAccount(record: AccountRecord, secrets: Record<string, string>, state: TokenState): Promise<AccountRecord> {
    const rotating = record.team?.rotating ?? true;
    const client = await this.client();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ lock_key: number }>(
        'INSERT INTO td_accounts (id, name, provider_id, record, rotating) VALUES ($1, $2, $3, $4, $5) RETURNING lock_key',
        [record.id, record.name, record.providerId, recordForDb(record), rotating],
      );
      await client.query('INSERT INTO td_secrets (account_id, version, sealed, state, refreshed_by, refreshed_at) VALUES ($1, 1, $2, $3, $4, now())', [
        record.id,
        sealSecrets(this.key, record.id, secrets),
        state,
        this.memberName,
      ]);
      await client.query(`SELECT pg_notify('${CHANNEL}', 'added:' || $1 || ':1:' || $2)`, [record.id, this.session]);
      await client.query('COMMIT');
      this.known.set(record.id, { version: 1, recordVersion: 1, lockKey: rows[0]!.lock_key, rotating });
      this.secretsCache.set(record.id, { ...secrets });
      return { ...record, team: { rotating, refreshedBy: this.memberName, refreshedAt: Date.now() } };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      if ((err as { code?: string }).code === '23505') throw new ContractError('conflict', `The team already has an account named ${JSON.stringify(record.name)}`);
      throw this.translate(err);
    } finally {
      client.release();
    }
  }

  async removeAccount(id: string): Promise<void> {
    await this.query(`WITH d AS (DELETE FROM td_accounts WHERE id = $1 RETURNING id) SELECT pg_notify('${CHANNEL}', 'removed:' || id || ':0:' || $2) FROM d`, [id, this.session]);
    this.known.delete(id);
    this.secretsCache.delete(id);
  }

  async appendHistory(event: RefreshEventInput): Promise<void> {
    const row: RefreshEvent = { ...event, action: event.action ?? 'refreshed', member: this.memberName };
    if (!this.connection.online) {
      this.pendingHistory.push(row);
      return;
    }
    try {
      await this.insertHistory([row]);
    } catch (err) {
      if (!isConnectionError(err)) throw err;
      this.pendingHistory.push(row);
    }
  }

  async listHistory(query: HistoryQuery): Promise<RefreshEvent[]> {
    if (!this.connection.online) return [...this.pendingHistory].reverse();
    const params: unknown[] = [];
    const where: string[] = [];
    if (query.accountId) where.push(`account_id = $${params.push(query.accountId)}`);
    if (query.outcome === 'ok' || query.outcome === 'error') where.push(`event->>'outcome' = $${params.push(query.outcome)}`);
    else if (query.outcome) where.push(`event->>'outcome' = 'error' AND event->>'errorClass' = $${params.push(query.outcome)}`);
    if (query.actions) where.push(`COALESCE(event->>'action', 'refreshed') = ANY($${params.push([...query.actions])})`);
    const sql = `SELECT event, member FROM td_history ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT $${params.push(query.limit ?? 500)}`;
    const { rows } = await this.query<{ event: RefreshEvent; member: string | null }>(sql, params);
    return rows.map((r) => ({ ...r.event, action: r.event.action ?? 'refreshed', ...(r.member ? { member: r.member } : {}) }));
  }

  beginRefresh(accountId: string, options: { signIn?: boolean } = {}): Promise<RefreshLease | undefined> {
    const known = this.known.get(accountId);
    if (!known) return Promise.resolve(undefined);
    return beginTeamRefresh(this.lockContext(), accountId, known.version, options.signIn === true, known);
  }

  // ── internals ─────────────────────────────────────────────────────────

  private lockContext(): LockContext {
    return {
      connection: this.connection,
      session: this.session,
      memberId: this.membership.memberId,
      memberName: this.memberName,
      key: this.key,
      toRecord: (row) => this.adoptRow(row),
      unseal: (row) => this.unseal(row),
      saved: (id, version, secrets) => this.saved(id, version, secrets),
      keepIfOffline: (id, version, secrets, state, save) => this.keepIfOffline(id, version, secrets, state, save),
      keptLocally: (id) => this.keptLocally.has(id),
      held: this.held,
      bricked: (info) => this.onBricked?.(info),
    };
  }

  /** Verifies the key and registers this process as the member's live session (every (re)connection). */
  private async prepare(client: pg.ClientBase): Promise<void> {
    await migrate(client, { create: false });
    const team = await client.query<{ id: string; key_check: string }>('SELECT id, key_check FROM td_team');
    const row = team.rows[0];
    if (!row || row.id !== this.membership.teamId) throw new ContractError('config_error', 'This database holds another team than the one this data dir joined');
    verifyKey(this.key, row.id, row.key_check);
    const member = await client.query<{ left_at: Date | null }>(
      `INSERT INTO td_members (id, name, hostname, session) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET session = $4, hostname = $3, last_seen = now() RETURNING left_at`,
      [this.membership.memberId, this.memberName, hostname(), this.session],
    );
    if (member.rows[0]?.left_at) throw new ContractError('config_error', 'This member has left the team; join it again with a new invite');
    await this.flushPending(client);
  }

  /**
   * Tokens kept locally because the database went away mid-save (by this process or an earlier
   * one of this member): written before anything else, compare-and-swap on the version they were
   * obtained from, clearing this member's intent. A version that moved means they were saved.
   */
  private async flushPending(client: pg.ClientBase): Promise<void> {
    if (!this.pending) return;
    for (const [accountId, json] of Object.entries(await this.pending.list())) {
      const entry = JSON.parse(json) as PendingSave;
      const { rows } = await client.query<{ version: string }>(
        `WITH u AS (UPDATE td_secrets SET sealed = $2, state = $3, version = version + 1, refreshed_by = $4, refreshed_at = now(),
           intent_member = NULL, intent_session = NULL, intent_at = NULL
         WHERE account_id = $1 AND version = $5 AND (intent_member IS NULL OR intent_member = $6) RETURNING version)
         SELECT version, pg_notify('${CHANNEL}', 'tokens:' || $1 || ':' || version || ':' || $7) FROM u`,
        [accountId, sealSecrets(this.key, accountId, entry.secrets), entry.state, this.memberName, entry.version, this.membership.memberId, this.session],
      );
      if (rows[0]) this.saved(accountId, Number(rows[0].version), entry.secrets);
      await this.pending.remove(accountId);
    }
  }

  private async beat(): Promise<void> {
    if (!this.connection.online) return;
    await this.query('UPDATE td_members SET last_seen = now() WHERE id = $1', [this.membership.memberId]).catch(() => undefined);
  }

  /** Back online: write the history kept meanwhile, apply what other members changed, let waiting refreshes go. */
  private async caughtUp(): Promise<void> {
    try {
      await this.flushHistory();
      const before = new Set(this.known.keys());
      const rows = await this.loadRows();
      const seen = new Set<string>();
      for (const row of rows) {
        seen.add(row.id);
        const k = this.known.get(row.id);
        if (this.keptLocally.has(row.id)) continue;
        if (k && Number(row.version) < k.version) void this.refetch(row.id);
        else if (!k || Number(row.version) > k.version || Number(row.record_version) > k.recordVersion || !before.has(row.id)) {
          this.onRemote?.({ kind: 'upsert', record: this.adoptRow(row), secrets: this.unseal(row) });
        }
      }
      for (const id of before) {
        if (!seen.has(id)) {
          this.forget(id);
          this.onRemote?.({ kind: 'removed', id });
        }
      }
      this.onReconnected?.(this.ids());
    } catch (err) {
      this.connection.suspect(err);
    }
  }

  private async flushHistory(): Promise<void> {
    while (this.pendingHistory.length) {
      const batch = this.pendingHistory.slice(0, 500);
      await this.insertHistory(batch);
      this.pendingHistory.splice(0, batch.length);
    }
  }

  private async insertHistory(rows: RefreshEvent[]): Promise<void> {
    const values: unknown[] = [];
    const tuples = rows.map((e) => `($${values.push(e.id)}, $${values.push(e.accountId)}, $${values.push(e.at)}, $${values.push(e.member ?? null)}, $${values.push(e)})`);
    await this.query(`INSERT INTO td_history (id, account_id, at, member, event) VALUES ${tuples.join(', ')} ON CONFLICT (id) DO NOTHING`, values);
  }

  private async onNotification(payload: string): Promise<void> {
    const [kind, id, version, session] = payload.split(':');
    if (!kind || !id) return;
    this.rowCache?.markChanged(id);
    if (session === this.session) return;
    if (kind === 'removed') {
      if (!this.known.has(id)) return;
      this.forget(id);
      this.onRemote?.({ kind: 'removed', id });
      return;
    }
    const k = this.known.get(id);
    if (k && kind === 'tokens' && Number(version) <= k.version) return;
    if (k && kind === 'record' && Number(version) <= k.recordVersion) return;
    await this.refetch(id);
  }

  /**
   * Reads an account and hands it to the engine when it is newer than what this process holds.
   * Never older tokens: a row read before this process's own save landed is read again.
   */
  private async refetch(id: string): Promise<void> {
    try {
      for (let attempt = 0; attempt < 5; attempt++) {
        const row = await this.fetch(id);
        if (!row) return;
        const now = this.known.get(id);
        if (this.keptLocally.has(id)) return;
        if (now && Number(row.version) < now.version) continue;
        if (now && Number(row.version) === now.version && Number(row.record_version) <= now.recordVersion) return;
        this.onRemote?.({ kind: 'upsert', record: this.adoptRow(row), secrets: this.unseal(row) });
        return;
      }
    } catch (err) {
      this.connection.suspect(err);
    }
  }

  private async loadAll(): Promise<AccountRecord[]> {
    const rows = await this.loadRows();
    return rows.map((row) => {
      const record = this.adoptRow(row);
      this.unseal(row);
      return record;
    });
  }

  /** Every row of the team: what the cache loaded at start gives way to it, and the cache file is rewritten. */
  private async loadRows(): Promise<AccountRow[]> {
    const { rows } = await this.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM ${ACCOUNT_FROM} ORDER BY a.lock_key`);
    this.cachedRecords = undefined;
    this.rowCache?.replaceAll(rows);
    return rows;
  }

  /**
   * Started with the database unreachable: the team's accounts as last read, with the tokens an
   * earlier process kept for the database (pending saves) where they are newer. Nothing of it is
   * written back; the catch-up once the database answers puts its rows in their place.
   */
  private async loadCache(): Promise<void> {
    if (!this.rowCache) return;
    const pending = (await this.pending?.list().catch(() => undefined)) ?? {};
    const records: AccountRecord[] = [];
    for (const row of await this.rowCache.load()) {
      try {
        const kept = pending[row.id] ? (JSON.parse(pending[row.id]!) as PendingSave) : undefined;
        const newer = kept && kept.version >= Number(row.version) ? kept : undefined;
        const adopted = newer ? { ...row, version: String(newer.version), state: newer.state } : row;
        this.unseal(adopted);
        records.push(this.adoptRow(adopted));
        if (newer) this.secretsCache.set(row.id, { ...newer.secrets });
      } catch {
        this.forget(row.id); // sealed with another key, or damaged: left to the database
      }
    }
    this.cachedRecords = records;
  }

  private async fetchRows(ids: string[]): Promise<AccountRow[]> {
    const { rows } = await this.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM ${ACCOUNT_FROM} WHERE a.id = ANY($1)`, [ids]);
    return rows;
  }

  private async fetch(id: string): Promise<AccountRow | undefined> {
    return (await this.fetchRows([id]))[0];
  }

  /** A database row as the engine's record; this process now knows that version. */
  private adoptRow(row: AccountRow): AccountRecord {
    this.known.set(row.id, { version: Number(row.version), recordVersion: Number(row.record_version), lockKey: row.lock_key, rotating: row.rotating });
    const record: AccountRecord = { ...row.record, id: row.id };
    for (const key of TOKEN_STATE_KEYS) delete record[key];
    Object.assign(record, row.state);
    record.team = { rotating: row.rotating, ...(row.refreshed_by ? { refreshedBy: row.refreshed_by } : {}), ...(row.refreshed_at ? { refreshedAt: row.refreshed_at.getTime() } : {}) };
    if (row.state.obtainedAt !== undefined && (record.lastOutcome?.at ?? 0) < row.state.obtainedAt) record.lastOutcome = { at: row.state.obtainedAt, outcome: 'ok' };
    return record;
  }

  private unseal(row: AccountRow): Record<string, string> {
    const secrets = unsealSecrets(this.key, row.id, row.sealed);
    this.secretsCache.set(row.id, secrets);
    return { ...secrets };
  }

  private saved(id: string, version: number, secrets: Record<string, string>): void {
    this.rowCache?.markChanged(id);
    this.keptLocally.delete(id);
    const k = this.known.get(id);
    this.newTokens.set(id, k?.recordVersion ?? -1);
    if (k) k.version = Math.max(k.version, version);
    this.secretsCache.set(id, { ...secrets });
  }

  private forget(id: string): void {
    this.known.delete(id);
    this.secretsCache.delete(id);
  }

  private knownOf(id: string): Known {
    const k = this.known.get(id);
    if (!k) throw new ContractError('not_found', `No team account with id ${id}`);
    return k;
  }

  private async client(): Promise<pg.PoolClient> {
    try {
      return await this.connection.pool.connect();
    } catch (err) {
      throw this.translate(err);
    }
  }

  async query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    try {
      return await this.connection.pool.query<R>(sql, params);
    } catch (err) {
      throw this.translate(err);
    }
  }

  /** A connection error becomes "team store offline" (transient); anything else is passed on as it is. */
  private translate(err: unknown): unknown {
    if (!isConnectionError(err)) return err;
    this.connection.suspect(err);
    return new ProviderError({ errorClass: 'transient', message: `The team store is offline: ${describeDbError(err)}` });
  }
}

/** The record as the database keeps it: no token state (that is in td_secrets.state) and no team details. */
function recordForDb(record: AccountRecord): Omit<AccountRecord, 'team'> {
  const { team: _team, ...rest } = record;
  for (const key of TOKEN_STATE_KEYS) delete (rest as Record<string, unknown>)[key];
  return rest;
}
