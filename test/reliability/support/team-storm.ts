// Team vault storms (the runner behind test/reliability/team-vault.test.ts and bench/team-storm.ts).
// A real PostgreSQL cluster (test/helpers/postgres.ts), rotating simulators with reuse detection
// (ups, and oauth2 with RFC 9700 family revocation; two servers each), and M members: real
// `tokendesk daemon --log-saves` processes, each with its own data dir, all in one team, sharing
// N team accounts whose access tokens live 4 s (so each is refreshed about every 2 s). While they
// run, the test process asks every member for tokens over its socket (the path `tokendesk token`
// takes; a few real `tokendesk token` processes too) and checks each token at its simulator.
//
// Scenarios: `plain`; `kills` (SIGKILL the member holding the most refresh locks at that moment,
// then restart it, K times); `db-restart` (pg_ctl stop -m immediate mid-run, start 10 s later).
//
// Definitions:
//   - vendor refresh calls: refresh tokens presented to the simulators; rotations: the
//     simulators' rotation log. Equal means no refresh was made twice or refused.
//   - reuse detections: refresh tokens presented more than once (each presentation after the
//     first is one the vendor detects as reuse).
//   - bricked: at the end, the refresh token in the team database is refused by its simulator, or
//     the account is marked reauth_required. EXPLAINED only when the account carried the killed
//     member's intent right after a kill (its refresh was between "lock + intent" and "commit"):
//     `spent` when the vendor had rotated the stored token (killed between the vendor's answer
//     and the commit), `unsent` when it had not (killed before the request reached the vendor;
//     marked conservatively, since nothing can tell the two apart without asking the vendor).
//   - crash window: per rotation saved, vendor answer → durable commit (since_response_ms in
//     the daemon's save log), as the local crash storm measures it.
//   - lost rotation: a rotation whose new token is neither the database's token for that grant
//     nor the old side of a later rotation (so nobody holds it): must be 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { OwnerClient } from '../../../src/main/core/owner/socket-client.js';
import { ownerSocketPath } from '../../../src/main/core/owner/socket-path.js';
import { REFRESH_LOCK_CLASS } from '../../../src/main/core/team/schema.js';
import { unsealSecrets } from '../../../src/main/core/team/team-key.js';
import type { ProviderId } from '../../../src/shared/domain.js';
import { tokenHash } from '../../../src/simulators/harness.js';
import { startSimulator, type Simulator } from '../../../src/simulators/index.js';
import { startPostgres, type PostgresCluster } from '../../helpers/postgres.js';
import { call, openTestOwner, tempDir, TEST_PASSPHRASE } from '../../helpers/temp-owner.js';
import { stats, type Stats } from './stats.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PROVIDERS: ProviderId[] = ['ups', 'oauth2'];

export type TeamScenario = 'plain' | 'kills' | 'db-restart';

export interface TeamStormOptions {
  scenario: TeamScenario;
  members: number;
  accounts: number;
  durationMs: number;
  kills?: number;
  accessTtlSec?: number;
  /** The members run the built CLI (default) or src/cli/main.ts through tsx. */
  daemonFrom?: 'built' | 'source';
  /** db-restart: how long the database stays down. */
  outageMs?: number;
  log?: (line: string) => void;
}

interface MemberProcess {
  name: string;
  dir: string;
  child?: ChildProcess;
  exited?: Promise<number | null>;
  log: string[];
  /** Unexpected exits (a crash, not our SIGKILL). */
  crashes: string[];
  /** The daemon said it runs (its socket serves), and was not killed since. */
  ready: boolean;
  stopping?: boolean;
  killedAt: number[];
}

export interface TeamStormFigures {
  scenario: TeamScenario;
  members: number;
  accounts: number;
  durationMs: number;
  accessTtlSec: number;
  vendorRefreshCalls: number;
  rotations: number;
  reuseDetections: number;
  tokenCalls: { total: number; valid: number; invalid: number; errors: number; errorSamples: string[]; cli: number; cliValid: number; cliExpiredAfterExit: number };
  refreshesByMember: Record<string, number>;
  /** Vendor answer → durable commit, per rotation (ms). */
  crashWindow: Stats;
  kills: { at: number; member: string; inWindow: number }[];
  bricked: { total: number; spent: number; unsent: number; unexplained: number; unexplainedDetails: string[] };
  lostRotations: number;
  memberCrashes: string[];
  dbRestart?: { stoppedAt: number; startedAt: number; refreshingAgainMs: Record<string, number | null> };
  tokenCallsDuringOutage?: { total: number; valid: number; offlineErrors: number };
}

