// `tokendesk providers add/show/remove` and a provider-file account through the built CLI:
// real processes, real files, the Ledgerly simulator on 127.0.0.1. Needs `npm run build` first.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLedgerlySimulator, type Simulator } from '../../src/simulators/index.js';
import { PROVIDER_IDS } from '../../src/shared/domain.js';
import { tempDir } from '../helpers/temp-owner.js';

const CLI = path.resolve('bin/tokendesk.js');
const EXAMPLE = path.resolve('examples/providers/ledgerly.json');

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

beforeAll(() => {
  if (!existsSync('out/main/cli.js')) throw new Error('out/main/cli.js is missing: run `npm run build` before these tests');
});

function run(dataDir: string, args: string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, TOKENDESK_HOME: dataDir, TOKENDESK_PASSPHRASE: 'cli providers passphrase' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

async function setup(): Promise<{ dir: string; sim: Simulator }> {
  const t = await tempDir('tokendesk-cli-providers-');
  cleanups.push(t.cleanup);
  const sim = await startLedgerlySimulator();
  cleanups.push(() => sim.close());
  return { dir: t.dir, sim };
}

describe('tokendesk providers (provider files)', () => {
  it('adds a provider file with a masked preview, lists and shows it, runs an account of it, and refuses to remove it while used', async () => {
    const { dir, sim } = await setup();
    const added = await run(dir, ['providers', 'add', EXAMPLE]);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('POST https://api.ledgerly.example/v3/session/renew');
    expect(added.stdout).toContain('X-Ledgerly-Key: «API key»');
    expect(added.stdout).toContain('{"session":{"renewal":"«Renewal token»"}}');
    expect(added.stdout).toMatch(/added ledgerly \(Ledgerly\), revision 1/);

    const listed = JSON.parse((await run(dir, ['providers', '--json'])).stdout) as { id: string; definition?: unknown }[];
    expect(listed.map((p) => p.id)).toEqual([...PROVIDER_IDS, 'ledgerly']);
    expect(listed.at(-1)!.definition).toMatchObject({ id: 'ledgerly', format: 1 });
    const shown = JSON.parse((await run(dir, ['providers', 'show', 'ledgerly', '--json'])).stdout) as { builtIn: boolean; revision: number; accounts: number };
    expect(shown).toMatchObject({ builtIn: false, revision: 1, accounts: 0 });

    // An account of it, secrets through stdin; a refresh rotates the renewal token and reads the ISO expiry.
    const grant = sim.issue();
    const add = await run(dir, ['add', 'ledgerly', '--name', 'books', '--base-url', sim.url, '--set', 'api_key=-', '--set', 'refresh_token=-'], `${grant.secrets['api_key']}\n${grant.refreshToken}\n`);
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    const token = await run(dir, ['token', 'books']);
    expect(token.code).toBe(0);
    expect(sim.isValidAccessToken(token.stdout.trim())).toBe(true);
    expect(sim.rotations.length).toBe(1);
    const view = JSON.parse((await run(dir, ['list', '--json'])).stdout) as { providerId: string; expiresAt: number; meta: Record<string, unknown> }[];
    expect(view[0]).toMatchObject({ providerId: 'ledgerly', meta: { plan: 'team' } });
    expect(view[0]!.expiresAt - Date.now()).toBeGreaterThan(1700_000);
    expect(view[0]!.expiresAt - Date.now()).toBeLessThanOrEqual(1800_000);

    // A classified failure: the vendor's EXPIRED (sent as HTTP 200) asks for a new renewal token.
    sim.fail({ kind: 'vendor_error', code: 'EXPIRED' });
    const failed = await run(dir, ['refresh', 'books']);
    expect(failed.code).toBe(3);
    expect(failed.stderr).toMatch(/EXPIRED/);

    const refused = await run(dir, ['providers', 'remove', 'ledgerly']);
    expect(refused.code).toBe(7);
    expect(refused.stderr).toMatch(/1 account uses ledgerly \(books\)/);
    expect((await run(dir, ['remove', 'books'])).code).toBe(0);
    const removed = await run(dir, ['providers', 'remove', 'ledgerly']);
    expect(removed).toMatchObject({ code: 0, stdout: 'removed provider ledgerly\n' });
    expect((JSON.parse((await run(dir, ['providers', '--json'])).stdout) as { id: string }[]).map((p) => p.id)).toEqual([...PROVIDER_IDS]);
  });

  it('refuses a bad provider file with the JSON path of each problem and stores nothing', async () => {
    const { dir } = await setup();
    const bad = path.join(dir, '..', `bad-${path.basename(dir)}.json`);
    cleanups.push(async () => (await import('node:fs/promises')).rm(bad, { force: true }));
    const def = JSON.parse(await (await import('node:fs/promises')).readFile(EXAMPLE, 'utf8')) as { refresh: { answer: { accessToken: string } }; environments: { baseUrl: string }[] };
    def.refresh.answer.accessToken = '/data/auth/access';
    def.environments[0]!.baseUrl = 'http://api.ledgerly.example';
    writeFileSync(bad, JSON.stringify(def));
    const result = await run(dir, ['providers', 'add', bad]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('/refresh/answer/accessToken: pointer matches nothing in the sample');
    expect(result.stderr).toContain('/environments/0/baseUrl: the base URL must be an https:// URL');
    expect(result.stderr).toMatch(/nothing was stored/);
    expect(readdirSync(dir)).not.toContain('providers.json');
    expect((await run(dir, ['providers', 'add', path.join(dir, 'missing.json')])).code).toBe(2);
  });
});
