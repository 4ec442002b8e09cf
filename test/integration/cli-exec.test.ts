// `tokendesk exec` and `tokendesk token --format/--out/--watch` as a user runs them: the built
// CLI as real processes, a real daemon, real simulators on 127.0.0.1, real files. The command
// exec runs (test/fixtures/exec-child.mjs) prints a token's SHA-256, never the token.
// Needs `npm run build` first (scripts/test-all.sh does it).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, open, readdir, readFile, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulators/index.js';
import type { ProviderId } from '../../src/shared/domain.js';
import { shellQuote } from '../../src/main/core/token-format.js';
import { cliEnv as env, runCli as run } from '../helpers/cli-process.js';
import { tempDir, waitFor } from '../helpers/temp-owner.js';

const CLI = path.resolve('bin/tokendesk.js');
const CHILD = path.resolve('test/fixtures/exec-child.mjs');
const NODE = process.execPath;
/** The vault is the one place a token may be, sealed. */
const VAULT_FILES = new Set(['vault.json', 'vault.journal']);

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

beforeAll(() => {
  if (!existsSync('out/main/cli.js')) throw new Error('out/main/cli.js is missing: run `npm run build` before these tests');
});

/** A long-running tokendesk process in its own session (no terminal), its output collected as it comes. */
interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  /** The JSON lines printed so far. */
  lines: () => Record<string, unknown>[];
}

function start(dataDir: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}): Running {
  const child = spawn(NODE, [CLI, ...args], { env: env(dataDir, options.env), stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d));
  child.stderr!.on('data', (d: Buffer) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, 'SIGKILL'); // the whole group: tokendesk and its command
      } catch {
        // already gone
      }
      await exited;
    }
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exited, lines: () => jsonLines(stdout) };
}

function jsonLines(text: string): Record<string, unknown>[] {
  // From the first brace: a terminal echoes a typed Ctrl-C as "^C" before the next line.
  return text
    .split(/\r?\n/)
    .filter((l) => l.includes('{') && l.endsWith('}'))
    .map((l) => JSON.parse(l.slice(l.indexOf('{'))) as Record<string, unknown>);
}

function startDaemon(dataDir: string): Running {
  return start(dataDir, ['daemon']);
}

async function daemonUp(dataDir: string): Promise<Running> {
  const daemon = startDaemon(dataDir);
  await waitFor('the daemon socket', () => existsSync(path.join(dataDir, 'owner.sock')), 15_000);
  return daemon;
}

async function sim(id: ProviderId, options: SimulatorOptions = {}): Promise<Simulator> {
  const s = await startSimulator(id, options);
  cleanups.push(() => s.close());
  return s;
}

/**
 * A directory for `--out` files, removed after the test even when `npm test` keeps data dirs for
 * its leak scan: these files hold plain tokens on purpose.
 */