export async function runTeamStorm(options: TeamStormOptions): Promise<TeamStormFigures> {
  const log = options.log ?? (() => undefined);
  const ttl = options.accessTtlSec ?? 4;
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const cluster = await startPostgres();
    cleanups.push(() => cluster.stop());
    const sims: Simulator[] = [];
    for (const id of PROVIDERS) for (let i = 0; i < 2; i++) sims.push(await startSimulator(id, { accessTtlSec: ttl, reuseDetection: true }));
    cleanups.push(() => Promise.all(sims.map((s) => s.close())));
    const setup = await setUpTeam(cluster, sims, options, cleanups);
    log(`team ready: ${options.members} members, ${options.accounts} accounts`);
    return await storm(cluster, sims, setup, options, ttl, log);
  } finally {
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
  }
}

interface Setup {
  url: string;
  key: Buffer;
  members: MemberProcess[];
  simOf: Map<string, Simulator>;
  nameOf: Map<string, string>;
}

/** Member 1 creates the team and its accounts in-process; the others join with invites. Then every member runs as a daemon. */
async function setUpTeam(cluster: PostgresCluster, sims: Simulator[], options: TeamStormOptions, cleanups: (() => Promise<unknown>)[]): Promise<Setup> {
  const members: MemberProcess[] = [];
  for (let i = 1; i <= options.members; i++) {
    const t = await tempDir(`tokendesk-team-m${i}-`);
    cleanups.push(t.cleanup);
    members.push({ name: `member-${i}`, dir: t.dir, log: [], crashes: [], killedAt: [], ready: false });
  }
  const simOf = new Map<string, Simulator>();
  const nameOf = new Map<string, string>();
  const first = await openTestOwner(members[0]!.dir, { schedule: false });
  let key: Buffer;
  try {
    await call(first, 'team.create', { database: cluster.url, member: members[0]!.name });
    key = Buffer.from(first.team.store!.membership.key, 'base64');
    for (let i = 0; i < options.accounts; i++) {
      const sim = sims[i % sims.length]!;
      const grant = sim.issue();
      const { access_token: _a, ...values } = { ...grant.settings, ...grant.secrets };
      const name = `${sim.providerId}-${i}`;
      const view = await call(first, 'accounts.add', { providerId: sim.providerId, name, baseUrl: sim.providerId === 'oauth2' ? undefined : sim.url, values, team: true });
      simOf.set(view.id, sim);
      nameOf.set(view.id, name);
    }
    for (const m of members.slice(1)) {
      const { code } = await call(first, 'team.invite');
      const other = await openTestOwner(m.dir, { schedule: false });
      try {
        await call(other, 'team.join', { database: cluster.url, invite: code, member: m.name });
      } finally {
        await other.close();
      }
    }
  } finally {
    await first.close();
  }
  const setup = { url: cluster.url, key, members, simOf, nameOf };
  for (const m of members) startMember(m, options.daemonFrom ?? 'built');
  cleanups.push(() => Promise.all(members.map((m) => stopMember(m))));
  return setup;
}

function startMember(m: MemberProcess, from: 'built' | 'source'): void {
  const args = from === 'built' ? [path.join(ROOT, 'out/main/cli.js')] : ['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts')];
  const child = spawn(process.execPath, [...args, 'daemon', '--log-saves'], {
    env: { ...process.env, TOKENDESK_HOME: m.dir, TOKENDESK_PASSPHRASE: TEST_PASSPHRASE },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let partial = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    m.log.push(...lines);
  });
  m.child = child;
  m.ready = false;
  child.stderr!.on('data', () => {
    if (!m.ready && m.log.some((l) => l.startsWith('tokendesk daemon: pid'))) m.ready = true;
  });
  m.exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      m.ready = false;
      // 7: a one-shot `tokendesk token` of this data dir held the owner lock at that moment (it owns the dir for its
      // duration while no daemon runs); the daemon starts again, as a service manager would restart it.
      if (m.child === child && code === 7 && !m.stopping) {
        setTimeout(() => startMember(m, from), 100);
        resolve(code);
        return;
      }
      if (m.child === child && signal !== 'SIGKILL' && signal !== 'SIGTERM' && code !== 0) m.crashes.push(`${m.name} exited ${code ?? signal}`);
      resolve(code);
    }),
  );
}

