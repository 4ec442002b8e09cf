// Demo mode (src/main/core/demo.ts) through the built CLI: `daemon --demo` and `serve --demo`
// run on their own demo data dir with eight simulated accounts, need no vault passphrase, and
// leave the real data dir — a real vault with a real account and its history — byte-identical.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AccountView } from '../../src/shared/contract.js';
import { DEMO_MARKER_FILE, startDemo } from '../../src/main/core/demo.js';
import { startSimulator } from '../../src/simulators/index.js';
import { call, openTestOwner, tempDir, waitFor } from '../helpers/temp-owner.js';
import { WsClient } from '../e2e/support/serve.js';

const CLI = path.resolve('bin/tokendesk.js');

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

beforeAll(() => {
  if (!existsSync('out/main/cli.js')) throw new Error('out/main/cli.js is missing: run `npm run build` before these tests');
});

/** Every file and directory under `dir`: relative path → mode and sha256 of the contents. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    const { mode } = await stat(full);
    const content = entry.isFile() ? createHash('sha256').update(await readFile(full)).digest('hex') : entry.isDirectory() ? 'dir' : 'other';
    result[path.relative(dir, full)] = `${(mode & 0o7777).toString(8)} ${content}`;
  }
  return result;
}

/** A real data dir: a passphrase vault with an account that has refreshed once (rotated token, history). */
async function realDataDir(): Promise<string> {
  const { dir, cleanup } = await tempDir('td-demo-real-');
  cleanups.push(cleanup);
  const sim = await startSimulator('ups');
  cleanups.push(() => sim.close());
  const owner = await openTestOwner(dir, { schedule: false });
  try {
    const grant = sim.issue();
    const { access_token: _at, ...values } = { ...grant.settings, ...grant.secrets };
    await call(owner, 'accounts.add', { providerId: 'ups', name: 'ups-prod', baseUrl: sim.url, values });
    expect((await call(owner, 'accounts.refresh', { account: 'ups-prod' })).outcome.ok).toBe(true);
  } finally {
    await owner.close();
  }
  return dir;
}

function startCli(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; log: () => string; stdout: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (log += d));
  child.stdout!.on('data', (d: Buffer) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  return { child, log: () => log, stdout: () => out, exited };
}

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { log, stdout, exited } = startCli(args, env);
  return exited.then((code) => ({ code, stdout: stdout(), stderr: log() }));
}

