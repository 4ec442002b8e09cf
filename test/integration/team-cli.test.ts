// The `tokendesk team` commands as a user runs them (the BUILT CLI, real processes) against a real
// PostgreSQL cluster: create, invite, join, add --team, share, status, leave. The database URL and
// its password go to the vault, never to accounts.json.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TeamStatus } from '../../src/shared/contract.js';
import { startSimulator, type Simulator } from '../../src/simulators/index.js';
import { postgresAvailable, startPostgres, type PostgresCluster } from '../helpers/postgres.js';
import { tempDir, TEST_PASSPHRASE } from '../helpers/temp-owner.js';

const CLI = path.resolve('bin/tokendesk.js');
let cluster: PostgresCluster;
const cleanups: (() => Promise<unknown>)[] = [];

function run(dataDir: string, args: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, TOKENDESK_HOME: dataDir, TOKENDESK_PASSPHRASE: TEST_PASSPHRASE, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

async function dir(): Promise<string> {
  const t = await tempDir('tokendesk-team-cli-');
  cleanups.push(t.cleanup);
  return t.dir;
}

describe.skipIf(!postgresAvailable())('tokendesk team (CLI)', () => {
  beforeAll(async () => {
    if (!existsSync('out/main/cli.js')) throw new Error('out/main/cli.js is missing: run `npm run build` before these tests');
    cluster = await startPostgres();
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  });
  afterEach(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => undefined);
  });

  it('create, invite, join, add --team, share, status, leave', async () => {
    const sim: Simulator = await startSimulator('ups');
    cleanups.push(() => sim.close());
    const alice = await dir();
    const bob = await dir();

    // The URL (with its password) from stdin: it stays out of shell history.
    const created = await run(alice, ['team', 'create', '--db', '-', '--member', 'alice'], { stdin: `${cluster.url}\n` });
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/team \S+ created on 127\.0\.0\.1:\d+\/postgres; you are alice/);

    const invite = await run(alice, ['team', 'invite', '--json']);
    expect(invite.code).toBe(0);
    const { code } = JSON.parse(invite.stdout) as { code: string };
    const joined = await run(bob, ['team', 'join', '--db', cluster.url, '--invite', code, '--member', 'bob']);
    expect(joined.stderr).toBe('');
    expect(joined.stdout).toMatch(/joined team \S+ as bob: 0 team account/);
    // The same code a second time: refused (exit 7, conflict).
    const again = await run(await dir(), ['team', 'join', '--db', cluster.url, '--invite', code]);
    expect(again.code).toBe(7);
    expect(again.stderr).toMatch(/used already/);

    const grant = sim.issue();
    const added = await run(alice, ['add', 'ups', '--name', 'ups-team', '--base-url', sim.url, '--team', '--set', `client_id=${grant.settings['client_id']}`, '--set', 'client_secret=-', '--set', 'refresh_token=-'], {
      stdin: `${grant.secrets['client_secret']}\n${grant.refreshToken}\n`,
    });
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);

    const local = sim.issue();
    await run(bob, ['add', 'ups', '--name', 'ups-local', '--base-url', sim.url, '--set', `client_id=${local.settings['client_id']}`, '--set', 'client_secret=-', '--set', 'refresh_token=-'], {
      stdin: `${local.secrets['client_secret']}\n${local.refreshToken}\n`,
    });
    const shared = await run(bob, ['team', 'share', 'ups-local']);
    expect(shared.stdout).toBe('ups-local is now a team account\n');

    // Bob gets a token of the account Alice added; Alice one of the account Bob shared.
    const tokenB = await run(bob, ['token', 'ups-team']);
    expect(tokenB.code).toBe(0);
    expect(sim.isValidAccessToken(tokenB.stdout.trim())).toBe(true);
    const tokenA = await run(alice, ['token', 'ups-local']);
    expect(sim.isValidAccessToken(tokenA.stdout.trim())).toBe(true);

    const status = JSON.parse((await run(alice, ['team', 'status', '--json'])).stdout) as TeamStatus;
    expect(status).toMatchObject({ joined: true, member: 'alice', accounts: 2, connection: { state: 'online' }, locks: [] });
    expect(status.members.map((m) => m.name)).toEqual(['alice', 'bob']);
    expect(JSON.stringify(status)).not.toContain('tokendesk-test'); // the password
    const human = await run(alice, ['team', 'status']);
    expect(human.stdout).toMatch(/MEMBER\s+HOST\s+ONLINE\s+LAST SEEN/);
    expect(human.stdout).toContain('no refresh locks held');
    expect(human.stdout).toMatch(/^alice \(you\)\s/m);
    expect(status.members.map((m) => m.you)).toEqual([true, false]);

    // Neither data dir's accounts.json holds the database URL, its password, or the team accounts.
    for (const d of [alice, bob]) {
      const accounts = await readFile(path.join(d, 'accounts.json'), 'utf8');
      expect(accounts).not.toContain('tokendesk-test');
      expect(accounts).not.toContain('postgresql://');
      expect(accounts).not.toContain('ups-team');
    }

    const left = await run(bob, ['team', 'leave']);
    expect(left.stdout).toBe('left the team\n');
    const list = await run(bob, ['list', '--json']);
    expect(JSON.parse(list.stdout)).toEqual([]);
    const after = JSON.parse((await run(alice, ['team', 'status', '--json'])).stdout) as TeamStatus;
    expect(after.members.find((m) => m.name === 'bob')).toMatchObject({ left: true });

    // Removing a member: another one, by name; not this one, not one that is not there.
    const { code: carolCode } = JSON.parse((await run(alice, ['team', 'invite', '--json'])).stdout) as { code: string };
    const carol = await dir();
    expect((await run(carol, ['team', 'join', '--db', cluster.url, '--invite', carolCode, '--member', 'carol'])).code).toBe(0);
    const removed = await run(alice, ['team', 'remove-member', 'carol']);
    expect(removed.stdout).toBe('carol is no longer a member; revoke its database access too\n');
    const carolStatus = JSON.parse((await run(carol, ['team', 'status', '--json'])).stdout) as TeamStatus;
    expect(carolStatus.connection).toMatchObject({ state: 'offline', message: expect.stringMatching(/left the team/) });
    const self = await run(alice, ['team', 'remove-member', 'alice']);
    expect(self.code).not.toBe(0);
    expect(self.stderr).toMatch(/alice is this TokenDesk: `tokendesk team leave` leaves the team/);
    const nobody = await run(alice, ['team', 'remove-member', 'dave']);
    expect(nobody.code).not.toBe(0);
    expect(nobody.stderr).toMatch(/No member "dave" in the team/);
  }, 120_000);
});
