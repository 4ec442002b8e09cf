// Engine figures: node --import tsx bench/engine.ts [--quick]
//   1. scheduler lateness (p50/p99/max) with 10,000 accounts on one owner
//   2. CPU used while idle for 30 s with 1,000 accounts and nothing due
//   3. refresh throughput against a loopback simulator, as a ratio to a plain
//      fetch loop at the same concurrency (durable saves included)
// Real files in a temp dir, real simulators on 127.0.0.1. --quick shrinks every
// scenario (CI runs it so the bench cannot rot); quote the full run.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AccountRecord } from '../src/main/core/engine/types.js';
import { TOKEN_STATE_FIELD } from '../src/main/core/owner/durable-store.js';
import { Owner } from '../src/main/core/owner/owner.js';
import { providers } from '../src/main/core/providers/index.js';
import { ACCOUNTS_FILE } from '../src/main/core/storage/account-store.js';
import { PassphraseWrapper } from '../src/main/core/vault/key-wrappers.js';
import { openVault } from '../src/main/core/vault/vault.js';
import type { ProviderId } from '../src/shared/domain.js';

const quick = process.argv.includes('--quick');
const PASS = 'bench passphrase';
const FAST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };
const wrapper = () => new PassphraseWrapper(PASS, FAST_SCRYPT);

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface HostedGrant {
  providerId: ProviderId;
  url: string;
  settings: Record<string, string>;
  secrets: Record<string, string>;
}

/** Simulators in a child process (see bench/sim-host.ts), with `total` grants issued. */
async function startSimHost(total: number, ids: ProviderId[], accessTtlSec = 3600): Promise<{ grants: HostedGrant[]; close: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/sim-host.ts', String(total), ids.join(','), String(accessTtlSec)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let buffer = '';
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      buffer += d;
      const nl = buffer.indexOf('\n');
      if (nl >= 0) resolve(buffer.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`sim-host exited (${code})`)));
  });
  const { grants } = JSON.parse(line) as { grants: HostedGrant[] };
  return {
    grants,
    close: async () => {
      child.stdin.end();
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    },
  };
}

/** Writes one account per grant straight into a data dir (the CLI would take minutes for 10,000). */
async function seed(dir: string, grants: HostedGrant[], expiry: (i: number, now: number) => { obtainedAt: number; expiresAt: number }): Promise<void> {
  const now = Date.now();
  const vault = await openVault({ dir, wrapper: wrapper(), create: true });
  const accounts: AccountRecord[] = [];
  const writes: Promise<void>[] = [];
  grants.forEach((grant, i) => {
    const id = `bench-${i}`;
    const { obtainedAt, expiresAt } = expiry(i, now);
    const state = { expiresAt, expirySource: 'expires_in' as const, obtainedAt, lastRefreshAt: obtainedAt, tokenType: 'Bearer' };
    accounts.push({
      id,
      name: `${grant.providerId}-${i}`,
      providerId: grant.providerId,
      baseUrl: grant.providerId === 'oauth2' ? undefined : grant.url,
      environment: providers[grant.providerId].defaultEnvironment,
      settings: grant.settings,
      paused: false,
      status: 'active',
      ...state,
      createdAt: now,
      updatedAt: now,
    });
    writes.push(vault.replaceService(id, { ...grant.secrets, [TOKEN_STATE_FIELD]: JSON.stringify(state) }));
  });
  await Promise.all(writes);
  vault.close();
  await writeFile(path.join(dir, ACCOUNTS_FILE), JSON.stringify({ schemaVersion: 2, accounts, settings: {} }, undefined, '\t'), { mode: 0o600 });
}

async function withDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tokendesk-bench-engine-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const ALL: ProviderId[] = ['ups', 'pathstack', 'teamup', 'banyan', 'vaultist', 'oauth2'];