async function stopMember(m: MemberProcess): Promise<void> {
  m.stopping = true;
  const child = m.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await m.exited;
  clearTimeout(timer);
}

/** A member's socket client, reconnecting when the member was killed and restarted. */
class MemberCaller {
  private client?: OwnerClient;
  constructor(private readonly m: MemberProcess) {}
  async call<T>(method: 'accounts.token', params: unknown): Promise<T> {
    if (!this.client) this.client = await OwnerClient.connect(ownerSocketPath(this.m.dir), 1_000);
    const client = this.client;
    try {
      return (await client.call(method, params)) as T;
    } catch (err) {
      if ((err as Error).message.includes('onnection')) {
        client.close();
        if (this.client === client) this.client = undefined;
      }
      throw err;
    }
  }
  close(): void {
    this.client?.close();
  }
}

interface TokenTally {
  total: number;
  valid: number;
  invalid: number;
  errors: number;
  errorSamples: string[];
  cli: number;
  cliValid: number;
  cliExpiredAfterExit: number;
  outage?: { total: number; valid: number; offlineErrors: number };
}

async function storm(cluster: PostgresCluster, sims: Simulator[], setup: Setup, options: TeamStormOptions, ttl: number, log: (l: string) => void): Promise<TeamStormFigures> {
  const { members, simOf } = setup;
  const ids = [...simOf.keys()];
  const tally: TokenTally = { total: 0, valid: 0, invalid: 0, errors: 0, errorSamples: [], cli: 0, cliValid: 0, cliExpiredAfterExit: 0 };
  let stopping = false;
  let outage = false;
  const callers = members.map((m) => new MemberCaller(m));
  const loops = callers.flatMap((caller, i) => [0, 1].map(() => tokenLoop(caller, members[i]!, ids, simOf, tally, () => stopping, () => outage)));
  const cliLoops = members.map((m) => cliTokenLoop(m, ids, setup, tally, () => stopping, options.daemonFrom ?? 'built'));
  const kills: TeamStormFigures['kills'] = [];
  const t0 = Date.now();
  let dbRestart: TeamStormFigures['dbRestart'];
  const db = new pg.Client({ connectionString: setup.url });
  db.on('error', () => undefined);
  await db.connect();
  try {
    if (options.scenario === 'kills') await killLoop(db, members, options, kills, t0, log);
    else if (options.scenario === 'db-restart') dbRestart = await restartDatabase(cluster, options, t0, (v) => (outage = v), log);
    const left = options.durationMs - (Date.now() - t0);
    if (left > 0) await new Promise((r) => setTimeout(r, left));
  } finally {
    stopping = true;
    await Promise.all([...loops, ...cliLoops]);
    callers.forEach((c) => c.close());
    await Promise.all(members.map((m) => stopMember(m)));
    await db.end().catch(() => undefined);
  }
  if (dbRestart) dbRestart.refreshingAgainMs = refreshingAgain(members, dbRestart.startedAt);
  if (process.env['TEAM_STORM_LOGS']) {
    // Secret-free: the daemon logs carry sha256 prefixes of refresh tokens, never a token.
    await mkdir(process.env['TEAM_STORM_LOGS'], { recursive: true });
    for (const m of members) await writeFile(path.join(process.env['TEAM_STORM_LOGS'], `${m.name}.log`), m.log.join('\n'));
    const presented = sims.flatMap((sim) =>
      sim.requests
        .filter((r) => r.method === 'POST' && new URLSearchParams(r.bodyText).get('grant_type') === 'refresh_token')
        .map((r) => `${new Date(r.at).toISOString()} ${sim.providerId} presented ${tokenHash(new URLSearchParams(r.bodyText).get('refresh_token') ?? '')}`),
    );
    const rotated = sims.flatMap((sim) => sim.rotations.map((r) => `${new Date(r.at).toISOString()} ${sim.providerId} rotated ${r.oldTokenHash} -> ${r.newTokenHash}`));
    await writeFile(path.join(process.env['TEAM_STORM_LOGS'], 'vendor.log'), [...presented, ...rotated].sort().join('\n'));
  }
  return await figuresOf(setup, sims, options, ttl, tally, kills, dbRestart);
}

