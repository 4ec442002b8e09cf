// Joining, leaving and using a team (docs/ARCHITECTURE.md "Team vault"): create a team in an
// empty PostgreSQL database, join one with a one-time invite code or the team passphrase, invite,
// move a local account into the team, leave, and the team's status. The membership (database URL
// with its password, member id, team key) is kept in the local vault, never in accounts.json.
import { hostname, userInfo } from 'node:os';
import pg from 'pg';
import type { TeamStatus } from '../../../shared/contract.js';
import { ContractError } from '../contract.js';
import type { Engine } from '../engine/engine.js';
import { tokenStateOf, type AccountRecord } from '../engine/types.js';
import { randomId } from '../ids.js';
import { describeDbError, poolConfig } from './connection.js';
import { migrate, REFRESH_LOCK_CLASS } from './schema.js';
import { INVITE_TTL_MS, keyCheck, newInvite, newTeamKey, openInvite, parseInvite, unwrapWithPassphrase, verifyKey, wrapWithPassphrase, type PassphraseWrap } from './team-key.js';
import type { TeamCache } from './team-cache.js';
import { TeamStore, type PendingSaves, type TeamMembership } from './team-store.js';

/** Where the membership is kept: the local vault (the owner provides it). */
export interface MembershipVault {
  /** Team tokens waiting for the database (see TeamStore.keepIfOffline). */
  readonly pending: PendingSaves;
  /** The team's sealed rows for a start while the database is down (team-cache.ts). */
  readonly cache: TeamCache;
  read(): Promise<TeamMembership | undefined>;
  write(membership: TeamMembership): Promise<void>;
  /** Forgets the membership and the cache. */
  clear(): Promise<void>;
}

/** What sharing needs of the local store: the record and secrets of a local account, and removing them. */
export interface LocalAccounts {
  get(id: string): Promise<{ record: AccountRecord; secrets: Record<string, string> } | undefined>;
  remove(id: string): Promise<void>;
}

export class TeamControl {
  store?: TeamStore;

  private engineRef?: Engine;

  constructor(
    private readonly vault: MembershipVault,
    private readonly local: LocalAccounts,
  ) {}

  /** The engine is built over the store that routes through this control, so it arrives second. */
  bind(engine: Engine): void {
    this.engineRef = engine;
  }

  private get engine(): Engine {
    if (!this.engineRef) throw new Error('TeamControl used before bind(engine)');
    return this.engineRef;
  }

  /** At owner start: the team this data dir belongs to, connected (or trying to). Before the engine loads. */
  async open(): Promise<void> {
    const membership = await this.vault.read();
    if (membership) this.attach(await TeamStore.open(membership, this.vault.pending, this.vault.cache));
  }

  async close(): Promise<void> {
    await this.store?.close();
  }

  async create(input: { database: string; passphrase?: string; member?: string }): Promise<TeamStatus> {
    this.assertNotMember();
    const memberName = input.member ?? defaultMemberName();
    const teamId = randomId();
    const memberId = randomId();
    const key = newTeamKey();
    await withClient(input.database, async (client) => {
      await migrate(client, { create: true });
      const existing = await client.query('SELECT id FROM td_team');
      if (existing.rowCount) throw new ContractError('conflict', 'This database already holds a team: join it with `tokendesk team join --invite CODE`');
      const wrap = input.passphrase ? await wrapWithPassphrase(key, input.passphrase, teamId) : null;
      await client.query('INSERT INTO td_team (id, key_check, passphrase_wrap) VALUES ($1, $2, $3)', [teamId, keyCheck(key, teamId), wrap]);
      await client.query('INSERT INTO td_members (id, name, hostname) VALUES ($1, $2, $3)', [memberId, memberName, hostname()]);
    });
    await this.become({ database: input.database, teamId, memberId, memberName, key: key.toString('base64') });
    return this.status();
  }

