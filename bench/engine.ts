// Engine figures: node --import tsx bench/engine.ts [--quick]
//   1. scheduler lateness (p50/p99/max) with 10,000 accounts on one owner
//   2. CPU used while idle for 30 s with 1,000 accounts and nothing due
//   3. refresh throughput against a loopback simulator, as a ratio to a plain
//      fetch loop at the same concurrency (durable saves included)
// Real files in a temp dir, real simulators on 127.0.0.1. --quick shrinks every
// scenario (CI runs it so the bench cannot rot); quote the full run.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AccountRecord } from '../src/main/core/engine/types.js';
import { Owner } from '../src/main/core/owner/owner.js';
import { providers } from '../src/main/core/providers/index.js';
import { ACCOUNTS_FILE } from '../src/main/core/storage/account-store.js';
import { PassphraseWrapper } from '../src/main/core/vault/key-wrappers.js';
import { openVault } from '../src/main/core/vault/vault.js';
import { startSimulator, type Simulator } from '../src/simulators/index.js';
import type { ProviderId } from '../src/shared/domain.js';

const quick = process.argv.includes('--quick');
const PASS = 'bench passphrase';
const FAST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };
const wrapper = () => new PassphraseWrapper(PASS, FAST_SCRYPT);

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Writes N accounts straight into a data dir (the CLI would take minutes for 10,000). */
async function seed(dir: string, sims: Simulator[], count: number, expiry: (i: number, now: number) => { obtainedAt: number; expiresAt: number }): Promise<void> {
  const now = Date.now();
  const vault = await openVault({ dir, wrapper: wrapper(), create: true });
  const accounts: AccountRecord[] = [];
  const writes: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const sim = sims[i % sims.length]!;
    const grant = sim.issue();
    const id = `bench-${i}`;
    const { obtainedAt, expiresAt } = expiry(i, now);
    accounts.push({
      id,
      name: `${sim.providerId}-${i}`,
      providerId: sim.providerId,
      baseUrl: sim.providerId === 'oauth2' ? undefined : sim.url,
      environment: providers[sim.providerId].defaultEnvironment,
      settings: grant.settings,
      paused: false,
      status: 'active',
      expiresAt,
      expirySource: 'expires_in',
      obtainedAt,
      lastRefreshAt: obtainedAt,
      tokenType: 'Bearer',
      createdAt: now,
      updatedAt: now,
    });
    writes.push(vault.replaceService(id, grant.secrets));
  }
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

async function startSims(ids: ProviderId[], accessTtlSec = 3600): Promise<Simulator[]> {
  return Promise.all(ids.map((id) => startSimulator(id, { accessTtlSec })));
}

const ALL: ProviderId[] = ['ups', 'pathstack', 'teamup', 'banyan', 'vaultist', 'oauth2'];

// ── 1. lateness ───────────────────────────────────────────────────────────
async function lateness(): Promise<void> {
  const count = quick ? 1_000 : 10_000;
  const windowMs = quick ? 10_000 : 60_000;
  const sims = await startSims(ALL);
  try {
    await withDir(async (dir) => {
      // Deadlines spread evenly over the window, starting 3 s after the owner opens.
      await seed(dir, sims, count, (i, now) => {
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
    await Promise.all(sims.map((s) => s.close()));
  }
}

// ── 2. idle CPU ───────────────────────────────────────────────────────────
async function idleCpu(): Promise<void> {
  const count = 1_000;
  const seconds = quick ? 5 : 30;
  const sims = await startSims(ALL);
  try {
    await withDir(async (dir) => {
      await seed(dir, sims, count, (_i, now) => ({ obtainedAt: now, expiresAt: now + 86_400_000 }));
      const owner = await Owner.open({ dataDir: dir, keyWrapper: async () => wrapper(), schedule: true, serveSocket: false });
      await new Promise((r) => setTimeout(r, 500)); // let start-up settle
      const before = process.cpuUsage();
      await new Promise((r) => setTimeout(r, seconds * 1000));
      const used = process.cpuUsage(before);
      await owner.close();
      const ms = (used.user + used.system) / 1000;
      console.log(`idle CPU, ${count} accounts, nothing due, ${seconds} s: ${ms.toFixed(1)} ms (${((ms / seconds) * 30).toFixed(1)} ms per 30 s)`);
    });
  } finally {
    await Promise.all(sims.map((s) => s.close()));
  }
}

// ── 3. throughput ─────────────────────────────────────────────────────────
async function throughput(): Promise<void> {
  const accounts = quick ? 200 : 1_000;
  const concurrency = 4; // the engine's default per-provider cap
  const [sim] = await startSims(['oauth2']);
  try {
    // Plain fetch loop: the same refresh requests, no parsing, no saving.
    const grants = Array.from({ length: accounts }, () => sim!.issue());
    const spec = providers.oauth2;
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < grants.length) {
          const g = grants[next++]!;
          const req = spec.buildRefreshRequest({ id: 'x', settings: g.settings, secrets: g.secrets });
          const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
          await res.text();
        }
      }),
    );
    const fetchRate = accounts / ((performance.now() - t0) / 1000);

    await withDir(async (dir) => {
      await seed(dir, [sim!], accounts, (_i, now) => ({ obtainedAt: now, expiresAt: now + 86_400_000 }));
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
    await sim!.close();
  }
}

const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
console.log(`# bench/engine ${quick ? '(quick)' : ''} — node ${process.version}, ${new Date().toISOString()}`);
if (!only || only === 'throughput') await throughput();
if (!only || only === 'idle') await idleCpu();
if (!only || only === 'lateness') await lateness();
