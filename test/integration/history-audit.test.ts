// The history as an audit log, over a real owner, real files and real simulators: every
// action is recorded with who asked (as the transport knows it) and how it ended; a removed
// account's rows stay, with its name; the built CLI exports them as CSV and JSON.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/main/core/contract.js';
import { localClient } from '../../src/main/core/owner/local-client.js';
import type { Owner } from '../../src/main/core/owner/owner.js';
import { HistoryLog } from '../../src/main/core/storage/history-log.js';
import type { CallName, CallOutput } from '../../src/shared/contract.js';
import type { RefreshEvent } from '../../src/shared/domain.js';
import { HISTORY_CSV_COLUMNS } from '../../src/shared/history-export.js';
import { startSimulator, type Simulator } from '../../src/simulators/index.js';
import { openTestOwner, tempDir, TEST_PASSPHRASE, waitFor } from '../helpers/temp-owner.js';
import { runCli, type CliResult } from '../helpers/cli-process.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function sim(id: 'ups' | 'oauth2' | 'teamup'): Promise<Simulator> {
  const s = await startSimulator(id);
  cleanups.push(() => s.close());
  return s;
}

async function dataDir(): Promise<string> {
  const t = await tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

async function owner(options: Parameters<typeof openTestOwner>[1] = {}): Promise<Owner> {
  const o = await openTestOwner(await dataDir(), options);
  cleanups.push(() => o.close());
  return o;
}

/** A call as the given transport's caller makes it. */
function as(o: Owner, actor: Caller['actor']) {
  const client = localClient(o.router, { actor });
  return <N extends CallName>(method: N, params: unknown = {}): Promise<CallOutput<N>> => client.call(method, params);
}

function grantValues(s: Simulator): Record<string, string> {
  const grant = s.issue();
  const { access_token: _a, ...values } = { ...grant.settings, ...grant.secrets };
  return values;
}

const summary = (rows: readonly RefreshEvent[]) => rows.map((e) => `${e.action}/${e.actor}/${e.outcome}${e.errorClass ? `:${e.errorClass}` : ''}`);

describe('history as an audit log (owner)', () => {
  it('records add, edit, pause, resume, refresh, revoke, remove with their actor and outcome; the removed account keeps its rows and name', async () => {
    const s = await sim('ups');
    const o = await owner({ schedule: false });
    const dashboard = as(o, 'dashboard');
    const tray = as(o, 'tray');
    const cli = as(o, 'cli');
    const added = await dashboard('accounts.add', { providerId: 'ups', name: 'Shipping', baseUrl: s.url, values: grantValues(s) });
    await dashboard('accounts.update', { account: added.id, name: 'Shipping EU', refreshEveryMs: 600_000 });
    await tray('accounts.setPaused', { account: added.id, paused: true });
    await tray('accounts.setPaused', { account: added.id, paused: false });
    await cli('accounts.refresh', { account: added.id, trigger: 'cli' });
    s.fail({ kind: 'rate_limit', retryAfterSec: 30 });
    await dashboard('accounts.refresh', { account: added.id });
    await cli('accounts.revoke', { account: added.id });
    await dashboard('accounts.remove', { account: added.id });

    const rows = (await dashboard('history.list', {})).filter((e) => e.accountId === added.id);
    expect(summary(rows)).toEqual([
      'removed/dashboard/ok',
      'revoked/cli/ok',
      'refreshed/dashboard/error:rate_limited',
      'refreshed/cli/ok',
      'resumed/tray/ok',
      'paused/tray/ok',
      'edited/dashboard/ok',
      'added/dashboard/ok',
    ]);
    expect(rows.map((e) => e.accountName)).toEqual([...Array(7).fill('Shipping EU'), 'Shipping']);
    expect(rows.find((e) => e.action === 'edited')?.message).toBe('Changed name (was "Shipping"), refresh every');
    expect(rows.find((e) => e.action === 'refreshed' && e.outcome === 'error')).toMatchObject({ httpStatus: 429, trigger: 'manual' });
    for (const e of rows) expect(e.at).toBeGreaterThan(0);

    // Outcome classes filter on the owner.
    expect(summary(await dashboard('history.list', { outcome: 'rate_limited' }))).toEqual(['refreshed/dashboard/error:rate_limited']);
    expect((await dashboard('history.list', { outcome: 'ok' })).length).toBe(7);
    expect(summary(await dashboard('history.list', { actions: ['paused', 'resumed'] }))).toEqual(['resumed/tray/ok', 'paused/tray/ok']);

    // The rows are on disk, not only in memory, and hold no secret.
    const log = await HistoryLog.open({ dir: o.dataDir });
    expect(summary(log.list({ accountId: added.id }))).toEqual(summary(rows));
    const secretsSeen = JSON.stringify(log.list());
    for (const v of Object.values(s.issue().secrets)) expect(secretsSeen).not.toContain(v);
  });

  it('a refused request records nothing; a scheduled refresh is recorded with the owner itself as actor', async () => {
    const s = await sim('ups');
    const o = await owner({ actor: 'app' });
    const dashboard = as(o, 'dashboard');
    const added = await dashboard('accounts.add', { providerId: 'ups', name: 'Alpha', baseUrl: s.url, values: grantValues(s) });
    // The account has no access token yet: the app's scheduler refreshes it at once.
    await waitFor('the scheduled first refresh', async () => (await dashboard('history.list', { actions: ['refreshed'] })).length === 1);
    await expect(dashboard('accounts.add', { providerId: 'ups', name: 'alpha', baseUrl: s.url, values: grantValues(s) })).rejects.toMatchObject({ code: 'conflict' });
    await expect(dashboard('accounts.remove', { account: 'nobody' })).rejects.toMatchObject({ code: 'not_found' });
    const rows = await dashboard('history.list', {});
    expect(summary(rows)).toEqual(['refreshed/app/ok', 'added/dashboard/ok']);
    expect(rows[0]).toMatchObject({ accountId: added.id, accountName: 'Alpha', trigger: expect.stringMatching(/^(scheduled|startup)$/) });
  });

  it('a sign-in is recorded with who started it: declined before any tokens (by the sign-in), approved (by the engine)', async () => {
    const s = await startSimulator('oauth2', { deviceIntervalSec: 0 });
    cleanups.push(() => s.close());
    const o = await owner({ schedule: false });
    const client = s.clientCredentials();
    const values = { issuer: s.url, client_id: client.clientId, client_secret: client.clientSecret };
    const added = await as(o, 'cli')('accounts.add', { providerId: 'oauth2', name: 'Device', values });
    const dashboard = as(o, 'dashboard');
    const declined = await dashboard('signin.start', { account: 'Device', method: 'device' });
    if (declined.method !== 'device') throw new Error('expected a device sign-in');
    s.denyDevice(declined.userCode);
    await expect(dashboard('signin.wait', { sessionId: declined.sessionId })).rejects.toMatchObject({ code: 'reauth_required' });
    const approved = await as(o, 'cli')('signin.start', { account: 'Device', method: 'device' });
    if (approved.method !== 'device') throw new Error('expected a device sign-in');
    s.approveDevice(approved.userCode);
    await as(o, 'cli')('signin.wait', { sessionId: approved.sessionId });
    const rows = await dashboard('history.list', { account: added.id });
    expect(summary(rows)).toEqual(['signed_in/cli/ok', 'signed_in/dashboard/error:reauth_required', 'added/cli/ok']);
    expect(rows[1]).toMatchObject({ trigger: 'sign_in', accountName: 'Device', message: 'Sign-in was declined on the other device' });
  });

  it('pause all and resume all record one row per account; every new row is pushed as history-appended', async () => {
    const s = await sim('ups');
    const o = await owner({ schedule: false });
    const pushed: RefreshEvent[] = [];
    o.engine.on('history-appended', (e) => pushed.push(e));
    const tray = as(o, 'tray');
    for (const name of ['One', 'Two']) await as(o, 'cli')('accounts.add', { providerId: 'ups', name, baseUrl: s.url, values: grantValues(s) });
    await tray('accounts.setPaused', { all: true, paused: true });
    await tray('accounts.setPaused', { all: true, paused: false });
    const rows = await tray('history.list', { actions: ['paused', 'resumed'] });
    expect(rows.map((e) => `${e.action} ${e.accountName} ${e.actor} ${e.message}`).sort()).toEqual([
      'paused One tray Paused all accounts',
      'paused Two tray Paused all accounts',
      'resumed One tray Resumed all accounts',
      'resumed Two tray Resumed all accounts',
    ]);
    expect(pushed.map((e) => e.id).sort()).toEqual((await tray('history.list', {})).map((e) => e.id).sort());
  });
});

// ── the built CLI ───────────────────────────────────────────────────────────

const CLI = path.resolve('bin/tokendesk.js');

beforeAll(() => {
  if (!existsSync('out/main/cli.js')) throw new Error('out/main/cli.js is missing: run `npm run build` before these tests');
});

function run(dir: string, args: string[], stdin = ''): Promise<CliResult> {
  return runCli(dir, args, { stdin, env: { TOKENDESK_PASSPHRASE: TEST_PASSPHRASE } });
}

async function cliAdd(dir: string, s: Simulator, name: string) {
  const grant = s.issue();
  const { access_token: _a, ...secrets } = grant.secrets;
  const args = ['add', s.providerId, '--name', name, '--base-url', s.url];
  for (const [k, v] of Object.entries(grant.settings)) args.push('--set', `${k}=${v}`);
  for (const k of Object.keys(secrets)) args.push('--set', `${k}=-`);
  const r = await run(dir, args, Object.values(secrets).join('\n') + '\n');
  expect(r.stderr).toBe('');
  return r;
}

/** RFC 4180 reader, enough for the test: quoted fields with doubled quotes, commas and line breaks inside. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      endField();
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      endField();
      rows.push(row);
      row = [];
      i++;
    } else {
      field += c;
    }
  }
  return rows;
}

describe('tokendesk history (CLI)', () => {
  it('records each CLI action with actor cli and exports --format json and csv (RFC 4180); a removed account keeps its rows', async () => {
    const dir = await dataDir();
    const s = await sim('teamup');
    const name = 'Team, "North"';
    await cliAdd(dir, s, name);
    for (const args of [['refresh', name], ['pause', name], ['resume', name], ['revoke', name], ['remove', name]]) {
      const r = await run(dir, args);
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: '' });
    }
    const json = await run(dir, ['history', '--format', 'json']);
    const rows = JSON.parse(json.stdout) as RefreshEvent[];
    expect(rows.map((e) => `${e.action}/${e.actor}/${e.outcome}`)).toEqual(['removed/cli/ok', 'revoked/cli/ok', 'resumed/cli/ok', 'paused/cli/ok', 'refreshed/cli/ok', 'added/cli/ok']);
    expect(new Set(rows.map((e) => e.accountName))).toEqual(new Set([name]));
    expect((await run(dir, ['history', '--json'])).stdout).toBe(json.stdout);
    // The removed account is still found by the name its rows keep.
    expect(JSON.parse((await run(dir, ['history', name.toUpperCase(), '--json'])).stdout)).toEqual(rows);
    expect((await run(dir, ['history', 'never-existed'])).code).toBe(2);

    const csv = await run(dir, ['history', '--format', 'csv', '--action', 'added', 'removed']);
    expect(csv.stdout).toContain('"Team, ""North"""');
    const [header, ...lines] = parseCsv(csv.stdout);
    expect(header).toEqual([...HISTORY_CSV_COLUMNS]);
    expect(lines.map((l) => [l[1], l[3], l[4], l[6]])).toEqual([
      [name, 'removed', 'cli', 'ok'],
      [name, 'added', 'cli', 'ok'],
    ]);
    expect(lines[0]![0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const table = (await run(dir, ['history', '--limit', '2'])).stdout;
    expect(table).toMatch(/^TIME\s+ACCOUNT\s+ACTION\s+BY\s+TRIGGER\s+OUTCOME/);
    expect(table).toMatch(/Team, "North"\s+removed\s+cli/);
    const bad = await run(dir, ['history', '--format', 'xml']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/xml.*(table|csv|json)/s);
  });

  it('with a daemon running: the CLI is its socket client (actor cli), the daemon refreshes as itself (actor daemon)', async () => {
    const dir = await dataDir();
    const s = await sim('ups');
    const daemon = spawn(process.execPath, [CLI, 'daemon'], { env: { ...process.env, TOKENDESK_HOME: dir, TOKENDESK_PASSPHRASE: TEST_PASSPHRASE }, stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise((resolve) => daemon.on('exit', resolve));
    cleanups.push(async () => {
      daemon.kill('SIGTERM');
      await exited;
    });
    await waitFor('the daemon', () => existsSync(path.join(dir, 'owner.lock')), 15_000);
    await cliAdd(dir, s, 'Parcel');
    // Added without an access token: the daemon's scheduler refreshes it at once.
    const rows = await waitFor('the daemon refresh', async () => {
      const list = JSON.parse((await run(dir, ['history', '--json'])).stdout) as RefreshEvent[];
      return list.some((e) => e.action === 'refreshed') && list;
    }, 15_000);
    expect(rows.map((e) => `${e.action}/${e.actor}`)).toEqual(['refreshed/daemon', 'added/cli']);
  });
});