async function outDirectory(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tokendesk-exec-out-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function dataDir(): Promise<string> {
  const t = await tempDir('tokendesk-exec-');
  cleanups.push(t.cleanup);
  return t.dir;
}

/** `tokendesk add` with every secret passed through stdin. The account has no access token yet. */
async function addAccount(dir: string, s: Simulator, name: string): Promise<void> {
  const grant = s.issue();
  const { access_token: _a, ...secrets } = grant.secrets;
  const args = ['add', s.providerId, '--name', name];
  if (s.providerId !== 'oauth2') args.push('--base-url', s.url);
  for (const [k, v] of Object.entries(grant.settings)) args.push('--set', `${k}=${v}`);
  for (const k of Object.keys(secrets)) args.push('--set', `${k}=-`);
  const added = await run(dir, args, { stdin: Object.values(secrets).join('\n') + '\n' });
  expect(added.stderr).toBe('');
  expect(added.code).toBe(0);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function tokenOf(dir: string, account: string): Promise<string> {
  const r = await run(dir, ['token', account]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
}

/** Every file in the data dir except the vault, searched for each token (plain and base64). */
async function expectNoTokenOutsideVault(dir: string, tokens: string[]): Promise<void> {
  const names = await readdir(dir, { recursive: true });
  expect(names).toContain('history.jsonl');
  for (const name of names.filter((n) => !VAULT_FILES.has(n))) {
    const bytes = await readFile(path.join(dir, name), 'utf8').catch(() => '');
    for (const token of tokens) {
      expect(bytes.includes(token), `${name} holds a token`).toBe(false);
      expect(bytes.includes(Buffer.from(token).toString('base64')), `${name} holds a token in base64`).toBe(false);
    }
  }
}

/** /proc/PID/cmdline as a string: what `ps` and any process of the user can read. */
const cmdlineOf = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8');

describe.runIf(process.platform === 'linux')('tokendesk exec', () => {
  /** exec … -- node exec-child.mjs hold VARS…: checks what the command received, then SIGTERM ends it. */
  async function holdAndCheck(dir: string, bindings: Record<string, string>): Promise<{ tokens: string[]; exec: Running }> {
    const envArgs = Object.entries(bindings).flatMap(([v, a]) => ['--env', `${v}=${a}`]);
    const exec = start(dir, ['exec', ...envArgs, '--', NODE, CHILD, 'hold', ...Object.keys(bindings), 'NOT_GIVEN'], { env: { EXEC_TEST_MARKER: 'inherited' } });
    const report = await waitFor('the command to report', () => exec.lines().find((l) => 'hashes' in l), 30_000);
    // While the command runs, tokendesk holds no data dir: no lock, and the owner (if any) is the daemon.
    expect(report['ppid']).toBe(exec.child.pid);
    const execCmdline = cmdlineOf(exec.child.pid!);
    const childCmdline = cmdlineOf(report['pid'] as number);
    const tokens: string[] = [];
    for (const [variable, account] of Object.entries(bindings)) {
      const token = await tokenOf(dir, account);
      tokens.push(token);
      expect((report['hashes'] as Record<string, string>)[variable], variable).toBe(sha256(token));
      for (const [who, text] of [['tokendesk', execCmdline], ['command', childCmdline], ['command (its own view)', (report['cmdline'] as string[]).join('\0')]]) {
        expect(text!.includes(token), `${who}'s command line holds ${variable}`).toBe(false);
      }
    }
    expect(report).toMatchObject({ passphraseInherited: false, marker: 'inherited' });
    expect((report['hashes'] as Record<string, unknown>)['NOT_GIVEN']).toBeNull();
    exec.child.kill('SIGTERM'); // forwarded: the command exits 0 on SIGTERM
    expect(await exec.exited).toBe(0);
    for (const token of tokens) {
      expect(exec.stdout() + exec.stderr()).not.toContain(token);
    }
    return { tokens, exec };
  }

  it('hands fresh tokens to the command in its environment — one-shot and with a daemon — never on a command line, in a file or in history', async () => {
    const dir = await dataDir();
    const team = await sim('teamup');
    const api = await sim('oauth2');
    await addAccount(dir, team, 'team');
    await addAccount(dir, api, 'api');

    // No owner runs: exec becomes a one-shot owner for the fetch, then lets go before the command starts.
    const oneShot = await holdAndCheck(dir, { TEAM_TOKEN: 'team', API_TOKEN: 'API' });
    expect(team.refreshCount).toBe(1); // the accounts had no token: exec refreshed each once
    expect(api.refreshCount).toBe(1);
    const history = JSON.parse((await run(dir, ['history', 'team', '--action', 'refreshed', '--json'])).stdout) as { message?: string; trigger: string }[];
    expect(history).toHaveLength(1);
    expect(history[0]!.message).toMatch(new RegExp(`^Requested by exec: node \\(tokendesk pid ${oneShot.exec.child.pid}, parent .*pid \\d+\\)$`));

    // With a daemon: exec is its client.
    const daemon = await daemonUp(dir);
    const withDaemon = await holdAndCheck(dir, { TEAM_TOKEN: 'team' });
    await expectNoTokenOutsideVault(dir, [...oneShot.tokens, ...withDaemon.tokens]);
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
    expect(daemon.stderr()).not.toContain(withDaemon.tokens[0]);
  }, 150_000);

  it("passes stdin, stdout and stderr through and exits with the command's code — 128+N when it dies of signal N", async () => {
    const dir = await dataDir();
    const s = await sim('oauth2');
    await addAccount(dir, s, 'api');
    const daemon = await daemonUp(dir);
    const exec = (...args: string[]) => ['exec', '--env', 'T=api', '--', NODE, CHILD, ...args];

    const cat = await run(dir, exec('cat'), { stdin: 'hello through\n' });
    expect(cat).toEqual({ code: 0, stdout: 'HELLO THROUGH\n', stderr: 'to stderr\n' });
    for (const code of [0, 3, 42, 255]) {
      expect((await run(dir, exec('exit', String(code)))).code, `exit ${code}`).toBe(code);
    }
    expect((await run(dir, exec('die', 'SIGTERM'))).code).toBe(128 + 15);
    expect((await run(dir, exec('die', 'SIGKILL'))).code).toBe(128 + 9);

    // A signal the command does not handle kills it; tokendesk says so the shell way.
    for (const [signal, code] of [['SIGINT', 130], ['SIGHUP', 129]] as const) {
      const held = start(dir, ['exec', '--env', 'T=api', '--', NODE, CHILD, 'hold']);
      await waitFor('the command', () => held.lines().length > 0, 30_000);
      held.child.kill(signal);
      expect(await held.exited, signal).toBe(code);
    }
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
  }, 150_000);

  it('forwards SIGINT, SIGHUP, SIGQUIT and SIGTERM sent to tokendesk, each exactly once', async () => {
    const dir = await dataDir();
    const s = await sim('oauth2');
    await addAccount(dir, s, 'api');
    const exec = start(dir, ['exec', '--env', 'T=api', '--', NODE, CHILD, 'signals']);
    await waitFor('the command to be ready', () => exec.lines().some((l) => l['ready']), 30_000);
    for (const signal of ['SIGINT', 'SIGHUP', 'SIGQUIT'] as const) {
      exec.child.kill(signal);
      await waitFor(`${signal} to reach the command`, () => exec.lines().some((l) => l['got'] === signal), 15_000);
    }
    exec.child.kill('SIGTERM');
    expect(await exec.exited).toBe(23);
    expect(exec.lines().find((l) => 'counts' in l)).toEqual({ counts: { SIGINT: 1, SIGHUP: 1, SIGQUIT: 1, SIGTERM: 1 } });
    expect(exec.lines().filter((l) => 'got' in l)).toEqual([
      { got: 'SIGINT', count: 1 },
      { got: 'SIGHUP', count: 1 },
      { got: 'SIGQUIT', count: 1 },
    ]);
  }, 120_000);

  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.runIf(hasScript)("Ctrl-C on a real terminal reaches the command once: the terminal delivers it, tokendesk doesn't again", async () => {
    const dir = await dataDir();
    const s = await sim('oauth2');
    await addAccount(dir, s, 'api');
    // util-linux script(1) runs the command on a new pseudo-terminal, in its foreground process group.
    // `exec`: the shell gives way to tokendesk (a shell waiting on a Ctrl-C'd job would exit 130 itself).
    const line = `exec ${[NODE, CLI, 'exec', '--env', 'T=api', '--', NODE, CHILD, 'signals'].map(shellQuote).join(' ')}`;
    const term = spawn('script', ['-qfec', line, '/dev/null'], { env: env(dir, { SHELL: '/bin/sh' }), stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    term.stdout.on('data', (d: Buffer) => (screen += d));
    const exited = new Promise<number | null>((resolve) => term.on('exit', (code) => resolve(code)));
    cleanups.push(async () => {
      if (term.exitCode === null) {
        term.kill('SIGKILL');
        await exited;
      }
    });
    const ready = await waitFor('the command to be ready', () => jsonLines(screen).find((l) => l['ready']), 30_000);
    term.stdin.write('\x03'); // Ctrl-C, typed on the terminal
    await waitFor('SIGINT to reach the command', () => jsonLines(screen).some((l) => l['got'] === 'SIGINT'), 15_000);
    process.kill(ready['ppid'] as number, 'SIGTERM'); // tokendesk's pid: forwarded, ends the command with its counts
    expect(await exited).toBe(23);
    expect(jsonLines(screen).find((l) => 'counts' in l)).toEqual({ counts: { SIGINT: 1, SIGHUP: 0, SIGQUIT: 0, SIGTERM: 1 } });
  }, 120_000);

  it('refuses before starting anything: unknown account, one that needs sign-in, bad or repeated VAR, no --, a missing command', async () => {
    const dir = await dataDir();
    const s = await sim('oauth2');
    await addAccount(dir, s, 'api');
    const marker = path.join(dir, 'started');
    const touch = ['--', NODE, CHILD, 'touch', marker];

    // An account that never had a token and whose refresh token was refused: nothing to hand over.
    s.fail({ kind: 'vendor_error', code: 'invalid_grant' }, 1);
    expect((await run(dir, ['refresh', 'api'])).code).toBe(3);
    const reauth = await run(dir, ['exec', '--env', 'API_TOKEN=api', ...touch]);
    expect(reauth.code).toBe(3);
    expect(reauth.stderr).toMatch(/^tokendesk: --env API_TOKEN=api: .*invalid_grant.* — sign in again with `tokendesk login api`.*; the command was not started\n$/);

    const unknown = await run(dir, ['exec', '--env', 'GH=nope', ...touch]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('tokendesk: --env GH=nope: No account named or with id "nope" — `tokendesk list` shows the accounts; the command was not started\n');

    for (const [args, message] of [
      [['--env', '1X=api'], /"1X" is not a variable name/],
      [['--env', 'A-B=api'], /"A-B" is not a variable name/],
      [['--env', 'T'], /expected VAR=ACCOUNT/],
      [['--env', 'T='], /no account after T=/],
      [['--env', 'T=api', '--env', 'T=api'], /T is given twice/],
    ] as const) {
      const r = await run(dir, ['exec', ...args, ...touch]);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toMatch(message);
    }
    const noDashes = await run(dir, ['exec', '--env', 'T=api', NODE, CHILD, 'touch', marker]);
    expect(noDashes.code).toBe(2);
    expect(noDashes.stderr).toMatch(/put -- before the command/);
    expect((await run(dir, ['exec', '--', NODE, CHILD, 'touch', marker])).code).toBe(2); // no --env
    expect(existsSync(marker)).toBe(false);

    const t = await sim('teamup');
    await addAccount(dir, t, 'team');
    const missing = await run(dir, ['exec', '--env', 'T=team', '--', 'no-such-command-tokendesk']);
    expect(missing).toMatchObject({ code: 127, stderr: 'tokendesk: no-such-command-tokendesk: command not found\n' });
  }, 120_000);
});

describe.runIf(process.platform === 'linux')('tokendesk token --format, --out, --watch', () => {
  it('--format env|json|header on stdout; --out writes a 0600 file holding exactly the token; bad --out and --watch say why', async () => {
    const dir = await dataDir();
    const s = await sim('oauth2');
    await addAccount(dir, s, 'api');
    const token = await tokenOf(dir, 'api');
    expect((await run(dir, ['token', 'api', '--format', 'env'])).stdout).toBe(`ACCESS_TOKEN=${token}\n`);
    expect((await run(dir, ['token', 'api', '--format', 'env', '--var', 'API_TOKEN'])).stdout).toBe(`API_TOKEN=${token}\n`);
    expect((await run(dir, ['token', 'api', '--format', 'header'])).stdout).toBe(`Authorization: Bearer ${token}\n`);
    expect(JSON.parse((await run(dir, ['token', 'api', '--format', 'json'])).stdout)).toMatchObject({ accessToken: token, tokenType: 'Bearer' });
    expect((await run(dir, ['token', 'api', '--format', 'env', '--header'])).code).toBe(2);

    const out = path.join(await outDirectory(), 'token');
    const written = await run(dir, ['token', 'api', '--out', out]);
    expect(written).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(out, 'utf8')).toBe(token);
    expect(statSync(out).mode & 0o777).toBe(0o600);

    const noDir = await run(dir, ['token', 'api', '--out', path.join(dir, 'missing', 'token')]);
    expect(noDir.code).toBe(2);
    expect(noDir.stderr).toBe(`tokendesk: --out ${path.join(dir, 'missing', 'token')}: the directory ${path.join(dir, 'missing')} does not exist\n`);
    expect((await run(dir, ['token', 'api', '--watch'])).stderr).toMatch(/--watch needs --out FILE/);
    const noOwner = await run(dir, ['token', 'api', '--out', out, '--watch']);
    expect(noOwner.code).toBe(7);
    expect(noOwner.stderr).toMatch(/--watch follows the refreshes of a running TokenDesk, and none runs for .*: start `tokendesk daemon`/);
  }, 120_000);

  it('--watch replaces the file atomically at each of 5 real refreshes (mode 0600), across a daemon restart, and stops cleanly', async () => {
    const dir = await dataDir();
    const outDir = await outDirectory();
    const file = path.join(outDir, 'api.token');
    // 6-second tokens: the daemon refreshes each when 3 s are left, so every token read is still valid.
    const s = await sim('oauth2', { accessTtlSec: 6 });
    await addAccount(dir, s, 'api');
    let daemon = await daemonUp(dir);
    const watch = start(dir, ['token', 'api', '--out', file, '--watch']);

    // A reader, as a sidecar would be: every read is the whole of one version; each new version is a
    // valid token in a new 0600 file renamed over the old one — the old file, still open, keeps its content.
    const versions: string[] = [];
    let held: { content: string; handle: FileHandle } | undefined;
    cleanups.push(async () => held?.handle.close());
    let reads = 0;
    const readOnce = async () => {
      const handle = await open(file, 'r').catch(() => undefined);
      if (!handle) return;
      const content = await handle.readFile('utf8');
      reads++;
      if (versions.includes(content)) return void (await handle.close());
      expect(s.isValidAccessToken(content), `read ${reads}: not a whole valid token`).toBe(true);
      expect((await handle.stat()).mode & 0o777).toBe(0o600);
      if (held) {
        const again = Buffer.alloc(held.content.length + 16);
        const { bytesRead } = await held.handle.read(again, 0, again.length, 0);
        expect(again.subarray(0, bytesRead).toString('utf8') === held.content, 'the previous file was rewritten in place').toBe(true);
        await held.handle.close();
      }
      held = { content, handle };
      versions.push(content);
    };
    const refreshesSeen = async (n: number) => waitFor(`${n} refreshes in the file`, async () => (await readOnce(), versions.length >= n + 1), 60_000, 5);

    await refreshesSeen(3);
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
    await waitFor('the watcher to notice', () => /owner stopped/.test(watch.stderr()), 15_000);
    daemon = await daemonUp(dir);
    await refreshesSeen(5);

    watch.child.kill('SIGTERM');
    expect(await watch.exited).toBe(0);
    expect(await readdir(outDir)).toEqual(['api.token']); // no temp file left
    expect(watch.stdout()).toBe('');
    expect(watch.stderr()).toMatch(/api\.token updated; the token expires at \d{4}-/);
    for (const token of versions) expect(watch.stderr()).not.toContain(token);
    expect(reads).toBeGreaterThan(versions.length);

    // SIGINT ends a watch the same way.
    const second = start(dir, ['token', 'api', '--out', file, '--watch']);
    await waitFor('the second watcher', () => /updated/.test(second.stderr()), 15_000);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);

    // The account removed: nothing left to keep current, the watch ends (exit 2) and says why.
    const third = start(dir, ['token', 'api', '--out', file, '--watch']);
    await waitFor('the third watcher', () => /updated/.test(third.stderr()), 15_000);
    expect((await run(dir, ['remove', 'api'])).code).toBe(0);
    expect(await third.exited).toBe(2);
    expect(third.stderr()).toMatch(/No account named or with id "api"\n$/);
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
  }, 120_000);
});
