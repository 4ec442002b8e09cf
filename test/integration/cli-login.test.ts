// `tokendesk login` and `add --login` as a script runs them: the built CLI in its own process
// (a one-shot owner, whose loopback listener lives in that process), the oauth2 simulator on
// 127.0.0.1, and --json lines read as they come. Needs `npm run build` first.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulators/index.js';
import { tempDir } from '../helpers/temp-owner.js';

const CLI = path.resolve('bin/tokendesk.js');
const PASSPHRASE = 'cli login passphrase';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

beforeAll(() => {
  if (!existsSync('out/main/cli.js')) throw new Error('out/main/cli.js is missing: run `npm run build` before these tests');
});

async function sim(options: SimulatorOptions = {}, provider: 'oauth2' | 'pathstack' = 'oauth2'): Promise<Simulator> {
  const s = await startSimulator(provider, options);
  cleanups.push(() => s.close());
  return s;
}

async function dataDir(): Promise<string> {
  const t = await tempDir('tokendesk-login-');
  cleanups.push(t.cleanup);
  return t.dir;
}

interface Running {
  child: ChildProcessWithoutNullStreams;
  /** Resolves with the next JSON line on stdout (the events come one per line). */
  next(): Promise<Record<string, unknown>>;
  exit: Promise<{ code: number | null; stderr: string }>;
}

function cli(dir: string, args: string[], stdin = ''): Running {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, TOKENDESK_HOME: dir, TOKENDESK_PASSPHRASE: PASSPHRASE }, stdio: 'pipe' });
  cleanups.push(async () => void child.kill('SIGKILL'));
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  let buffer = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let i: number;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      const waiter = waiters.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdin.end(stdin);
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stderr })));
  const next = () =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const take = (line: string) => {
        try {
          resolve(JSON.parse(line) as Record<string, unknown>);
        } catch {
          reject(new Error(`not a JSON line: ${line}; stderr: ${stderr}`));
        }
      };
      const queued = lines.shift();
      if (queued !== undefined) take(queued);
      else waiters.push(take);
      void exit.then(() => reject(new Error(`the CLI exited before the next line; stderr: ${stderr}`)));
    });
  return { child, next, exit };
}

/** The browser: follows the authorization server's redirect to the CLI's loopback listener. */
async function browse(url: string): Promise<number> {
  const res = await fetch(url, { redirect: 'manual' });
  const back = await fetch(res.headers.get('location')!, { redirect: 'manual' });
  return back.status;
}

async function addAccount(dir: string, s: Simulator, name: string): Promise<void> {
  const client = s.clientCredentials();
  const added = cli(dir, ['add', 'oauth2', '--name', name, '--set', `issuer=${s.url}`, '--set', `client_id=${client.clientId}`, '--set', 'client_secret=-'], `${client.clientSecret}\n`);
  expect((await added.exit).code).toBe(0);
}

describe('tokendesk login', () => {
  it('--no-browser --json: prints the URL, a script completes the sign-in, the account is signed in', async () => {
    const dir = await dataDir();
    const s = await sim({ autoConsent: 'approve' });
    await addAccount(dir, s, 'scripted');
    const login = cli(dir, ['login', 'scripted', '--no-browser', '--json']);
    const open = await login.next();
    expect(open).toEqual({ event: 'open', url: expect.stringMatching(new RegExp(`^${s.url}/oauth/authorize\\?`)) });
    expect(await browse(open['url'] as string)).toBe(200);
    const done = await login.next();
    expect(done).toMatchObject({ event: 'done', account: { name: 'scripted', status: 'active', hasAccessToken: true } });
    expect(await login.exit).toMatchObject({ code: 0 });
    // A fresh token for scripts straight away.
    const token = cli(dir, ['token', 'scripted']);
    expect((await token.exit).code).toBe(0);
  });

  it('--device --json: prints the code; approved on the simulator, done', async () => {
    const dir = await dataDir();
    const s = await sim({ deviceIntervalSec: 0 });
    await addAccount(dir, s, 'headless');
    const login = cli(dir, ['login', 'headless', '--device', '--json']);
    const device = await login.next();
    expect(device).toEqual({ event: 'device', verificationUri: `${s.url}/device`, userCode: expect.stringMatching(/^[A-Z]{4}-[A-Z]{4}$/), expiresIn: expect.any(Number) });
    s.approveDevice(device['userCode'] as string);
    expect(await login.next()).toMatchObject({ event: 'done', account: { name: 'headless', status: 'active' } });
    expect((await login.exit).code).toBe(0);
  });

  it('declined at the provider: exit code 3 and the reason on stderr, no secret in it', async () => {
    const dir = await dataDir();
    const s = await sim({ autoConsent: 'deny' });
    await addAccount(dir, s, 'declines');
    const login = cli(dir, ['login', 'declines', '--no-browser', '--json']);
    const open = await login.next();
    await browse(open['url'] as string);
    const { code, stderr } = await login.exit;
    expect(code).toBe(3);
    expect(stderr).toMatch(/declined/);
    expect(stderr).not.toMatch(/code=|ac_[A-Za-z0-9]/);
  });

  it('add --login --no-browser --json: adds and signs in at once', async () => {
    const dir = await dataDir();
    const s = await sim({ autoConsent: 'approve' });
    const client = s.clientCredentials();
    const run = cli(
      dir,
      ['add', 'oauth2', '--name', 'at-once', '--set', `issuer=${s.url}`, '--set', `client_id=${client.clientId}`, '--set', 'client_secret=-', '--login', '--no-browser', '--json'],
      `${client.clientSecret}\n`,
    );
    const open = await run.next();
    expect(open['event']).toBe('open');
    await browse(open['url'] as string);
    expect(await run.next()).toMatchObject({ event: 'done', account: { name: 'at-once', status: 'active' } });
    expect((await run.exit).code).toBe(0);
  });

  it('--password --username U: the password from stdin, never from the command line (PathStack)', async () => {
    const dir = await dataDir();
    const s = await sim({}, 'pathstack');
    const user = s.passwordUser();
    expect((await cli(dir, ['add', 'pathstack', '--name', 'ps', '--base-url', s.url]).exit).code).toBe(0);
    const login = cli(dir, ['login', 'ps', '--password', '--username', user.username, '--json'], `${user.password}\n`);
    expect(await login.next()).toMatchObject({ event: 'done', account: { name: 'ps', status: 'active', settings: { sub: expect.any(String) } } });
    expect((await login.exit).code).toBe(0);
    const wrong = cli(dir, ['login', 'ps', '--password', '--username', user.username], 'wrong password\n');
    const { code, stderr } = await wrong.exit;
    expect(code).toBe(3);
    expect(stderr).toMatch(/refused the sign-in/);
    expect(stderr).not.toContain('wrong password');
  });
});
