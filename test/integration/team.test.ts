// The team vault on a real PostgreSQL cluster (test/helpers/postgres.ts) with real simulators:
// joining, sealing, one refresher per rotation, LISTEN/NOTIFY, the database going away.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Owner } from '../../src/main/core/owner/owner.js';
import { startSimulator, type Simulator } from '../../src/simulators/index.js';
import { postgresAvailable, startPostgres, type PostgresCluster } from '../helpers/postgres.js';
import { call, openTestOwner, tempDir, waitFor } from '../helpers/temp-owner.js';

let cluster: PostgresCluster;
let dbSeq = 0;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  if (postgresAvailable()) cluster = await startPostgres();
}, 120_000);
afterAll(async () => {
  await cluster?.stop();
});
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => undefined);
});

/** A fresh database per test in the shared cluster. */
async function database(): Promise<string> {
  const name = `team_${process.pid}_${++dbSeq}`;
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return cluster.url.replace(/\/postgres$/, `/${name}`);
}

async function member(options: Parameters<typeof openTestOwner>[1] = {}): Promise<Owner> {
  const t = await tempDir('tokendesk-team-');
  cleanups.push(t.cleanup);
  const o = await openTestOwner(t.dir, { schedule: false, ...options });
  cleanups.push(() => o.close());
  return o;
}

async function sim(options: Parameters<typeof startSimulator>[1] = {}): Promise<Simulator> {
  const s = await startSimulator('ups', options);
  cleanups.push(() => s.close());
  return s;
}

async function addTeamAccount(o: Owner, s: Simulator, name: string) {
  const grant = s.issue();
  const { access_token: _a, ...values } = { ...grant.settings, ...grant.secrets };
  return { grant, view: await call(o, 'accounts.add', { providerId: 'ups', name, baseUrl: s.url, values, team: true }) };
}

/** Two members of one team: A created it, B joined with an invite. */
async function team(): Promise<{ a: Owner; b: Owner; url: string }> {
  const url = await database();
  const a = await member();
  await call(a, 'team.create', { database: url, member: 'alice' });
  const { code } = await call(a, 'team.invite');
  const b = await member();
  await call(b, 'team.join', { database: url, invite: code, member: 'bob' });
  return { a, b, url };
}

/** Two members and a UPS account A added to the team, once B has it too. */
async function teamSharing(name: string) {
  const s = await sim();
  const members = await team();
  const added = await addTeamAccount(members.a, s, name);
  await waitFor('B sees the account', () => members.b.engine.resolve(name));
  return { s, ...members, ...added };
}

async function dbText(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const parts: string[] = [];
  for (const table of ['td_team', 'td_members', 'td_invites', 'td_accounts', 'td_secrets', 'td_history']) {
    const { rows } = await client.query(`SELECT * FROM ${table}`);
    parts.push(JSON.stringify(rows));
  }
  await client.end();
  return parts.join('\n');
}

