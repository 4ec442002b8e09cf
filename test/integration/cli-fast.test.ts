// `tokendesk token` through the lean client bundle (src/cli/fast.ts) while a daemon owns the
// data dir: the same output, errors and exit codes as the full CLI, without loading it; and
// everything the lean path declines still reaches the full CLI. Needs `npm run build` first.
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { EXIT } from '../../src/cli/exit-codes.js';
import { connectOwner } from '../../src/cli/fast.js';
import { OWNER_WAIT_MS } from '../../src/cli/owner-wait.js';
import { ownerSocketPath } from '../../src/main/core/owner/socket-path.js';
import { startSimulator } from '../../src/simulators/index.js';
import { addCliAccount, runCli, startCliDaemon } from '../helpers/cli-process.js';
import { tempDir } from '../helpers/temp-owner.js';

const FULL_CLI = path.resolve('out/main/cli.js');
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

beforeAll(() => {
  if (!existsSync('out/main/cli-fast.cjs')) throw new Error('out/main/cli-fast.cjs is missing: run `npm run build` before these tests');
});

/** A data dir with one TeamUp account (it rotates; its tokens last an hour) and a daemon owning it. */
async function ownedDataDir(): Promise<string> {
  const t = await tempDir('tokendesk-cli-fast-');
  cleanups.push(t.cleanup);
  const sim = await startSimulator('teamup');
  cleanups.push(() => sim.close());
  expect((await addCliAccount(t.dir, sim, 'team')).code).toBe(0);
  const daemon = await startCliDaemon(t.dir);
  cleanups.push(() => daemon.stop());
  return t.dir;
}

/** bin/ and the lean bundle alone — no full CLI, no chunk of the main build: only the lean path can answer. */
async function leanOnlyInstall(): Promise<string> {
  const t = await tempDir('tokendesk-lean-install-');
  cleanups.push(t.cleanup);
  await cp('bin', path.join(t.dir, 'bin'), { recursive: true }); // tokendesk.js and its package.json ("type": "commonjs")
  await mkdir(path.join(t.dir, 'out/main'), { recursive: true });
  await cp('out/main/cli-fast.cjs', path.join(t.dir, 'out/main/cli-fast.cjs'));
  await cp('package.json', path.join(t.dir, 'package.json')); // "type": "module"
  return path.join(t.dir, 'bin/tokendesk.js');
}