async function tokenLoop(
  caller: MemberCaller,
  m: MemberProcess,
  ids: string[],
  simOf: Map<string, Simulator>,
  tally: TokenTally,
  stopping: () => boolean,
  inOutage: () => boolean,
): Promise<void> {
  while (!stopping()) {
    const id = ids[Math.floor(Math.random() * ids.length)]!;
    const during = inOutage();
    if (during) tally.outage ??= { total: 0, valid: 0, offlineErrors: 0 };
    try {
      const result = await caller.call<{ accessToken: string }>('accounts.token', { account: id, minValidSeconds: 1 });
      const valid = simOf.get(id)!.isValidAccessToken(result.accessToken);
      tally.total++;
      if (valid) tally.valid++;
      else tally.invalid++;
      if (during) {
        tally.outage!.total++;
        if (valid) tally.outage!.valid++;
      }
    } catch (err) {
      const message = (err as Error).message;
      // A killed member's socket is gone until it restarts: that is no answer, not a wrong one.
      if (/ENOENT|ECONNREFUSED|onnection|Timed out connecting/.test(message) || m.child?.exitCode !== null) {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      tally.total++;
      tally.errors++;
      if (during && /offline/i.test(message)) tally.outage!.offlineErrors++;
      if (tally.errorSamples.length < 10) tally.errorSamples.push(message);
    }
  }
}

/** Real `tokendesk token NAME` processes, one member at a time, checked like the socket calls. */
async function cliTokenLoop(m: MemberProcess, ids: string[], setup: Setup, tally: TokenTally, stopping: () => boolean, from: 'built' | 'source'): Promise<void> {
  const args = from === 'built' ? [path.join(ROOT, 'out/main/cli.js')] : ['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts')];
  while (!stopping()) {
    if (!m.ready) {
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    const id = ids[Math.floor(Math.random() * ids.length)]!;
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, [...args, 'token', setup.nameOf.get(id)!, '--min-valid', '1', '--json'], {
        env: { ...process.env, TOKENDESK_HOME: m.dir, TOKENDESK_PASSPHRASE: TEST_PASSPHRASE },
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d));
      child.on('close', (c) => resolve({ code: c, stdout: out }));
    });
    if (m.child?.exitCode !== null || m.child?.signalCode !== null) continue;
    if (code === 0) {
      tally.cli++;
      const result = JSON.parse(stdout) as { accessToken: string; expiresAt?: number };
      if (setup.simOf.get(id)!.isValidAccessToken(result.accessToken)) tally.cliValid++;
      // Valid when printed, expired by the time this process saw the child exit (a slow exit on a busy machine).
      else if (result.expiresAt !== undefined && result.expiresAt <= Date.now()) tally.cliExpiredAfterExit++;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** SIGKILL the member holding the most refresh locks right now, note its intents (the refreshes caught in the window), restart it. */
async function killLoop(db: pg.Client, members: MemberProcess[], options: TeamStormOptions, kills: TeamStormFigures['kills'], t0: number, log: (l: string) => void): Promise<void> {
  const count = options.kills ?? 10;
  const every = (options.durationMs * 0.8) / count;
  for (let k = 0; k < count; k++) {
    await new Promise((r) => setTimeout(r, Math.max(0, t0 + (k + 0.5) * every - Date.now())));
    let holder: string | undefined;
    for (let tries = 0; tries < 2000 && !holder; tries++) {
      const { rows } = await db.query<{ name: string }>(
        `SELECT m.name FROM pg_locks l JOIN pg_stat_activity p ON p.pid = l.pid JOIN td_members m ON p.application_name = 'td:' || m.session
         WHERE l.locktype = 'advisory' AND l.classid = $1 AND l.granted GROUP BY m.name ORDER BY count(*) DESC LIMIT 1`,
        [REFRESH_LOCK_CLASS],
      );
      holder = rows[0]?.name;
    }
    const m = members.find((x) => x.name === holder) ?? members[k % members.length]!;
    m.ready = false;
    m.child?.kill('SIGKILL');
    const at = Date.now();
    m.killedAt.push(at);
    await m.exited;
    const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM td_secrets s JOIN td_members m ON m.id = s.intent_member WHERE m.name = $1', [m.name]);
    kills.push({ at: at - t0, member: m.name, inWindow: Number(rows[0]?.n ?? 0) });
    log(`kill ${k + 1}: ${m.name}${holder ? ' (holding locks)' : ''}, ${rows[0]?.n ?? 0} refresh(es) in the window`);
    startMember(m, options.daemonFrom ?? 'built');
  }
}

async function restartDatabase(cluster: PostgresCluster, options: TeamStormOptions, t0: number, setOutage: (v: boolean) => void, log: (l: string) => void) {
  await new Promise((r) => setTimeout(r, Math.max(0, options.durationMs / 4 - (Date.now() - t0))));
  const stoppedAt = Date.now();
  setOutage(true);
  await cluster.stopServer('immediate');
  log('database stopped (-m immediate)');
  await new Promise((r) => setTimeout(r, Math.max(0, (options.outageMs ?? 10_000) - (Date.now() - stoppedAt))));
  await cluster.start();
  setOutage(false);
  const startedAt = Date.now();
  log(`database started after ${startedAt - stoppedAt} ms`);
  return { stoppedAt, startedAt, refreshingAgainMs: {} as Record<string, number | null> };
}

/** Per member: the first durable save after the database came back, in ms after its start. */
function refreshingAgain(members: MemberProcess[], startedAt: number): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const m of members) {
    const firstSave = m.log
      .filter((l) => l.startsWith('saved '))
      .map((l) => Date.parse(l.split(' ')[1]!))
      .find((at) => at >= startedAt);
    out[m.name] = firstSave === undefined ? null : firstSave - startedAt;
  }
  return out;
}

