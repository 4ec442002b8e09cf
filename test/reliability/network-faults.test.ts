// Network faults: hangs, resets, slow trickling bodies, refused connections and DNS
// failure, met by a real scheduling owner (temp data dir, the engine's own timer) against the
// real simulators on 127.0.0.1. Each must be classified (transient, with a message that names
// the problem and no secret), retried with backoff BEFORE the access token expires, and the
// account must come back by itself once the fault clears — never stuck in 'refreshing'.
// A mixed storm then throws random faults at accounts of every provider for a while, clears
// them, and requires every account active again within a bound.
//
// Scale: RELIABILITY_SCALE=full runs the storm with more accounts for longer.
// RELIABILITY_SEED=<seed> replays the storm's fault sequence.
import { randomBytes } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { describe, expect, it, type TestContext } from 'vitest';
import type { AccountView } from '../../src/main/core/engine/types.js';
import type { Owner } from '../../src/main/core/owner/owner.js';
import { startSimulator, type Fault, type Simulator, type SimulatorOptions } from '../../src/simulators/index.js';
import { PROVIDER_IDS, type ProviderId, type RefreshEvent } from '../../src/shared/domain.js';
import { call, openTestOwner, tempDir, waitFor } from '../helpers/temp-owner.js';
import { mulberry32, stats } from './support/stats.js';

const FULL = process.env['RELIABILITY_SCALE'] === 'full';
const SEED = process.env['RELIABILITY_SEED'] ?? randomBytes(4).toString('hex');
/** Access-token lifetime: refreshed at half of it (margin ≤ lifetime / 2), so the retry window is TTL/2. */
const TTL_SEC = 6;
const ENGINE = { timeoutMs: 300, backoffBaseMs: 100, backoffCapMs: 400, clockCheckMs: 1_000 };

/**
 * What one test started, closed when that test finishes. The scenario tests run concurrently:
 * the hook must come from the test's own context (the global one may attach to another test).
 */
type Cleanups = (() => Promise<unknown>)[];
function cleanupsForThisTest(ctx: TestContext): Cleanups {
  const cleanups: Cleanups = [];
  ctx.onTestFinished(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => undefined);
  });
  return cleanups;
}

type SecretReader = { store: { readSecrets(id: string): Promise<Record<string, string>> } };
const readSecrets = (o: Owner, id: string) => (o.engine as unknown as SecretReader).store.readSecrets(id);

async function startSim(cleanups: Cleanups, id: ProviderId, options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = await startSimulator(id, { accessTtlSec: TTL_SEC, ...options });
  cleanups.push(() => sim.close());
  return sim;
}

async function startOwner(cleanups: Cleanups, engine: Record<string, number> = ENGINE): Promise<Owner> {
  const t = await tempDir('tokendesk-netfaults-');
  cleanups.push(t.cleanup);
  const o = await openTestOwner(t.dir, { engine });
  cleanups.push(() => o.close());
  return o;
}

/** Watches one account's views: how long each 'refreshing' lasted, and every status seen. */
function watch(o: Owner, accountId: string) {
  const seen: { at: number; status: string }[] = [];
  let refreshingSince: number | undefined;
  const refreshingSpells: number[] = [];
  o.engine.on('account-changed', (view: AccountView) => {
    if (view.id !== accountId) return;
    const at = Date.now();
    seen.push({ at, status: view.status });
    if (view.status === 'refreshing') refreshingSince ??= at;
    else if (refreshingSince !== undefined) {
      refreshingSpells.push(at - refreshingSince);
      refreshingSince = undefined;
    }
  });
  return { seen, refreshingSpells, stillRefreshingFor: () => (refreshingSince === undefined ? 0 : Date.now() - refreshingSince) };
}

async function history(o: Owner, accountId: string): Promise<RefreshEvent[]> {
  return (await call(o, 'history.list', { account: accountId, limit: 10_000 })).reverse();
}

interface Scenario {
  name: string;
  provider: ProviderId;
  simOptions?: SimulatorOptions;
  /** The fault and what its message must say. */
  fault: Fault;
  message: RegExp;
}

