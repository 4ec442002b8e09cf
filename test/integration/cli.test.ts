// The built `tokendesk` CLI as a user runs it: real processes, real files, real
// simulators on 127.0.0.1. Needs `npm run build` first (scripts/test-all.sh does it).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PassphraseWrapper } from '../../src/main/core/vault/key-wrappers.js';
import { openVault } from '../../src/main/core/vault/vault.js';
import { tokenHash } from '../../src/simulators/harness.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulators/index.js';
import { PROVIDER_IDS, type ProviderId } from '../../src/shared/domain.js';
import { addCliAccount as addAccount, CLI_PASSPHRASE as PASSPHRASE, cliEnv as env, runCli as run } from '../helpers/cli-process.js';
import { tempDir, waitFor } from '../helpers/temp-owner.js';

const CLI = path.resolve('bin/tokendesk.js');

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

beforeAll(() => {
  if (!existsSync('out/main/cli.js')) throw new Error('out/main/cli.js is missing: run `npm run build` before these tests');
});

function startDaemon(dataDir: string): { child: ChildProcess; log: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, 'daemon'], { env: env(dataDir), stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  return { child, log: () => log, exited };
}

async function sim(id: ProviderId, options: SimulatorOptions = {}): Promise<Simulator> {
  const s = await startSimulator(id, options);
  cleanups.push(() => s.close());
  return s;
}