/** Every refresh token presented to a simulator (form bodies), by fingerprint. */
function presentations(sims: Simulator[]): Map<string, number> {
  const seen = new Map<string, number>();
  for (const sim of sims) {
    for (const req of sim.requests) {
      if (req.method !== 'POST') continue;
      const form = new URLSearchParams(req.bodyText);
      if (form.get('grant_type') !== 'refresh_token') continue;
      const token = form.get('refresh_token');
      if (token) seen.set(tokenHash(token), (seen.get(tokenHash(token)) ?? 0) + 1);
    }
  }
  return seen;
}

async function figuresOf(
  setup: Setup,
  sims: Simulator[],
  options: TeamStormOptions,
  ttl: number,
  tally: TokenTally,
  kills: TeamStormFigures['kills'],
  dbRestart: TeamStormFigures['dbRestart'],
): Promise<TeamStormFigures> {
  const presented = presentations(sims);
  const calls = [...presented.values()].reduce((a, b) => a + b, 0);
  const reuse = [...presented.values()].reduce((a, n) => a + Math.max(0, n - 1), 0);
  const rotations = sims.flatMap((s) => s.rotations);
  const rotatedFrom = new Set(rotations.map((r) => r.oldTokenHash));

  const db = new pg.Client({ connectionString: setup.url });
  await db.connect();
  const { rows } = await db.query<{ id: string; sealed: string; status: string; message: string | null }>(
    `SELECT a.id, s.sealed, a.record->>'status' AS status, a.record->>'statusMessage' AS message FROM td_accounts a JOIN td_secrets s ON s.account_id = a.id`,
  );
  await db.end();
  const bricked = { total: 0, spent: 0, unsent: 0, unexplained: 0, unexplainedDetails: [] as string[] };
  const stored = new Set<string>();
  const spentTokens: string[] = [];
  for (const row of rows) {
    const rt = unsealSecrets(setup.key, row.id, row.sealed)['refresh_token'] ?? '';
    stored.add(tokenHash(rt));
    const sim = setup.simOf.get(row.id)!;
    const refused = !sim.isValidRefreshToken(rt);
    if (!refused && row.status !== 'reauth_required') continue;
    bricked.total++;
    if (row.status === 'reauth_required' && /stopped between the vendor's answer and saving it/.test(row.message ?? '') && kills.length) {
      if (rotatedFrom.has(tokenHash(rt))) {
        bricked.spent++;
        spentTokens.push(tokenHash(rt));
      } else bricked.unsent++;
    } else {
      bricked.unexplained++;
      bricked.unexplainedDetails.push(`${setup.nameOf.get(row.id)}: status ${row.status}, stored token ${refused ? 'refused' : 'valid'}${row.message ? ` (${row.message})` : ''}`);
    }
  }
  // A rotation is lost when its new token is neither stored nor the old side of a later rotation —
  // unless it is the rotation of a `spent` account, counted there (killed between vendor and commit).
  const spentFrom = new Set(spentTokens);
  const lostRotations = rotations.filter((r) => !stored.has(r.newTokenHash) && !rotatedFrom.has(r.newTokenHash) && !spentFrom.has(r.oldTokenHash)).length;

  const windows: number[] = [];
  const refreshesByMember: Record<string, number> = {};
  for (const m of setup.members) {
    const saves = m.log.filter((l) => l.startsWith('saved ') && l.includes('rotated=yes'));
    refreshesByMember[m.name] = saves.length;
    for (const line of saves) {
      const since = /since_response_ms=([\d.]+)/.exec(line)?.[1];
      if (since) windows.push(Number(since));
    }
  }
  return {
    scenario: options.scenario,
    members: options.members,
    accounts: options.accounts,
    durationMs: options.durationMs,
    accessTtlSec: ttl,
    vendorRefreshCalls: calls,
    rotations: rotations.length,
    reuseDetections: reuse,
    tokenCalls: { total: tally.total, valid: tally.valid, invalid: tally.invalid, errors: tally.errors, errorSamples: tally.errorSamples, cli: tally.cli, cliValid: tally.cliValid, cliExpiredAfterExit: tally.cliExpiredAfterExit },
    refreshesByMember,
    crashWindow: stats(windows),
    kills,
    bricked,
    lostRotations,
    memberCrashes: setup.members.flatMap((m) => m.crashes),
    ...(dbRestart ? { dbRestart } : {}),
    ...(tally.outage ? { tokenCallsDuringOutage: tally.outage } : {}),
  };
}