// The request's whole exchange is bounded by timeoutMs (300 ms): a hang or a trickle ends there.
const SCENARIOS: Scenario[] = [
  { name: 'hang (the server never answers)', provider: 'ups', fault: { kind: 'hang' }, message: /No complete answer from http:\/\/127\.0\.0\.1:\d+ within 0\.3 s/ },
  { name: 'reset (socket destroyed mid-request)', provider: 'oauth2', fault: { kind: 'reset' }, message: /Network error contacting http:\/\/127\.0\.0\.1:\d+: (connection reset|connection closed by the server)/ },
  { name: 'closed after a pause, no answer', provider: 'teamup', fault: { kind: 'close', afterMs: 100 }, message: /Network error contacting .*connection (closed by the server|reset)/ },
  // A trickle is a real answer sent slowly: the vendor has already refreshed. Banyan does not
  // rotate, so the refresh token sent stays good (on a rotating vendor with strict reuse
  // detection, an answer that never arrives is a spent refresh token no client can recover).
  { name: 'trickle (2 bytes/s body, past the timeout)', provider: 'banyan', fault: { kind: 'trickle', bytesPerSec: 2 }, message: /No complete answer .* within 0\.3 s/ },
  {
    name: 'trickle on a rotating vendor with a reuse grace (reuse detection off)',
    provider: 'vaultist',
    simOptions: { reuseDetection: false },
    fault: { kind: 'trickle', bytesPerSec: 2 },
    message: /No complete answer .* within 0\.3 s/,
  },
];

async function addAccount(o: Owner, sim: Simulator, name: string, baseUrl?: string) {
  const grant = sim.issue();
  const { access_token: _a, ...values } = { ...grant.settings, ...grant.secrets };
  return call(o, 'accounts.add', { providerId: sim.providerId, name, baseUrl: sim.providerId === 'oauth2' ? undefined : (baseUrl ?? sim.url), values });
}

/**
 * The common checks once a fault has been installed on an account whose current token expires
 * at `expiresAt`: failures classified and retried with backoff before the expiry, never stuck.
 * Returns the failures seen before the expiry.
 */
async function expectRetriedBeforeExpiry(o: Owner, accountId: string, expiresAt: number, message: RegExp, secrets: string[]): Promise<RefreshEvent[]> {
  // Let the window play out until just before the token dies.
  await new Promise((r) => setTimeout(r, Math.max(0, expiresAt - 150 - Date.now())));
  const events = (await history(o, accountId)).filter((e) => e.at >= expiresAt - TTL_SEC * 1000 && e.outcome === 'error');
  const beforeExpiry = events.filter((e) => e.at + e.durationMs < expiresAt);
  // The scheduled attempt plus at least two retries, all before the access token expired.
  expect(beforeExpiry.length, 'attempts before the access token expired').toBeGreaterThanOrEqual(3);
  expect(beforeExpiry[0]!.trigger).toBe('scheduled');
  expect(beforeExpiry.slice(1).every((e) => e.trigger === 'retry')).toBe(true);
  for (const e of beforeExpiry) {
    expect(e.errorClass).toBe('transient');
    expect(e.message).toMatch(message);
    for (const s of secrets) expect(e.message!.includes(s), 'a secret in the history message').toBe(false);
  }
  // Backoff: never tighter than the engine's 250 ms floor between the end of one try and the next.
  for (let i = 1; i < beforeExpiry.length; i++) {
    const prev = beforeExpiry[i - 1]!;
    expect(beforeExpiry[i]!.at - (prev.at + prev.durationMs)).toBeGreaterThanOrEqual(200);
  }
  const view = o.engine.get(accountId);
  expect(['retrying', 'refreshing']).toContain(view.status);
  expect(view.retryAttempt).toBeGreaterThanOrEqual(1);
  return beforeExpiry;
}

/** After the fault cleared: active again with a fresh, vendor-valid token, nothing pending (a refresh's row, not the edit that fixed the base URL). */
async function expectRecovered(o: Owner, sim: Simulator, accountId: string, oldAccessToken: string | undefined, clearedAt: number): Promise<number> {
  const ok = await waitFor('a successful refresh after the fault cleared', async () => (await history(o, accountId)).find((e) => e.action === 'refreshed' && e.outcome === 'ok' && e.at >= clearedAt - 50), 8_000).catch(async (err: unknown) => {
    const v = o.engine.get(accountId);
    const tail = (await history(o, accountId)).slice(-4).map((e) => `${e.at - clearedAt} ${e.trigger} ${e.outcome} ${e.errorClass ?? ''} ${e.durationMs.toFixed(0)}ms ${e.message ?? ''}`);
    throw new Error(`${(err as Error).message}; status ${v.status}, next ${v.nextRefreshAt === undefined ? 'none' : v.nextRefreshAt - Date.now()} ms, engine next ${(o.engine.nextDeadline() ?? 0) - Date.now()}; last events (ms after clear): ${tail.join(' | ')}`);
  });
  // The history row is written before the next deadline is queued: wait for both.
  await waitFor('the account to settle', () => o.engine.get(accountId).status === 'active' && o.engine.get(accountId).nextRefreshAt !== undefined, 2_000);
  const view = o.engine.get(accountId);
  expect(view.status).toBe('active');
  expect(view.retryAttempt).toBe(0);
  expect(view.nextRefreshAt).toBeDefined();
  expect(o.engine.nextDeadline()).toBeDefined();
  const token = o.engine.peekAccessToken(accountId)!;
  expect(token === oldAccessToken, 'the access token was replaced').toBe(false); // compared, never printed
  expect(sim.isValidAccessToken(token)).toBe(true);
  expect(sim.isValidRefreshToken((await readSecrets(o, accountId))['refresh_token']!)).toBe(true);
  return ok.at + ok.durationMs - clearedAt;
}