  async join(input: { database: string; invite?: string; passphrase?: string; member?: string }): Promise<TeamStatus> {
    this.assertNotMember();
    if (!input.invite === !input.passphrase) throw new ContractError('invalid_input', 'Join with either an invite code or the team passphrase');
    const memberName = input.member ?? defaultMemberName();
    const memberId = randomId();
    let teamId = '';
    let key: Buffer = Buffer.alloc(0);
    await withClient(input.database, async (client) => {
      await migrate(client, { create: false });
      const team = (await client.query<{ id: string; key_check: string; passphrase_wrap: PassphraseWrap | null }>('SELECT id, key_check, passphrase_wrap FROM td_team')).rows[0];
      if (!team) throw new ContractError('not_found', 'This database holds no team yet: create one with `tokendesk team create`');
      teamId = team.id;
      await client.query('BEGIN');
      await client.query('INSERT INTO td_members (id, name, hostname) VALUES ($1, $2, $3)', [memberId, memberName, hostname()]);
      if (input.invite) key = await redeemInvite(client, input.invite, memberId);
      else if (!team.passphrase_wrap) throw new ContractError('invalid_input', 'This team has no passphrase: ask a member for an invite code (`tokendesk team invite`)');
      else key = await unwrapWithPassphrase(team.passphrase_wrap, input.passphrase!, team.id);
      verifyKey(key, team.id, team.key_check);
      await client.query('COMMIT');
    });
    await this.become({ database: input.database, teamId, memberId, memberName, key: key.toString('base64') });
    const store = this.store!;
    for (const record of await store.listAccounts()) this.engine.upsert(record, await store.readSecrets(record.id));
    return this.status();
  }

  async invite(): Promise<{ code: string; expiresAt: number }> {
    const store = this.member();
    const invite = newInvite(Buffer.from(store.membership.key, 'base64'));
    const expiresAt = Date.now() + INVITE_TTL_MS;
    await store.query('INSERT INTO td_invites (id, wrapped_key, created_by, expires_at) VALUES ($1, $2, $3, $4)', [
      invite.id,
      invite.wrappedKey,
      store.membership.memberId,
      new Date(expiresAt),
    ]);
    return { code: invite.code, expiresAt };
  }

  /** Moves a local account into the team: written to the team first, then removed locally (a crash between leaves the team's copy in charge). */
  async share(accountId: string, nonRotating = false): Promise<AccountRecord> {
    const store = this.member();
    if (store.has(accountId)) throw new ContractError('conflict', 'That account is in the team already');
    const local = await this.local.get(accountId);
    if (!local) throw new ContractError('not_found', `No local account with id ${accountId}`);
    // Out of the engine first: no refresh of the local copy may run while it moves.
    await this.engine.remove(accountId);
    let shared: AccountRecord;
    try {
      const record: AccountRecord = { ...local.record, team: { rotating: !nonRotating } };
      shared = await store.createAccount(record, local.secrets, tokenStateOf(local.record));
    } catch (err) {
      this.engine.upsert(local.record, local.secrets);
      throw err;
    }
    await this.local.remove(accountId);
    this.engine.upsert(shared, local.secrets);
    return shared;
  }

  async createAccount(record: AccountRecord, secrets: Record<string, string>): Promise<AccountRecord> {
    return this.member().createAccount(record, secrets, tokenStateOf(record));
  }

  async leave(): Promise<void> {
    const store = this.member();
    await store.query('UPDATE td_members SET left_at = now(), session = NULL WHERE id = $1', [store.membership.memberId]);
    for (const id of store.ids()) await this.engine.remove(id).catch(() => undefined);
    this.store = undefined;
    await store.close();
    await this.vault.clear();
  }