async function dataDir(): Promise<string> {
  const t = await tempDir('tokendesk-cli-');
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('tokendesk CLI', () => {
  it('providers [--json], --help and --version need no vault key and leave an empty data dir empty', async () => {
    const dir = await dataDir();
    // No passphrase, no Secret Service, no terminal: any command that needed the vault would exit 6.
    const keyless = { TOKENDESK_PASSPHRASE: undefined, DBUS_SESSION_BUS_ADDRESS: undefined };
    const listed = await run(dir, ['providers', '--json'], { env: keyless });
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    expect((JSON.parse(listed.stdout) as { id: string }[]).map((p) => p.id).sort()).toEqual([...PROVIDER_IDS].sort());
    const table = await run(dir, ['providers'], { env: keyless });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ups — UPS/m);
    for (const args of [['--help'], ['--version'], ['providers', '--help']]) {
      const r = await run(dir, args, { env: keyless });
      expect({ args, code: r.code }).toEqual({ args, code: 0 });
      expect(r.stdout.length).toBeGreaterThan(0);
    }
    expect(readdirSync(dir)).toEqual([]);
    // A command that does need the vault still says so.
    expect((await run(dir, ['list'], { env: keyless })).code).toBe(6);
  });

  it('add (secrets from stdin), list, token, --header, --curl, history, revoke, remove — with --json shapes', async () => {
    const dir = await dataDir();
    const s = await sim('teamup');
    const added = await addAccount(dir, s, 'team');
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout.trim()).toMatch(/^[0-9a-f-]{36}$/);

    const token = await run(dir, ['token', 'team']);
    expect(token.code).toBe(0);
    expect(s.isValidAccessToken(token.stdout.trim())).toBe(true);
    const header = await run(dir, ['token', 'team', '--header', '--scheme', 'Token']);
    expect(header.stdout).toBe(`Authorization: Token ${token.stdout.trim()}\n`);
    const curl = await run(dir, ['token', 'team', '--curl', 'https://goteamup.com/api/v2/customers']);
    expect(curl.stdout).toContain(`-H 'Authorization: Bearer ${token.stdout.trim()}'`);
    expect(curl.stdout).toContain(`-H 'TeamUp-Request-Mode: customer'`);

    const list = JSON.parse((await run(dir, ['list', '--json'])).stdout);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ name: 'team', providerId: 'teamup', status: 'active', hasAccessToken: true, notSaved: false });
    expect(JSON.stringify(list)).not.toContain(token.stdout.trim());
    const table = (await run(dir, ['list'])).stdout;
    expect(table).toMatch(/^NAME\s+PROVIDER\s+STATUS\s+EXPIRES\s+NEXT REFRESH\s+LAST/);
    expect(table).toMatch(/team\s+teamup\s+active\s+in (\d+m|1h)\s/); // about an hour, rounded to one unit

    const history = JSON.parse((await run(dir, ['history', 'team', '--json'])).stdout);
    expect(history).toEqual([
      expect.objectContaining({ action: 'refreshed', actor: 'cli', trigger: 'cli', outcome: 'ok', httpStatus: 200, rotated: true }),
      expect.objectContaining({ action: 'added', actor: 'cli', accountName: 'team', outcome: 'ok' }),
    ]);

    const revoked = await run(dir, ['revoke', 'team']);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(/revoked locally.*TeamUp keeps accepting the current access token until it expires/);
    expect((await run(dir, ['token', 'team'])).code).toBe(4);

    expect((await run(dir, ['remove', 'team'])).code).toBe(0);
    expect(JSON.parse((await run(dir, ['list', '--json'])).stdout)).toEqual([]);

    // Nothing any simulator issued is in the data dir in plaintext.
    for (const f of await readdir(dir)) {
      const bytes = await readFile(path.join(dir, f), 'utf8').catch(() => '');
      expect(bytes, f).not.toContain(token.stdout.trim());
    }
  });

  it('exit codes: 2 bad input, 3 re-auth, 4 provider error, 5 transient, 6 vault locked, 7 conflict', async () => {
    const dir = await dataDir();
    const s = await sim('oauth2');
    expect((await addAccount(dir, s, 'api')).code).toBe(0);

    const usage = await run(dir, ['add', 'pathstack', '--name', 'x', '--set', 'sub=not-a-uuid', '--set', 'refresh_token=abc']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^tokendesk: sub: Subject must be a UUID/);
    // An OAuth 2.0 client that authenticates with its secret is refused without one, before anything is stored.
    const noSecret = await run(dir, ['add', 'oauth2', '--name', 'half', '--set', 'token_url=https://auth.example.com/token', '--set', 'client_id=c']);
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toMatch(/^tokendesk: client_secret: Client secret is required for client authentication client_secret_basic \(choose "none" for a public client\)/);
    expect((await run(dir, ['token', 'nope'])).stderr).toMatch(/No account named or with id "nope"/);
    expect((await run(dir, ['token', 'nope'])).code).toBe(2);
    expect((await run(dir, ['frobnicate'])).code).toBe(2);
    expect((await addAccount(dir, s, 'API')).code).toBe(7); // names are unique, ignoring case

    s.fail({ kind: 'server_error' }, 1);
    const transient = await run(dir, ['refresh', 'api']);
    expect(transient.code).toBe(5);
    expect(transient.stderr).toMatch(/HTTP 500/);

    s.fail({ kind: 'vendor_error', code: 'invalid_client' }, 1);
    expect((await run(dir, ['refresh', 'api'])).code).toBe(4);

    s.fail({ kind: 'vendor_error', code: 'invalid_grant' }, 1);
    const reauth = await run(dir, ['refresh', 'api']);
    expect(reauth.code).toBe(3);
    expect(reauth.stderr).toMatch(/invalid_grant/);
    const after = JSON.parse((await run(dir, ['list', '--json'])).stdout)[0];
    expect(after.status).toBe('reauth_required');

    const before = await snapshot(dir);
    const locked = await run(dir, ['list'], { env: { TOKENDESK_PASSPHRASE: 'wrong passphrase' } });
    expect(locked.code).toBe(6);
    expect(locked.stderr).toMatch(/Wrong passphrase/);
    expect(await snapshot(dir)).toEqual(before);
  });

  it('100 concurrent `token --min-valid 999999` cause exactly one refresh request', async () => {
    const dir = await dataDir();
    const s = await sim('ups');
    expect((await addAccount(dir, s, 'ups-prod')).code).toBe(0);
    expect(s.refreshCount).toBe(0); // no owner ran the scheduler: no token yet
    const results = await Promise.all(Array.from({ length: 100 }, () => run(dir, ['token', 'ups-prod', '--min-valid', '999999'])));
    const failures = results.filter((r) => r.code !== 0);
    expect(failures.map((f) => f.stderr)).toEqual([]);
    expect(new Set(results.map((r) => r.stdout)).size).toBe(1);
    expect(s.refreshCount).toBe(1);
    expect(s.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  }, 120_000);

  it('the daemon refreshes every provider before expiry; `token` never prints an expired token; SIGTERM stops it cleanly', async () => {
    const dir = await dataDir();
    const sims = await Promise.all(PROVIDER_IDS.map((id) => sim(id, { accessTtlSec: 4 })));
    for (const s of sims) expect((await addAccount(dir, s, s.providerId)).code).toBe(0);
    const daemon = startDaemon(dir);
    await waitFor('the daemon socket', () => existsSync(path.join(dir, 'owner.sock')), 10_000);

    const until = Date.now() + 9_000;
    let handed = 0;
    while (Date.now() < until) {
      for (const s of sims) {
        const r = await run(dir, ['token', s.providerId, '--min-valid', '0']);
        expect(r.code, r.stderr).toBe(0);
        expect(s.isValidAccessToken(r.stdout.trim()), `${s.providerId} handed an invalid token`).toBe(true);
        handed++;
      }
    }
    expect(handed).toBeGreaterThan(12);
    for (const s of sims) expect(s.refreshCount, s.providerId).toBeGreaterThanOrEqual(3);

    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
    expect(daemon.log()).toMatch(/stopped/);
    expect(existsSync(path.join(dir, 'owner.lock'))).toBe(false);
    expect(existsSync(path.join(dir, 'owner.sock'))).toBe(false);
  }, 60_000);

  it('a SIGKILLed daemon, restarted, resumes its schedule from disk and loses nothing', async () => {
    const dir = await dataDir();
    const sims = await Promise.all((['ups', 'pathstack', 'teamup', 'vaultist', 'oauth2'] as const).map((id) => sim(id, { accessTtlSec: 3 })));
    for (const s of sims) expect((await addAccount(dir, s, s.providerId)).code).toBe(0);
    const ids = Object.fromEntries((JSON.parse((await run(dir, ['list', '--json'])).stdout) as { id: string; providerId: string }[]).map((a) => [a.providerId, a.id]));
    let historyRows = 0;
    const bricked = new Set<string>();
    for (let round = 0; round < 3; round++) {
      const daemon = startDaemon(dir);
      await waitFor('the daemon socket', () => existsSync(path.join(dir, 'owner.sock')), 10_000);
      await new Promise((r) => setTimeout(r, 2_500 + Math.random() * 1_500));
      const killedAt = Date.now();
      daemon.child.kill('SIGKILL');
      await daemon.exited;
      // Every stored refresh token is one its vendor accepts — or the kill landed in the
      // unavoidable window between the vendor's rotation and our durable save: then the
      // token we hold is the one that rotation retired, moments before the kill.
      const vault = await openVault({ dir, wrapper: new PassphraseWrapper(PASSPHRASE) });
      for (const s of sims) {
        if (bricked.has(s.providerId)) continue;
        const stored = (await vault.getPassword(ids[s.providerId]!, 'refresh_token'))!;
        if (s.isValidRefreshToken(stored)) continue;
        const last = s.rotations.at(-1);
        expect(last?.oldTokenHash, `${s.providerId}: the stored refresh token is invalid and no rotation explains it`).toBe(tokenHash(stored));
        expect(killedAt - last!.at, `${s.providerId}: rotated ${killedAt - last!.at} ms before the kill`).toBeLessThan(2_000);
        bricked.add(s.providerId);
      }
      vault.close();
      const history = JSON.parse((await run(dir, ['history', '--json', '--limit', '10000'])).stdout) as unknown[];
      expect(history.length).toBeGreaterThanOrEqual(historyRows); // no row lost
      historyRows = history.length;
    }
    // Restarted: every account that was not caught in a rotation window refreshes and hands out valid tokens.
    const daemon = startDaemon(dir);
    await waitFor('the daemon socket', () => existsSync(path.join(dir, 'owner.sock')), 10_000);
    for (const s of sims.filter((x) => !bricked.has(x.providerId))) {
      const r = await run(dir, ['refresh', s.providerId]);
      expect(r.code, `${s.providerId}: ${r.stderr}`).toBe(0);
      const tok = await run(dir, ['token', s.providerId]);
      expect(s.isValidAccessToken(tok.stdout.trim()), s.providerId).toBe(true);
    }
    expect(bricked.size, `caught in the rotation window: ${[...bricked].join(', ') || 'none'}`).toBeLessThan(sims.length);
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
  }, 90_000);
});

async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of (await readdir(dir)).sort()) out[f] = await readFile(path.join(dir, f), 'base64').catch(() => '<dir>');
  return out;
}