const figures: string[] = [];

// Independent owners and simulators: the scenarios run side by side (each waits out a token's life).
describe.concurrent('network faults', () => {
  it.for(SCENARIOS)('$name: classified, retried before expiry, recovers by itself', { timeout: 20_000 }, async (s, ctx) => {
    const cleanups = cleanupsForThisTest(ctx);
    const sim = await startSim(cleanups, s.provider, s.simOptions);
    const o = await startOwner(cleanups);
    const acct = await addAccount(o, sim, `net-${s.provider}`);
    const watcher = watch(o, acct.id);
    await waitFor('the first refresh', () => o.engine.get(acct.id).status === 'active' && o.engine.get(acct.id).hasAccessToken, 5_000);
    const { expiresAt } = o.engine.get(acct.id);
    const oldToken = o.engine.peekAccessToken(acct.id);
    const secrets = Object.values(await readSecrets(o, acct.id));
    expect(expiresAt! - Date.now()).toBeGreaterThan(TTL_SEC * 1000 * 0.6); // the fault lands before the scheduled refresh

    sim.fail(s.fault, Infinity);
    const failures = await expectRetriedBeforeExpiry(o, acct.id, expiresAt!, s.message, secrets);
    const clearedAt = Date.now();
    sim.clearFaults();
    const recoveryMs = await expectRecovered(o, sim, acct.id, oldToken, clearedAt);

    // Never stuck: every 'refreshing' ended within the request timeout (plus scheduling slack).
    expect(watcher.stillRefreshingFor()).toBe(0);
    expect(Math.max(...watcher.refreshingSpells)).toBeLessThan(ENGINE.timeoutMs + 700);
    expect(watcher.seen.some((v) => v.status === 'reauth_required' || v.status === 'config_error')).toBe(false);
    figures.push(`${s.name}: ${failures.length - 1} retries before expiry (${failures.length} failed tries), recovered ${recoveryMs.toFixed(0)} ms after the fault cleared`);
    console.log(`network fault — ${figures.at(-1)}`);
  });

  it('connection refused (closed port): classified, retried before expiry, recovers when the port opens again', async (ctx) => {
    const cleanups = cleanupsForThisTest(ctx);
    const sim = await startSim(cleanups, 'pathstack');
    const proxy = await TcpProxy.start(Number(new URL(sim.url).port));
    cleanups.push(() => proxy.close());
    const o = await startOwner(cleanups);
    const acct = await addAccount(o, sim, 'refused', `http://127.0.0.1:${proxy.port}`);
    const watcher = watch(o, acct.id);
    await waitFor('the first refresh', () => o.engine.get(acct.id).status === 'active' && o.engine.get(acct.id).hasAccessToken, 5_000);
    const { expiresAt } = o.engine.get(acct.id);
    const oldToken = o.engine.peekAccessToken(acct.id);
    const secrets = Object.values(await readSecrets(o, acct.id));

    await proxy.close(); // nothing listens on the port now: ECONNREFUSED
    const failures = await expectRetriedBeforeExpiry(o, acct.id, expiresAt!, /Network error contacting http:\/\/127\.0\.0\.1:\d+: connection refused \(ECONNREFUSED\)/, secrets);
    const clearedAt = Date.now();
    await proxy.reopen();
    const recoveryMs = await expectRecovered(o, sim, acct.id, oldToken, clearedAt);
    expect(watcher.stillRefreshingFor()).toBe(0);
    expect(Math.max(...watcher.refreshingSpells)).toBeLessThan(ENGINE.timeoutMs + 700);
    figures.push(`connection refused: ${failures.length - 1} retries before expiry, recovered ${recoveryMs.toFixed(0)} ms after the port reopened`);
    console.log(`network fault — ${figures.at(-1)}`);
  }, 20_000);

  it('DNS failure (a host under .invalid): classified, retried with backoff, never stuck; back once the host is corrected', async (ctx) => {
    // Plain http is allowed on loopback only, so the unresolvable host is an https base URL
    // (accepted for any host). The sim's grant supplies a live access token with its lifetime.
    const cleanups = cleanupsForThisTest(ctx);
    const sim = await startSim(cleanups, 'vaultist');
    const o = await startOwner(cleanups);
    const grant = sim.issue();
    const acct = await call(o, 'accounts.add', {
      providerId: 'vaultist',
      name: 'dns',
      baseUrl: 'https://tokendesk-nonexistent.invalid',
      values: { ...grant.settings, ...grant.secrets },
      accessTokenExpiresInSeconds: TTL_SEC,
    });
    const watcher = watch(o, acct.id);
    const { expiresAt } = o.engine.get(acct.id);
    const oldToken = o.engine.peekAccessToken(acct.id);
    const failures = await expectRetriedBeforeExpiry(o, acct.id, expiresAt!, /Network error contacting https:\/\/tokendesk-nonexistent\.invalid: (host not found \(ENOTFOUND\)|DNS lookup failed \(EAI_AGAIN\))/, Object.values(grant.secrets));
    // The fault "clears" the only way a wrong host can: the user corrects the base URL.
    const clearedAt = Date.now();
    await call(o, 'accounts.update', { account: acct.id, baseUrl: sim.url });
    const recoveryMs = await expectRecovered(o, sim, acct.id, oldToken, clearedAt);
    expect(watcher.stillRefreshingFor()).toBe(0);
    figures.push(`DNS failure: ${failures.length - 1} retries before expiry, recovered ${recoveryMs.toFixed(0)} ms after the base URL was corrected`);
    console.log(`network fault — ${figures.at(-1)}`);
  }, 20_000);

  it('a backoff longer than the token has left: one more try still lands before the expiry', async (ctx) => {
    // Backoff ceilings of 2, 4, 8 s against a 3 s retry window: without care the second or third
    // retry would come after the access token died.
    const cleanups = cleanupsForThisTest(ctx);
    const sim = await startSim(cleanups, 'oauth2');
    const o = await startOwner(cleanups, { ...ENGINE, backoffBaseMs: 2_000, backoffCapMs: 60_000 });
    const acct = await addAccount(o, sim, 'slow-backoff');
    await waitFor('the first refresh', () => o.engine.get(acct.id).status === 'active' && o.engine.get(acct.id).hasAccessToken, 5_000);
    const { expiresAt } = o.engine.get(acct.id);
    sim.fail({ kind: 'reset' }, Infinity);
    await new Promise((r) => setTimeout(r, Math.max(0, expiresAt! - 100 - Date.now())));
    const events = (await history(o, acct.id)).filter((e) => e.outcome === 'error');
    // The scheduled try, then retries that never overshoot the expiry: the last is close to it.
    expect(events.length).toBeGreaterThanOrEqual(3);
    const last = events.at(-1)!;
    expect(expiresAt! - last.at).toBeLessThan(1_200);
    // Past the expiry plain backoff resumes (its next try may be many seconds off): a manual
    // refresh shows the account is not bricked.
    sim.clearFaults();
    const { outcome, account } = await call(o, 'accounts.refresh', { account: acct.id });
    expect(outcome.ok).toBe(true);
    expect(account.status).toBe('active');
    expect(sim.isValidAccessToken(o.engine.peekAccessToken(acct.id)!)).toBe(true);
    console.log(`network fault — slow backoff: ${events.length - 1} retries, the last ${expiresAt! - last.at} ms before the expiry`);
  }, 20_000);
});

