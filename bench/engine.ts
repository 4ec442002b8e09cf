// Engine figures: node --import tsx bench/engine.ts [--quick]
//   1. scheduler lateness (p50/p99/max) with 10,000 accounts on one owner
//   2. CPU used while idle for 30 s with 1,000 accounts and nothing due
//   3. refresh throughput against a loopback simulator, as a ratio to a plain
//      fetch loop at the same concurrency (durable saves included)
//   4. RSS of the real daemon owning 10,000 accounts and 100,000 history rows
//   5. daemon start to its first scheduled refresh, 1,000 accounts
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
import { resolveEndpoints } from '../src/main/core/providers/call.js';
import { ACCOUNTS_FILE } from '../src/main/core/storage/account-store.js';
import { HISTORY_FILE } from '../src/main/core/storage/history-log.js';
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
async function seed(
  dir: string,
  grants: HostedGrant[],
  expiry: (i: number, now: number) => { obtainedAt: number; expiresAt: number },
  endpoints?: AccountRecord['endpoints'],
): Promise<void> {
  const now = Date.now();
  const vault = await openVault({ dir, wrapper: wrapper(), create: true });
  const accounts: AccountRecord[] = [];
  const writes: Promise<void>[] = [];
  grants.forEach((grant, i) => {
    const id = `bench-${i}`;
    const { obtainedAt, expiresAt } = expiry(i, now);
    const state = { expiresAt, expirySource: 'expires_in' as const, obtainedAt, lastRefreshAt: obtainedAt, tokenType: 'Bearer', ...(endpoints ? { endpoints } : {}) };
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

/**
 * `tokendesk daemon` as users run it: bin/tokendesk.js through its shebang (with the Node
 * flags there). BENCH_DAEMON_ARGS (profiling flags) runs the bin with node and those flags.
 */
function daemonCommand(dir: string): [string, string[]] {
  const extra = process.env['BENCH_DAEMON_ARGS']?.split(' ');
  const args = ['daemon', '--data-dir', dir];
  return extra ? [process.execPath, [...extra, 'bin/tokendesk.js', ...args]] : ['bin/tokendesk.js', args];
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
      const daemon = spawn(...daemonCommand(dir), {
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
/** CPU time (user + system, ms, every thread of this process) since `start`: steadier than rates on a shared machine. */
function cpuMsSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}

async function throughput(): Promise<void> {
  const accounts = quick ? 200 : 1_000;
  const concurrency = 4; // the engine's default per-provider cap
  // Twice the grants: the fetch loop uses up one half (rotation), the engine the other.
  const host = await startSimHost(2 * accounts, ['oauth2']);
  try {
    const spec = providers.oauth2;
    const forFetch = host.grants.slice(0, accounts);
    let next = 0;
    // Discovery once, outside the timed loop: the engine keeps what it discovered with each
    // account's tokens, so its accounts are seeded with it too (as after their first refresh).
    const first = forFetch[0]!;
    const endpoints = await resolveEndpoints(spec, { id: 'x', settings: first.settings, secrets: first.secrets }, {});
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < forFetch.length) {
          const g = forFetch[next++]!;
          const req = spec.buildRefreshRequest({ id: 'x', settings: g.settings, secrets: g.secrets }, endpoints);
          const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
          await res.text();
        }
      }),
    );
    const fetchRate = accounts / ((performance.now() - t0) / 1000);
    const fetchCpu = cpuMsSince(c0) / accounts;

    await withDir(async (dir) => {
      await seed(dir, host.grants.slice(accounts), (_i, now) => ({ obtainedAt: now, expiresAt: now + 86_400_000 }), endpoints);
      const owner = await Owner.open({ dataDir: dir, keyWrapper: async () => wrapper(), schedule: false, serveSocket: false, engine: { perProviderConcurrency: concurrency } });
      const ids = owner.engine.list().map((a) => a.id);
      const t1 = performance.now();
      const c1 = process.cpuUsage();
      const outcomes = await Promise.all(ids.map((id) => owner.engine.refresh(id, 'manual')));
      const engineRate = accounts / ((performance.now() - t1) / 1000);
      const engineCpu = cpuMsSince(c1) / accounts;
      await owner.close();
      const failed = outcomes.filter((o) => !o.ok).length;
      console.log(
        `throughput, ${accounts} refreshes at concurrency ${concurrency}: engine ${engineRate.toFixed(0)}/s (durable saves, ${failed} failed), ` +
          `plain fetch ${fetchRate.toFixed(0)}/s → ratio ${(engineRate / fetchRate).toFixed(2)}; ` +
          `CPU of this process per refresh ${engineCpu.toFixed(2)} ms vs ${fetchCpu.toFixed(2)} ms per fetch`,
      );
    });
  } finally {
    await host.close();
  }
}

// ── 4. memory ─────────────────────────────────────────────────────────────
/** Resident set size (MiB) of a process, from /proc (Linux). */
async function rssMibOf(pid: number): Promise<number> {
  const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return kb / 1024;
}

/** `tokendesk daemon` on `dir`, as users run it (the real scrypt passphrase unlock included). */
async function startDaemon(dir: string): Promise<{ pid: number; log: () => string; spawnedAt: number; stop: () => Promise<void> }> {
  const spawnedAt = Date.now();
  const daemon = spawn(...daemonCommand(dir), {
    env: { ...process.env, TOKENDESK_PASSPHRASE: PASS },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  daemon.stderr.on('data', (d: Buffer) => (log += d));
  const started = Date.now();
  while (!log.includes('tokendesk daemon: pid') && Date.now() - started < 60_000) {
    if (daemon.exitCode !== null) throw new Error(`the daemon exited: ${log}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    pid: daemon.pid!,
    log: () => log,
    spawnedAt,
    stop: async () => {
      daemon.kill('SIGTERM');
      if (daemon.exitCode === null) await new Promise((r) => daemon.once('exit', r));
    },
  };
}

/** History rows straight into history.jsonl, `perAccount` per account, as the engine writes them. */
async function seedHistory(dir: string, accountIds: string[], perAccount: number): Promise<number> {
  const now = Date.now();
  const lines = [JSON.stringify({ schemaVersion: 1, format: 'tokendesk-history' })];
  for (let n = 0; n < perAccount; n++) {
    for (const [i, accountId] of accountIds.entries()) {
      const failed = (n + i) % 7 === 0;
      lines.push(
        JSON.stringify({
          id: `h-${n}-${i}`,
          accountId,
          at: now - (perAccount - n) * 3_600_000,
          trigger: 'scheduled',
          outcome: failed ? 'error' : 'ok',
          ...(failed ? { errorClass: 'transient', httpStatus: 503, message: 'Service unavailable (HTTP 503); retrying' } : { newExpiresAt: now + 3_600_000, rotated: true }),
          durationMs: 40 + ((n * 31 + i) % 200),
        }),
      );
    }
  }
  await writeFile(path.join(dir, HISTORY_FILE), lines.join('\n') + '\n', { mode: 0o600 });
  return lines.length - 1;
}

async function memory(): Promise<void> {
  const count = Number(process.env['BENCH_MEMORY_ACCOUNTS'] ?? (quick ? 1_000 : 10_000));
  const rowsPerAccount = Number(process.env['BENCH_MEMORY_ROWS_PER_ACCOUNT'] ?? 10);
  if (process.platform !== 'linux' || !existsSync('out/main/cli.js')) {
    console.log('memory: skipped (needs Linux /proc and a build: npm run build)');
    return;
  }
  const host = await startSimHost(count, ALL);
  try {
    await withDir(async (dir) => {
      await seed(dir, host.grants, (_i, now) => ({ obtainedAt: now, expiresAt: now + 86_400_000 }));
      const rows = await seedHistory(dir, host.grants.map((_g, i) => `bench-${i}`), rowsPerAccount);
      const daemon = await startDaemon(dir);
      try {
        const atStart = await rssMibOf(daemon.pid);
        // Settled: after the start-up garbage is collected (V8's memory reducer, and the daemon's
        // own heap trim once it has been idle for a few seconds: src/cli/heap-trim.ts).
        await new Promise((r) => setTimeout(r, quick ? 3_000 : 10_000));
        const after10s = await rssMibOf(daemon.pid);
        await new Promise((r) => setTimeout(r, quick ? 0 : 20_000));
        const settled = await rssMibOf(daemon.pid);
        // Profiling aid: BENCH_DAEMON_ARGS=--heapsnapshot-signal=SIGUSR2 BENCH_HEAP_SNAPSHOT=1 writes Heap*.heapsnapshot.
        if (process.env['BENCH_HEAP_SNAPSHOT']) {
          process.kill(daemon.pid, 'SIGUSR2');
          await new Promise((r) => setTimeout(r, 20_000));
          console.log(`memory: RSS ${(await rssMibOf(daemon.pid)).toFixed(0)} MiB after the snapshot's full GC`);
        }
        console.log(
          `memory, daemon with ${count} accounts and ${rows} history rows: RSS ${atStart.toFixed(0)} MiB when ready, ${after10s.toFixed(0)} MiB 10 s later, ${settled.toFixed(0)} MiB settled (30 s) ` +
            `(target ≤ 150 MB = ${(150e6 / 2 ** 20).toFixed(0)} MiB)`,
        );
      } finally {
        await daemon.stop();
      }
    });
  } finally {
    await host.close();
  }
}