describe('demo mode', () => {
  it('runs on a separate demo dir and leaves the real data dir byte-identical', async () => {
    const real = await realDataDir();
    const before = await snapshot(real);
    expect(Object.keys(before)).toContain('vault.json');

    const { dir: tmp, cleanup } = await tempDir('td-demo-tmp-');
    cleanups.push(cleanup);
    // The real data dir by --data-dir and TOKENDESK_HOME; no passphrase at all (a demo needs none).
    const env: NodeJS.ProcessEnv = { ...process.env, TOKENDESK_HOME: real, TMPDIR: tmp };
    delete env['TOKENDESK_PASSPHRASE'];
    const demoDir = path.join(tmp, `tokendesk-demo-${process.getuid!()}`);

    for (const command of ['daemon', 'serve'] as const) {
      const session = startCli(['--data-dir', real, command, '--demo'], env);
      await waitFor(`${command} --demo to start`, () => session.log().includes('accounts, data dir'), 20_000);
      expect(session.log()).toContain(`data dir ${demoDir}`);
      if (command === 'serve') expect(session.stdout()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]+\/$/m);

      // A client of the demo owner: eight accounts (one of a provider file), refreshed by themselves, one needing the user.
      const accounts = await waitFor(
        'the first automatic refreshes',
        async () => {
          const list = await runCli(['--data-dir', demoDir, 'list', '--json'], env);
          expect(list.stderr).toBe('');
          const views = JSON.parse(list.stdout) as AccountView[];
          return views.filter((a) => a.hasAccessToken).length >= 4 && views.some((a) => a.status === 'reauth_required') && views;
        },
        20_000,
        250,
      );
      expect(accounts.map((a) => a.providerId).sort()).toEqual(['banyan', 'ledgerly', 'oauth2', 'oauth2', 'pathstack', 'teamup', 'ups', 'vaultist']);
      const status = JSON.parse((await runCli(['--data-dir', demoDir, 'history', '--json'], env)).stdout) as { trigger: string; outcome: string }[];
      expect(status.some((e) => e.trigger === 'scheduled' && e.outcome === 'ok')).toBe(true);

      // A second demo cannot take over (nor wipe) the running one's dir.
      await expect(startDemo({ dataDir: demoDir, realDataDir: real })).rejects.toThrow(/already running/);
      expect(existsSync(path.join(demoDir, 'vault.json'))).toBe(true);

      session.child.kill('SIGTERM');
      expect(await session.exited).toBe(0);
      expect(session.log()).toContain('stopped');
    }

    expect(existsSync(path.join(demoDir, DEMO_MARKER_FILE))).toBe(true);
    expect(path.relative(real, demoDir).startsWith('..')).toBe(true);
    expect(await snapshot(real)).toEqual(before);
  }, 90_000);

  it('never uses the real data dir, nor wipes a directory that is not a demo dir', async () => {
    const real = await realDataDir();
    const before = await snapshot(real);
    await expect(startDemo({ dataDir: real, realDataDir: real })).rejects.toThrow(/never uses the real data dir/);
    await expect(startDemo({ dataDir: real, realDataDir: path.join(real, 'elsewhere') })).rejects.toThrow(/not a TokenDesk demo dir/);
    expect(await snapshot(real)).toEqual(before);

    // A previous demo's dir is wiped and re-seeded.
    const { dir, cleanup } = await tempDir('td-demo-again-');
    cleanups.push(cleanup);
    const demoDir = path.join(dir, 'demo');
    const first = await startDemo({ dataDir: demoDir, realDataDir: real });
    await first.close();
    await writeFile(path.join(demoDir, 'left-over'), 'x');
    const second = await startDemo({ dataDir: demoDir, realDataDir: real });
    try {
      expect(existsSync(path.join(demoDir, 'left-over'))).toBe(false);
      expect((await call(second.owner, 'owner.status')).demo).toBe(true);
      expect(await call(second.owner, 'accounts.list')).toHaveLength(8);
    } finally {
      await second.close();
    }
  });

  it('"Explore the demo" (demo.start): serve starts one beside the real session; a daemon, CLI or the demo itself refuse, saying why', async () => {
    const { dir: tmp, cleanup } = await tempDir('td-demo-start-');
    cleanups.push(cleanup);
    const real = path.join(tmp, 'real');
    // A one-shot/daemon owner has no way to show a demo.
    const plain = await openTestOwner(real, { schedule: false });
    await expect(call(plain, 'demo.start')).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('tokendesk serve --demo') });
    await plain.close();

    // serve: refused while another demo owns the demo dir (nothing wiped); works once it is gone.
    const demoDir = path.join(tmp, `tokendesk-demo-${process.getuid!()}`);
    const running = await startDemo({ dataDir: demoDir, realDataDir: real });
    await expect(call(running.owner, 'demo.start')).rejects.toMatchObject({ code: 'conflict', message: 'This is the demo already' });
    const env: NodeJS.ProcessEnv = { ...process.env, TOKENDESK_HOME: real, TMPDIR: tmp, TOKENDESK_PASSPHRASE: 'correct horse battery staple' };
    const serve = startCli(['--data-dir', real, 'serve', '--port', '0'], env);
    const url = new URL(await waitFor('the URL', () => /^(http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]+\/)$/m.exec(serve.stdout())?.[1], 20_000));
    const client = await WsClient.connect(`ws://127.0.0.1:${url.port}${url.pathname}ws`);
    try {
      await expect(client.call('demo.start')).rejects.toMatchObject({ code: 'owner_busy' });
      expect(await call(running.owner, 'accounts.list')).toHaveLength(8); // the running demo is untouched
      await running.close();
      const started = await client.call('demo.start');
      expect(started).toMatchObject({ kind: 'url', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]+\/$/) });
      const demoUrl = new URL((started as { url: string }).url);
      expect(demoUrl.port).not.toBe(url.port);
      expect((await fetch(demoUrl)).status).toBe(200);
      const demoClient = await WsClient.connect(`ws://127.0.0.1:${demoUrl.port}${demoUrl.pathname}ws`);
      expect((await demoClient.call('owner.status')).demo).toBe(true);
      expect(await demoClient.call('accounts.list')).toHaveLength(8);
      demoClient.close();
      expect(await client.call('accounts.list')).toEqual([]);
    } finally {
      client.close();
    }
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
    // The demo stopped with serve: its lock released.
    expect(existsSync(path.join(demoDir, 'owner.lock'))).toBe(false);
  }, 60_000);
});