export function describeTeamFigures(f: TeamStormFigures): string[] {
  const lines = [
    `team storm (${f.scenario}): ${f.members} members × ${f.accounts} accounts, ${f.accessTtlSec}-s tokens, ${Math.round(f.durationMs / 1000)} s`,
    `  vendor refresh calls ${f.vendorRefreshCalls}, rotations ${f.rotations}, reuse detections ${f.reuseDetections}, lost rotations ${f.lostRotations}`,
    `  refreshes by member: ${Object.entries(f.refreshesByMember).map(([m, n]) => `${m} ${n}`).join(', ')}`,
    `  token calls ${f.tokenCalls.total}: valid ${f.tokenCalls.valid}, invalid ${f.tokenCalls.invalid}, errors ${f.tokenCalls.errors}; CLI \`token\` ${f.tokenCalls.cli} (valid ${f.tokenCalls.cliValid}, expired by the time its process had exited ${f.tokenCalls.cliExpiredAfterExit})`,
    `  crash window (vendor answer → commit, ms): p50 ${f.crashWindow.p50.toFixed(1)}, p99 ${f.crashWindow.p99.toFixed(1)}, max ${f.crashWindow.max.toFixed(1)} over ${f.crashWindow.count}`,
    `  bricked ${f.bricked.total}: spent (killed after the vendor rotated, before the commit) ${f.bricked.spent}, unsent (killed before the vendor answered) ${f.bricked.unsent}, unexplained ${f.bricked.unexplained}`,
  ];
  if (f.kills.length) lines.push(`  kills: ${f.kills.map((k) => `${(k.at / 1000).toFixed(1)} s ${k.member} (${k.inWindow} in window)`).join('; ')}`);
  if (f.dbRestart) {
    lines.push(`  database down ${f.dbRestart.startedAt - f.dbRestart.stoppedAt} ms; refreshing again after: ${Object.entries(f.dbRestart.refreshingAgainMs).map(([m, ms]) => `${m} ${ms ?? '—'} ms`).join(', ')}`);
  }
  if (f.tokenCallsDuringOutage) lines.push(`  token calls during the outage ${f.tokenCallsDuringOutage.total}: valid ${f.tokenCallsDuringOutage.valid}; "team store offline" refusals ${f.tokenCallsDuringOutage.offlineErrors}`);
  if (f.memberCrashes.length) lines.push(`  MEMBER CRASHES: ${f.memberCrashes.join('; ')}`);
  return lines;
}

export async function writeTeamFigures(figures: TeamStormFigures[]): Promise<string> {
  const dir = path.join(ROOT, 'test-results', 'reliability');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'team-vault.json');
  await writeFile(file, `${JSON.stringify({ at: new Date().toISOString(), performance: performance.now(), figures }, null, 2)}\n`);
  return file;
}