// ── mixed storm ───────────────────────────────────────────────────────────

describe('mixed storm', () => {
  const PER_PROVIDER = FULL ? 10 : 2;
  const STORM_MS = FULL ? 30_000 : 7_000;
  const RECOVERY_BOUND_MS = 6_000;

  it(`${PER_PROVIDER * PROVIDER_IDS.length} accounts across all providers under random network faults for ${STORM_MS / 1000} s, then every one active within ${RECOVERY_BOUND_MS / 1000} s`, async (ctx) => {
    const cleanups = cleanupsForThisTest(ctx);
    const random = mulberry32(Number.parseInt(SEED.slice(0, 8), 16));
    const sims = {} as Record<ProviderId, Simulator>;
    for (const id of PROVIDER_IDS) sims[id] = await startSim(cleanups, id);
    const o = await startOwner(cleanups);
    const accounts: { id: string; provider: ProviderId }[] = [];
    for (const id of PROVIDER_IDS) {
      for (let i = 0; i < PER_PROVIDER; i++) accounts.push({ id: (await addAccount(o, sims[id], `storm-${id}-${i}`)).id, provider: id });
    }
    await waitFor('every first refresh', () => accounts.every((a) => o.engine.get(a.id).status === 'active' && o.engine.get(a.id).hasAccessToken), 10_000);
    const watchers = new Map(accounts.map((a) => [a.id, watch(o, a.id)]));

    // None of these lets the vendor rotate before the answer is lost (a trickle would, see above),
    // so every account must come back without the user.
    const FAULTS: Fault[] = [
      { kind: 'hang' },
      { kind: 'reset' },
      { kind: 'close', afterMs: 50 },
      { kind: 'unavailable' },
      { kind: 'server_error' },
      { kind: 'rate_limit', retryAfterSec: 1 },
      { kind: 'raw', status: 200, headers: { 'content-type': 'application/json' }, body: '{"access_token":' },
    ];
    const faultsUsed: Record<string, number> = {};
    const stormStart = Date.now();
    while (Date.now() - stormStart < STORM_MS) {
      for (const id of PROVIDER_IDS) {
        sims[id].clearFaults();
        // Mostly faulty, sometimes healthy: a flapping network.
        if (random() < 0.8) {
          const fault = FAULTS[Math.floor(random() * FAULTS.length)]!;
          sims[id].fail(fault, 1 + Math.floor(random() * 5));
          faultsUsed[fault.kind] = (faultsUsed[fault.kind] ?? 0) + 1;
        }
      }
      await new Promise((r) => setTimeout(r, 200 + random() * 400));
    }
    const clearedAt = Date.now();
    for (const id of PROVIDER_IDS) sims[id].clearFaults();

    // Recovery: every account active with a token its vendor honours.
    const recovered = new Map<string, number>();
    await waitFor(
      'every account active again',
      () => {
        for (const a of accounts) {
          if (recovered.has(a.id)) continue;
          const view = o.engine.get(a.id);
          const token = o.engine.peekAccessToken(a.id);
          if (view.status === 'active' && token && sims[a.provider].isValidAccessToken(token)) recovered.set(a.id, Date.now() - clearedAt);
        }
        return recovered.size === accounts.length;
      },
      RECOVERY_BOUND_MS,
    );

    const events: RefreshEvent[] = await call(o, 'history.list', { limit: 10_000 });
    const during = events.filter((e) => e.at >= stormStart);
    const retries = during.filter((e) => e.trigger === 'retry').length;
    const byClass: Record<string, number> = {};
    for (const e of during) byClass[e.errorClass ?? 'ok'] = (byClass[e.errorClass ?? 'ok'] ?? 0) + 1;
    const times = [...recovered.values()];
    for (const a of accounts) {
      const view = o.engine.get(a.id);
      expect(view.status).toBe('active');
      expect(view.nextRefreshAt).toBeDefined();
      expect(watchers.get(a.id)!.stillRefreshingFor()).toBe(0);
      expect(Math.max(0, ...watchers.get(a.id)!.refreshingSpells)).toBeLessThan(ENGINE.timeoutMs + 1_500);
      expect(sims[a.provider].isValidRefreshToken((await readSecrets(o, a.id))['refresh_token']!)).toBe(true);
    }
    const summary = [
      `mixed storm (seed ${SEED}): ${accounts.length} accounts, ${STORM_MS / 1000} s of faults (${Object.entries(faultsUsed).map(([k, v]) => `${k} ${v}`).join(', ')})`,
      `  refreshes during the storm: ${during.length} (${Object.entries(byClass).map(([k, v]) => `${k} ${v}`).join(', ')}), retries ${retries}`,
      `  time to recover after the faults cleared: p50 ${stats(times).p50} ms, max ${Math.max(...times)} ms (bound ${RECOVERY_BOUND_MS} ms)`,
    ];
    console.log(summary.join('\n'));
    expect(during.length).toBeGreaterThan(accounts.length);
    expect(retries).toBeGreaterThan(0);
    expect(byClass['reauth_required'] ?? 0).toBe(0);
    expect(byClass['config_error'] ?? 0).toBe(0);
    expect(Math.max(...times)).toBeLessThan(RECOVERY_BOUND_MS);
  }, 120_000);
});

// ── a TCP forwarder whose port can be closed (connection refused) and opened again ──

class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly target: number,
    public port: number,
  ) {}

  static async start(target: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(target, 0);
    await proxy.reopen();
    return proxy;
  }

  async reopen(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as { port: number }).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