describe('tokendesk token: the lean client path', () => {
  it('prints what the full CLI prints, for every output form, and fails the same way', async () => {
    const dir = await ownedDataDir();
    const forms = [
      ['token', 'team'],
      ['token', 'team', '--header'],
      ['token', 'team', '--header', '--scheme', 'Token'],
      ['token', '--min-valid', '0', 'team', '--curl', 'https://goteamup.com/api/v2/customers'],
      ['token', 'team', '--json'],
      ['--data-dir', dir, 'token', 'team', '--min-valid=30'],
      // Errors: the owner's message and exit code.
      ['token', 'nobody'],
      // Declined by the lean path (usage errors, help): the full CLI answers both.
      ['token', 'team', '--min-valid', 'soon'],
      ['token', 'team', '--scheme', 'Basic'],
      ['token', '--help'],
      ['token', 'team', '--no-such-option'],
      ['token'],
    ];
    for (const args of forms) {
      const lean = await runCli(dir, args);
      const full = await runCli(dir, args, { entry: FULL_CLI });
      expect({ args, ...lean }).toEqual({ args, ...full });
    }
    expect((await runCli(dir, ['token', 'nobody'])).code).toBe(2);
    expect((await runCli(dir, ['token', 'team', '--scheme', 'Basic'])).code).toBe(2);
  });

  it('answers without the full CLI or the owner code, which every other case still needs', async () => {
    const dir = await ownedDataDir();
    const leanBin = await leanOnlyInstall();
    const token = await runCli(dir, ['token', 'team'], { entry: leanBin });
    expect(token).toMatchObject({ code: 0, stderr: '' });
    expect(token.stdout).toBe((await runCli(dir, ['token', 'team'])).stdout);
    // `list`, and `token` with an option the lean path does not read, need the full CLI.
    for (const args of [['list'], ['token', 'team', '--verbose']]) {
      const r = await runCli(dir, args, { entry: leanBin });
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 2, stderr: 'tokendesk: the CLI is not built yet; run `npm run build` first.\n' });
    }
  });

  it('with no owner running, `token` goes the one-shot way through the full CLI', async () => {
    const t = await tempDir('tokendesk-cli-fast-');
    cleanups.push(t.cleanup);
    const sim = await startSimulator('teamup');
    cleanups.push(() => sim.close());
    expect((await addCliAccount(t.dir, sim, 'team')).code).toBe(0);
    const token = await runCli(t.dir, ['token', 'team']);
    expect(token).toMatchObject({ code: 0, stderr: '' });
    expect(sim.isValidAccessToken(token.stdout.trim())).toBe(true);
    const leanOnly = await runCli(t.dir, ['token', 'team'], { entry: await leanOnlyInstall() });
    expect(leanOnly.code).toBe(2); // the lean path declined: no owner answers
  });

  it('waits for an owner that holds the data dir but does not answer yet, instead of declining', async () => {
    const t = await tempDir('tokendesk-cli-fast-');
    cleanups.push(t.cleanup);
    // A live process holds the lock and nothing answers on the socket: an owner still starting.
    const holder = spawn('sleep', ['60'], { stdio: 'ignore' });
    cleanups.push(async () => holder.kill());
    await writeFile(path.join(t.dir, 'owner.lock'), JSON.stringify({ pid: holder.pid, startedAt: new Date().toISOString(), hostname: hostname() }));
    let settled = false;
    const connecting = connectOwner(t.dir).finally(() => (settled = true));
    // Its first try fails at once (no socket); declining would settle it then, with undefined.
    await new Promise((r) => setTimeout(r, 300));
    expect(settled).toBe(false);
    // The owner's socket appears (any server will do for connecting): the waiting client takes it.
    const accepted = new Promise<void>((resolve) => {
      const server = createServer((socket) => {
        socket.destroy();
        resolve();
      }).listen(ownerSocketPath(t.dir));
      cleanups.push(() => new Promise((r) => server.close(r)));
    });
    const client = await connecting;
    expect(client).toBeDefined();
    client?.close();
    await accepted;
  });

  it('gives up on a holder that never answers after one wait of OWNER_WAIT_MS in all, not one per path', async () => {
    const t = await tempDir('tokendesk-cli-fast-');
    cleanups.push(t.cleanup);
    const holder = spawn('sleep', ['120'], { stdio: 'ignore' });
    cleanups.push(async () => holder.kill());
    await writeFile(path.join(t.dir, 'owner.lock'), JSON.stringify({ pid: holder.pid, startedAt: new Date().toISOString(), hostname: hostname() }));
    const started = Date.now();
    const result = await runCli(t.dir, ['token', 'team']);
    const tookMs = Date.now() - started;
    expect(result.code).toBe(EXIT.busy);
    expect(result.stderr).toContain(`did not answer on ${ownerSocketPath(t.dir)} within ${OWNER_WAIT_MS / 1000} s`);
    // The lean client waits OWNER_WAIT_MS, then the full CLI tries the data dir once more and
    // reports; waiting its own OWNER_WAIT_MS again would take twice as long.
    expect(tookMs).toBeGreaterThanOrEqual(OWNER_WAIT_MS);
    expect(tookMs).toBeLessThan(OWNER_WAIT_MS * 1.75);
  }, OWNER_WAIT_MS * 3);

  it('stops waiting once the lock holder is gone, and leaves the data dir to the full CLI', async () => {
    const t = await tempDir('tokendesk-cli-fast-');
    cleanups.push(t.cleanup);
    const holder = spawn('sleep', ['60'], { stdio: 'ignore' });
    await writeFile(path.join(t.dir, 'owner.lock'), JSON.stringify({ pid: holder.pid, startedAt: new Date().toISOString(), hostname: hostname() }));
    const connecting = connectOwner(t.dir);
    holder.kill();
    expect(await connecting).toBeUndefined();
  });
});