// ── 5. start to first scheduled refresh ──────────────────────────────────
async function startup(): Promise<void> {
  const count = 1_000;
  const runs = quick ? 2 : 7;
  if (!existsSync('out/main/cli.js')) {
    console.log('start-up: skipped (needs a build: npm run build)');
    return;
  }
  const host = await startSimHost(count, ALL);
  try {
    const spans: { firstMs: number; readyMs: number }[] = [];
    for (let run = 0; run < runs; run++) {
      await withDir(async (dir) => {
        // Every account fresh for a day except the last, which expired a minute ago: due at start.
        await seed(dir, host.grants, (i, now) => (i === count - 1 ? { obtainedAt: now - 3_660_000, expiresAt: now - 60_000 } : { obtainedAt: now, expiresAt: now + 86_400_000 }));
        const daemon = await startDaemon(dir);
        try {
          const readyMs = Date.now() - daemon.spawnedAt;
          const until = Date.now() + 20_000;
          let line: RegExpExecArray | null = null;
          while (!(line = /^(\S+Z) bench-\d+ (?:scheduled|startup) /m.exec(daemon.log())) && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
          if (!line) throw new Error(`no scheduled refresh within 20 s: ${daemon.log()}`);
          // The logged time is when the refresh started (RefreshEvent.at); an overdue account's is
          // the start-up catch-up, the scheduler's first decision.
          spans.push({ firstMs: Date.parse(line[1]!) - daemon.spawnedAt, readyMs });
        } finally {
          await daemon.stop();
        }
      });
    }
    const first = spans.map((s) => s.firstMs).sort((a, b) => a - b);
    const ready = spans.map((s) => s.readyMs).sort((a, b) => a - b);
    console.log(
      `start-up, ${count} accounts, spawn of \`tokendesk daemon\` (passphrase unlock included) to its first scheduled refresh: median ${percentile(first, 50)} ms ` +
        `(${first[0]}–${first.at(-1)} ms over ${runs} runs; "ready" logged at median ${percentile(ready, 50)} ms; target ≤ 500 ms)`,
    );
  } finally {
    await host.close();
  }
}

const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
console.log(`# bench/engine ${quick ? '(quick)' : ''} — node ${process.version}, ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join('/')}, ${new Date().toISOString()}`);
if (!only || only === 'throughput') await throughput();
if (!only || only === 'idle') await idleCpu();
if (!only || only === 'lateness') await lateness();
if (!only || only === 'memory') await memory();
if (!only || only === 'startup') await startup();