// ── 1. lateness ───────────────────────────────────────────────────────────
async function lateness(): Promise<void> {
  const count = quick ? 1_000 : 10_000;
  const windowMs = quick ? 10_000 : 60_000;
  const host = await startSimHost(count, ALL);
  try {
    await withDir(async (dir) => {
      // Deadlines spread evenly over the window, starting 5 s after seeding.
      await seed(dir, host.grants, (i, now) => {
        const lifetime = 3600_000;
        const deadline = now + 5_000 + (i / count) * windowMs;
        const margin = 12 * 60_000; // 20% of one hour
        return { obtainedAt: deadline + margin - lifetime, expiresAt: deadline + margin };
      });
      const t0 = performance.now();
      const owner = await Owner.open({ dataDir: dir, keyWrapper: async () => wrapper(), schedule: true, serveSocket: false, engine: { random: () => 0 } });
      const openMs = performance.now() - t0;
      const engine = owner.engine;
      const deadlines = new Map(engine.list().map((a) => [a.id, a.nextRefreshAt!]));
      const late: number[] = [];
      // Lateness = when the engine decided to refresh − the deadline it had scheduled.
      const original = engine.refresh.bind(engine);
      engine.refresh = (id, trigger) => {
        if (trigger === 'scheduled') late.push(Date.now() - deadlines.get(id)!);
        return original(id, trigger);
      };
      let finished = 0;
      let failed = 0;
      engine.on('refresh-finished', (o) => {
        finished++;
        if (!o.ok) failed++;
      });
      const deadline = Date.now() + windowMs + 30_000;
      while (finished < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      await owner.close();
      late.sort((a, b) => a - b);
      console.log(
        `lateness, ${count} accounts over ${windowMs / 1000} s: p50 ${percentile(late, 50)} ms, p99 ${percentile(late, 99)} ms, max ${late.at(-1)} ms ` +
          `(${late.length} scheduled, ${finished} finished, ${failed} failed; owner open ${openMs.toFixed(0)} ms)`,
      );
    });
  } finally {
    await host.close();
  }
}

// ── 2. idle CPU ───────────────────────────────────────────────────────────
/** CPU time (user + system, ms) of a process, from /proc (Linux). */
async function cpuMsOf(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

async function idleCpu(): Promise<void> {
  const count = 1_000;
  const seconds = quick ? 5 : 30;
  if (process.platform !== 'linux' || !existsSync('out/main/cli.js')) {
    console.log('idle CPU: skipped (needs Linux /proc and a build: npm run build)');
    return;
  }
  const host = await startSimHost(count, ALL);
  try {
    await withDir(async (dir) => {
      await seed(dir, host.grants, (_i, now) => ({ obtainedAt: now, expiresAt: now + 86_400_000 }));
      // The real owner process, as users run it: `tokendesk daemon`.
      const daemon = spawn(process.execPath, [...(process.env['BENCH_DAEMON_ARGS']?.split(' ') ?? []), 'out/main/cli.js', 'daemon', '--data-dir', dir], {
        env: { ...process.env, TOKENDESK_PASSPHRASE: PASS },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let log = '';
      daemon.stderr.on('data', (d: Buffer) => (log += d));
      try {
        const started = Date.now();
        while (!log.includes('tokendesk daemon: pid') && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 50));
        await new Promise((r) => setTimeout(r, 3_000));
        // Two windows: the first still holds V8's memory-reducer GCs of start-up garbage.
        const windows: number[] = [];
        for (let w = 0; w < 2; w++) {
          const before = await cpuMsOf(daemon.pid!);
          await new Promise((r) => setTimeout(r, seconds * 1000));
          windows.push((await cpuMsOf(daemon.pid!)) - before);
        }
        console.log(
          `idle CPU, ${count} accounts, nothing due, daemon process: ${windows.map((w) => `${w.toFixed(0)} ms`).join(' then ')} per ${seconds} s window ` +
            `(/proc resolution 10 ms)`,
        );
      } finally {
        daemon.kill('SIGTERM');
        await new Promise((r) => daemon.once('exit', r));
      }
    });
  } finally {
    await host.close();
  }
}

// ── 3. throughput ─────────────────────────────────────────────────────────
async function throughput(): Promise<void> {
  const accounts = quick ? 200 : 1_000;
  const concurrency = 4; // the engine's default per-provider cap
  // Twice the grants: the fetch loop uses up one half (rotation), the engine the other.
  const host = await startSimHost(2 * accounts, ['oauth2']);
  try {
    const spec = providers.oauth2;
    const forFetch = host.grants.slice(0, accounts);
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < forFetch.length) {
          const g = forFetch[next++]!;
          const req = spec.buildRefreshRequest({ id: 'x', settings: g.settings, secrets: g.secrets });
          const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
          await res.text();
        }
      }),
    );
    const fetchRate = accounts / ((performance.now() - t0) / 1000);

    await withDir(async (dir) => {
      await seed(dir, host.grants.slice(accounts), (_i, now) => ({ obtainedAt: now, expiresAt: now + 86_400_000 }));
      const owner = await Owner.open({ dataDir: dir, keyWrapper: async () => wrapper(), schedule: false, serveSocket: false, engine: { perProviderConcurrency: concurrency } });
      const ids = owner.engine.list().map((a) => a.id);
      const t1 = performance.now();
      const outcomes = await Promise.all(ids.map((id) => owner.engine.refresh(id, 'manual')));
      const engineRate = accounts / ((performance.now() - t1) / 1000);
      await owner.close();
      const failed = outcomes.filter((o) => !o.ok).length;
      console.log(
        `throughput, ${accounts} refreshes at concurrency ${concurrency}: engine ${engineRate.toFixed(0)}/s (durable saves, ${failed} failed), ` +
          `plain fetch ${fetchRate.toFixed(0)}/s → ratio ${(engineRate / fetchRate).toFixed(2)}`,
      );
    });
  } finally {
    await host.close();
  }
}

const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
console.log(`# bench/engine ${quick ? '(quick)' : ''} — node ${process.version}, ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join('/')}, ${new Date().toISOString()}`);
if (!only || only === 'throughput') await throughput();
if (!only || only === 'idle') await idleCpu();
if (!only || only === 'lateness') await lateness();