describe.skipIf(!postgresAvailable())('team vault', () => {
  it('a member joins with a one-time invite and sees the team accounts; the database never holds a secret', async () => {
    const s = await sim();
    const { a, b, url } = await team();
    const { grant, view } = await addTeamAccount(a, s, 'ups-shared');
    expect(view.team).toMatchObject({ rotating: true });
    await waitFor('B sees the account', () => b.engine.resolve('ups-shared'));
    const token = await call(b, 'accounts.token', { account: 'ups-shared' });
    expect(s.isValidAccessToken(token.accessToken)).toBe(true);
    await waitFor('A has the token B obtained', () => a.engine.peekAccessToken(view.id) === token.accessToken);

    const text = await dbText(url);
    for (const secret of Object.values(grant.secrets)) expect(text).not.toContain(secret);
    expect(text).not.toContain(token.accessToken);
    expect(text).not.toContain(b.engine.peekAccessToken(view.id));
    expect(text).not.toContain(Buffer.from((await a.team.store!.membership.key), 'base64').toString('hex'));
    expect(text).not.toContain(a.team.store!.membership.key);
    expect(text).toContain('ups-shared'); // names and providers are not secret

    // The invite worked once: a second join with it is refused.
    const { code } = await call(a, 'team.invite');
    const c = await member();
    await call(c, 'team.join', { database: url, invite: code, member: 'carol' });
    const d = await member();
    await expect(call(d, 'team.join', { database: url, invite: code, member: 'dave' })).rejects.toThrow(/used already/);
  }, 60_000);

  it('a refresh on one member reaches the other through LISTEN/NOTIFY within 100 ms, marked with who refreshed', async () => {
    const { a, b, view } = await teamSharing('ups-notify');
    let seenAt = 0;
    b.engine.on('account-changed', (v) => {
      if (v.id === view.id && v.team?.refreshedBy === 'alice' && b.engine.peekAccessToken(view.id) !== undefined && seenAt === 0 && v.lastRefreshAt) seenAt = performance.now();
    });
    const before = b.engine.peekAccessToken(view.id);
    const committed = performance.now();
    const refreshed = await call(a, 'accounts.refresh', { account: 'ups-notify' });
    expect(refreshed.outcome.ok).toBe(true);
    const newToken = a.engine.peekAccessToken(view.id);
    await waitFor('B has the new token', () => b.engine.peekAccessToken(view.id) === newToken, 5_000, 2);
    expect(b.engine.peekAccessToken(view.id)).not.toBe(before);
    expect(seenAt - committed).toBeLessThan(1_000);
    const latency = seenAt - (committed + refreshed.outcome.event.durationMs);
    expect(latency).toBeLessThan(100);
    expect(b.engine.get(view.id).team).toMatchObject({ refreshedBy: 'alice' });
    // History is the team's, with the member.
    const history = await call(b, 'history.list', { account: 'ups-notify' });
    expect(history[0]).toMatchObject({ outcome: 'ok', member: 'alice' });
  }, 60_000);

  it('two members refreshing the same account at once make one vendor call: the second adopts the first one’s tokens', async () => {
    const { s, a, b, view } = await teamSharing('ups-race');
    const before = s.refreshCount;
    const [ra, rb] = await Promise.all([call(a, 'accounts.refresh', { account: view.id }), call(b, 'accounts.refresh', { account: view.id })]);
    expect(ra.outcome.ok && rb.outcome.ok).toBe(true);
    expect(s.refreshCount - before).toBe(1);
    expect(a.engine.peekAccessToken(view.id)).toBe(b.engine.peekAccessToken(view.id));
    expect(s.isValidAccessToken(a.engine.peekAccessToken(view.id)!)).toBe(true);
  }, 60_000);

  it('a revocation takes the account’s hold: it waits for another member’s refresh and revokes the tokens that refresh brought', async () => {
    const s = await startSimulator('oauth2');
    cleanups.push(() => s.close());
    const { a, b, url } = await team();
    const grant = s.issue();
    const { access_token: _a, ...values } = { ...grant.settings, ...grant.secrets };
    const view = await call(a, 'accounts.add', { providerId: 'oauth2', name: 'oauth-revoke', values, team: true });
    await waitFor('B sees the account', () => b.engine.resolve('oauth-revoke'));
    // A takes the hold for a refresh and waits there, before calling the vendor.
    let goOn!: () => void;
    const gate = new Promise<void>((resolve) => (goOn = resolve));
    const store = (a.engine as unknown as { store: { beginRefresh: (id: string, o?: object) => Promise<unknown> } }).store;
    const begin = store.beginRefresh.bind(store);
    let held = false;
    store.beginRefresh = async (id: string, o?: object) => {
      const lease = await begin(id, o);
      held = true;
      await gate;
      return lease;
    };
    const refreshing = call(a, 'accounts.refresh', { account: view.id });
    await waitFor('A holds the account', () => held);
    let revoked = false;
    const revoking = call(b, 'accounts.revoke', { account: view.id }).finally(() => (revoked = true));
    // B waits for A's advisory lock (a revocation that did not would be done already).
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    cleanups.push(() => admin.end());
    await waitFor('B waits for the hold or has revoked', async () => {
      const waiting = await admin.query("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'");
      return revoked || (waiting.rowCount ?? 0) > 0;
    });
    goOn();
    expect((await refreshing).outcome.ok).toBe(true);
    const rotated = (await a.team.store!.readSecrets(view.id))['refresh_token'];
    await revoking;

    expect(s.refreshCount).toBe(1);
    const revocations = s.requests.filter((r) => r.path.endsWith('/oauth/revoke')).map((r) => new URLSearchParams(r.bodyText).get('token'));
    expect(revocations).toContain(rotated); // the refresh token A's refresh brought, not the one B had
    expect(revocations).not.toContain(grant.refreshToken);
    expect(s.isValidRefreshToken(rotated!)).toBe(false);
    for (const member of [a, b]) {
      await waitFor('both see it revoked', () => member.engine.get(view.id).status === 'revoked' && member.engine.peekAccessToken(view.id) === undefined);
    }
    expect(await b.team.store!.readSecrets(view.id)).not.toHaveProperty('refresh_token');
  }, 60_000);

  it('a schema newer than the code is refused and left as it is', async () => {
    const { a, url } = await team();
    const { code } = await call(a, 'team.invite');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('UPDATE td_schema SET version = 99');
      const c = await member();
      await expect(call(c, 'team.join', { database: url, invite: code })).rejects.toThrow(/schema version 99.*Update TokenDesk/);
      expect((await client.query('SELECT version FROM td_schema')).rows).toEqual([{ version: 99 }]);
      const invite = await client.query('SELECT used_at FROM td_invites WHERE id = $1', [code.split('.')[0]]);
      expect(invite.rows).toEqual([{ used_at: null }]);
    } finally {
      await client.end();
    }
  }, 60_000);

  it('a member that died between the vendor and its save: the next member does not present the spent token, it marks the account', async () => {
    const { s, a, b, url, view } = await teamSharing('ups-crash');
    // A session that marked its intent and vanished (its connection ended, its lock with it).
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ id: string }>("SELECT id FROM td_members WHERE name = 'alice'");
    await client.query("UPDATE td_secrets SET intent_member = $1, intent_session = 'deadbeefdeadbeef', intent_at = now() - interval '1 minute' WHERE account_id = $2", [
      rows[0]!.id,
      view.id,
    ]);
    await client.end();
    const requests = s.requests.length;
    // Pretend B has been connected longer than the grace, so it may decide now.
    (b.team.store!.connection as unknown as { onlineSince: number }).onlineSince = Date.now() - 60_000;
    const outcome = await call(b, 'accounts.refresh', { account: view.id });
    expect(outcome.outcome.ok).toBe(false);
    expect(outcome.account.status).toBe('reauth_required');
    expect(outcome.account.statusMessage).toMatch(/TokenDesk on alice stopped between/);
    expect(s.requests.length).toBe(requests); // nothing presented to the vendor
    await waitFor('A sees it too', () => a.engine.get(view.id).status === 'reauth_required');
  }, 60_000);

  it('the database stopped: valid tokens are still served, rotating accounts wait, local ones refresh; back: refreshing within seconds', async () => {
    const s = await sim();
    const local = await sim();
    const { a } = await team();
    const { view } = await addTeamAccount(a, s, 'ups-offline');
    const grant = local.issue();
    const { access_token: _x, ...values } = { ...grant.settings, ...grant.secrets };
    await call(a, 'accounts.add', { providerId: 'ups', name: 'ups-local', baseUrl: local.url, values });
    expect((await call(a, 'accounts.refresh', { account: view.id })).outcome.ok).toBe(true);
    const changes: string[] = [];
    a.engine.on('team-changed', (c) => changes.push(c.state));

    await cluster.stopServer('immediate');
    try {
      await waitFor('A notices', () => a.team.store!.connection.health.state === 'offline', 10_000);
      const token = await call(a, 'accounts.token', { account: view.id });
      expect(s.isValidAccessToken(token.accessToken)).toBe(true);
      const refused = await call(a, 'accounts.refresh', { account: view.id });
      expect(refused.outcome.ok).toBe(false);
      expect(refused.outcome.event.message).toMatch(/Team store offline/);
      // A revocation needs the account's hold too: refused, and nothing is deleted.
      await expect(call(a, 'accounts.revoke', { account: view.id })).rejects.toThrow(/^Not revoked: Team store offline/);
      expect(a.engine.get(view.id).status).not.toBe('revoked');
      expect(s.isValidAccessToken(a.engine.peekAccessToken(view.id) ?? '')).toBe(true);
      expect((await call(a, 'accounts.refresh', { account: 'ups-local' })).outcome.ok).toBe(true);
      expect((await call(a, 'team.status')).connection?.state).toBe('offline');
    } finally {
      await cluster.start();
    }
    const back = Date.now();
    await waitFor('A is back', () => a.team.store!.connection.online, 10_000);
    expect(Date.now() - back).toBeLessThan(5_000);
    const again = await call(a, 'accounts.refresh', { account: view.id });
    expect(again.outcome.ok).toBe(true);
    expect(changes[0]).toBe('offline');
    expect(changes.at(-1)).toBe('online');
  }, 90_000);

  it('a member started while the database is down serves the team tokens it last read, without a secret in its cache; back, it catches up', async () => {
    const s = await sim();
    const { a, b } = await team();
    const { view, grant } = await addTeamAccount(a, s, 'ups-cached');
    const gone = await addTeamAccount(a, s, 'ups-gone');
    await waitFor('B sees both accounts', () => b.engine.resolve('ups-cached') && b.engine.resolve('ups-gone'));
    const served = await call(b, 'accounts.token', { account: 'ups-cached' });
    const dir = b.dataDir;
    await b.close();
    const cacheText = await readFile(path.join(dir, 'team-cache.json'), 'utf8');
    for (const secret of [served.accessToken, grant.refreshToken, gone.grant.refreshToken]) expect(cacheText).not.toContain(secret);
    // Removed while B was away: its cache still holds it.
    await call(a, 'accounts.remove', { account: 'ups-gone' });
    const vendorCalls = s.rotations.length;

    await cluster.stopServer('immediate');
    let again: Owner;
    try {
      again = await openTestOwner(dir, { schedule: false });
      cleanups.push(() => again.close());
      expect(again.team.store!.connection.online).toBe(false);
      const token = await call(again, 'accounts.token', { account: 'ups-cached' });
      expect(token.accessToken).toBe(served.accessToken);
      expect(s.isValidAccessToken(token.accessToken)).toBe(true);
      expect((await call(again, 'accounts.list')).map((v) => v.name).sort()).toEqual(['ups-cached', 'ups-gone']);
      // A rotating account still waits for the database to refresh.
      const refused = await call(again, 'accounts.refresh', { account: view.id });
      expect(refused.outcome.event.message).toMatch(/Team store offline/);
      expect(s.rotations).toHaveLength(vendorCalls);
    } finally {
      await cluster.start();
    }
    await waitFor('B is back', () => again.team.store!.connection.online, 15_000);
    await waitFor('the removed account is gone from B', () => !again.engine.resolve('ups-gone'), 15_000);
    await waitFor('A is back', () => a.team.store!.connection.online, 15_000);
    expect((await call(a, 'accounts.refresh', { account: view.id })).outcome.ok).toBe(true);
    await waitFor('B has the rotated token', () => again.engine.peekAccessToken(view.id) === a.engine.peekAccessToken(view.id), 15_000);
    // Leaving forgets the cache with the membership.
    await call(again, 'team.leave');
    expect(existsSync(path.join(dir, 'team-cache.json'))).toBe(false);
  }, 90_000);

  it('a member removes another: it is marked left, its TokenDesk is refused and says so, and no longer refreshes the rotating accounts', async () => {
    const { s, a, b, url, view } = await teamSharing('ups-removal');
    await expect(call(a, 'team.removeMember', { member: 'alice' })).rejects.toThrow(/alice is this TokenDesk: `tokendesk team leave`/);
    await expect(call(a, 'team.removeMember', { member: 'carol' })).rejects.toThrow(/No member "carol" in the team/);
    // Two members named alike are told apart by NAME@HOST, or refused.
    const { code } = await call(a, 'team.invite');
    const twin = await member();
    await call(twin, 'team.join', { database: url, invite: code, member: 'bob' });
    await expect(call(a, 'team.removeMember', { member: 'bob' })).rejects.toThrow(/2 members are named "bob": name one as bob@\S+ or bob@\S+/);
    await call(twin, 'team.leave');

    const status = await call(a, 'team.removeMember', { member: 'bob' });
    expect(status.members.filter((m) => m.name === 'bob').map((m) => m.left)).toEqual([true, true]);
    await waitFor('B is refused', () => /left the team/.test(b.team.store!.connection.health.message ?? ''), 15_000);
    expect(b.team.store!.connection.online).toBe(false);
    const vendorCalls = s.rotations.length;
    const refused = await call(b, 'accounts.refresh', { account: view.id });
    expect(refused.outcome.ok).toBe(false);
    expect(s.rotations).toHaveLength(vendorCalls);
    expect((await call(a, 'accounts.refresh', { account: view.id })).outcome.ok).toBe(true);
    expect((await call(a, 'team.status')).members.filter((m) => !m.left).map((m) => m.name)).toEqual(['alice']);
  }, 90_000);

  it('the database dies between the vendor’s answer and the commit: the rotated token is kept locally and written when the database is back, even by a later process', async () => {
    const { s, a, b, view } = await teamSharing('ups-midsave');
    await waitFor('A has it in its cache', async () => (await readFile(path.join(a.dataDir, 'team-cache.json'), 'utf8').catch(() => '')).includes(view.id), 10_000);
    // Stop the database right after A took its hold, before the vendor call and the commit.
    const store = (a.engine as unknown as { store: { beginRefresh: (id: string) => Promise<unknown> } }).store;
    const begin = store.beginRefresh.bind(store);
    store.beginRefresh = async (id: string) => {
      const lease = await begin(id);
      if (id === view.id) await cluster.stopServer('immediate');
      return lease;
    };
    let again: Owner;
    try {
      const outcome = await call(a, 'accounts.refresh', { account: view.id });
      expect(outcome.outcome.ok).toBe(true);
      expect(outcome.account.notSaved).toBe(true);
      expect(s.rotations).toHaveLength(1);
      const rotated = a.engine.peekAccessToken(view.id);
      await a.close(); // a one-shot process would exit here, the database still down
      // A later process, the database still down: the kept tokens, not the cache's older ones.
      again = await openTestOwner(a.dataDir, { schedule: false });
      cleanups.push(() => again.close());
      expect(again.team.store!.connection.online).toBe(false);
      expect((await call(again, 'accounts.token', { account: view.id })).accessToken).toBe(rotated);
      expect(s.isValidAccessToken(rotated ?? '')).toBe(true);
    } finally {
      await cluster.start();
    }
    // The later process wrote it first thing: B gets the rotated tokens, the stored refresh token is the live one.
    await waitFor('B has the rotated token', () => s.isValidAccessToken(b.engine.peekAccessToken(view.id) ?? ''), 15_000);
    const token = await call(b, 'accounts.token', { account: view.id });
    expect(s.isValidAccessToken(token.accessToken)).toBe(true);
    expect(s.isValidRefreshToken((await b.team.store!.readSecrets(view.id))['refresh_token']!)).toBe(true);
  }, 90_000);

  it('a non-rotating team account is refreshed while the database is down, and saved when it is back', async () => {
    const s = await sim({ rotate: false });
    const { a, b } = await team();
    const grant = s.issue();
    const { access_token: _a, ...values } = { ...grant.settings, ...grant.secrets };
    const view = await call(a, 'accounts.add', { providerId: 'ups', name: 'ups-static', baseUrl: s.url, values, team: true, nonRotating: true });
    expect(view.team).toMatchObject({ rotating: false });
    await waitFor('B sees the account', () => b.engine.resolve('ups-static'));
    await cluster.stopServer('immediate');
    try {
      await waitFor('A notices', () => a.team.store!.connection.health.state === 'offline', 10_000);
      const outcome = await call(a, 'accounts.refresh', { account: view.id });
      expect(outcome.outcome.ok).toBe(true);
      expect(s.isValidAccessToken(a.engine.peekAccessToken(view.id)!)).toBe(true);
    } finally {
      await cluster.start();
    }
    const token = a.engine.peekAccessToken(view.id);
    await waitFor('B gets it once the database is back', () => b.engine.peekAccessToken(view.id) === token, 15_000);
  }, 90_000);
});