  /**
   * Removes another member: marked as left (its TokenDesk is refused at its next connection and
   * says so) and its live connections closed where the database role may. It keeps the team key
   * it had: revoke its database access too (docs/ARCHITECTURE.md "Threat model").
   */
  async removeMember(who: string): Promise<TeamStatus> {
    const store = this.member();
    const { rows } = await store.query<{ id: string; name: string; hostname: string; session: string | null }>(
      `SELECT id, name, hostname, session FROM td_members WHERE left_at IS NULL AND (name = $1 OR name || '@' || hostname = $1) ORDER BY joined_at`,
      [who],
    );
    if (!rows.length) throw new ContractError('not_found', `No member ${JSON.stringify(who)} in the team (\`tokendesk team status\` lists them)`);
    if (rows.length > 1) throw new ContractError('conflict', `${rows.length} members are named ${JSON.stringify(who)}: name one as ${rows.map((m) => `${m.name}@${m.hostname}`).join(' or ')}`);
    const target = rows[0]!;
    if (target.id === store.membership.memberId) throw new ContractError('invalid_input', `${target.name} is this TokenDesk: \`tokendesk team leave\` leaves the team`);
    await store.query('UPDATE td_members SET left_at = now(), session = NULL WHERE id = $1', [target.id]);
    // Its listener reconnects and is refused; a role that may not signal it leaves it until then.
    if (target.session) await store.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [`td:${target.session}`]).catch(() => undefined);
    return this.status();
  }

  async status(): Promise<TeamStatus> {
    const store = this.store;
    if (!store) return { joined: false, accounts: 0, members: [], locks: [] };
    const { membership, connection } = store;
    const base: TeamStatus = {
      joined: true,
      teamId: membership.teamId,
      member: membership.memberName,
      database: databaseLabel(membership.database),
      connection: { ...connection.health },
      accounts: store.ids().length,
      members: [],
      locks: [],
    };
    if (!connection.online) return base;
    const members = await store.query<{ id: string; name: string; hostname: string; joined_at: Date; last_seen: Date; left_at: Date | null; online: boolean }>(
      `SELECT m.id, m.name, m.hostname, m.joined_at, m.last_seen, m.left_at,
              EXISTS (SELECT 1 FROM pg_stat_activity p WHERE m.session IS NOT NULL AND p.application_name = 'td:' || m.session) AS online
       FROM td_members m ORDER BY m.joined_at`,
    );
    const locks = await store.query<{ account: string; member: string }>(
      `SELECT a.name AS account, m.name AS member FROM pg_locks l
       JOIN pg_stat_activity p ON p.pid = l.pid
       JOIN td_accounts a ON a.lock_key = l.objid::int
       JOIN td_members m ON p.application_name = 'td:' || m.session
       WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1 AND l.objsubid = 2 ORDER BY a.name`,
      [REFRESH_LOCK_CLASS],
    );
    base.members = members.rows.map((m) => ({
      name: m.name,
      hostname: m.hostname,
      joinedAt: m.joined_at.getTime(),
      lastSeen: m.last_seen.getTime(),
      online: m.online,
      left: m.left_at !== null,
      you: m.id === membership.memberId,
    }));
    base.locks = locks.rows;
    return base;
  }

  private async become(membership: TeamMembership): Promise<void> {
    await this.vault.write(membership);
    this.attach(await TeamStore.open(membership, this.vault.pending, this.vault.cache));
  }

  private attach(store: TeamStore): void {
    this.store = store;
    store.onRemote = (change) => {
      if (change.kind === 'removed') void this.engine.remove(change.id).catch(() => undefined);
      else this.engine.upsert(change.record, change.secrets);
    };
    store.onReconnected = (ids) => this.engine.retrySoon(ids);
    store.onHealth = (health) => this.engine.emit('team-changed', { ...health });
  }

  private member(): TeamStore {
    if (!this.store) throw new ContractError('invalid_input', 'This data dir is in no team: `tokendesk team create` or `tokendesk team join`');
    return this.store;
  }

  private assertNotMember(): void {
    if (this.store) throw new ContractError('conflict', 'This data dir is in a team already: `tokendesk team leave` first');
  }
}

async function redeemInvite(client: pg.ClientBase, code: string, memberId: string): Promise<Buffer> {
  const { id, secret } = parseInvite(code);
  const { rows } = await client.query<{ wrapped_key: string | null; expires_at: Date; used_at: Date | null }>(
    'SELECT wrapped_key, expires_at, used_at FROM td_invites WHERE id = $1 FOR UPDATE',
    [id],
  );
  const invite = rows[0];
  if (!invite) throw new ContractError('not_found', 'No such invite in this team');
  if (invite.used_at || !invite.wrapped_key) throw new ContractError('conflict', 'That invite was used already: ask for a new one');
  if (invite.expires_at.getTime() < Date.now()) throw new ContractError('invalid_input', 'That invite has expired: ask for a new one');
  const key = openInvite(id, secret, invite.wrapped_key);
  // One-time: the wrapped key is deleted as the invite is used.
  await client.query('UPDATE td_invites SET used_by = $2, used_at = now(), wrapped_key = NULL WHERE id = $1', [id, memberId]);
  return key;
}

async function withClient<T>(database: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const { max: _max, idleTimeoutMillis: _idle, ...config } = poolConfig(database, 'setup');
  const client = new pg.Client(config);
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    throw new ContractError('transient', `Cannot reach the team database: ${describeDbError(err)}`);
  }
  try {
    return await work(client);
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** host:port/database of a URL, never its user or password. */
export function databaseLabel(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'the team database';
  }
}

function defaultMemberName(): string {
  let user = 'member';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry: keep the default
  }
  return `${user}@${hostname()}`;
}
