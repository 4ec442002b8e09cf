// Crash during refresh storms (method and definitions: support/crash-storm.ts). CI runs a short
// storm against the BUILT CLI (scripts/test-all.sh builds first); RELIABILITY_SCALE=full runs
// 200 accounts × 100 kills (or: node --import tsx bench/crash-storm.ts, same code).
// CRASH_STORM_SEED replays a run; the seed is printed and written with the figures.
import { existsSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TokensSaved } from '../../src/main/core/engine/types.js';
import { tokenHash } from '../../src/simulators/harness.js';
import { startSimulator } from '../../src/simulators/index.js';
import { call, openTestOwner, tempDir } from '../helpers/temp-owner.js';
import { describeFigures, runCrashStorm, writeFigures } from './support/crash-storm.js';

const FULL = process.env['RELIABILITY_SCALE'] === 'full';
const ACCOUNTS = FULL ? 200 : 40;
const KILLS = FULL ? 100 : 8;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe('crash during refresh storms', () => {
  beforeAll(() => {
    if (!existsSync('out/main/cli.js')) throw new Error('out/main/cli.js is missing: run `npx electron-vite build` before this test');
  });

  it(`a daemon with ${ACCOUNTS} rotating accounts, SIGKILLed ${KILLS} times: every bricked account is explained, every file parses, no acknowledged history row is lost`, async () => {
    const figures = await runCrashStorm({
      accounts: ACCOUNTS,
      kills: KILLS,
      seed: process.env['CRASH_STORM_SEED'] ? Number(process.env['CRASH_STORM_SEED']) : undefined,
      gracefulStopAfterMs: 2_500,
    });
    const file = await writeFigures(figures);
    console.log([...describeFigures(figures), `figures: ${file}`].join('\n'));

    // The storm really happened: refreshes, rotations and saves in every phase.
    expect(figures.refreshes.ok).toBeGreaterThan(ACCOUNTS);
    expect(figures.saves).toBeGreaterThanOrEqual(figures.refreshes.ok);
    expect(figures.daemonFailures).toEqual([]);
    // No stored refresh token is refused for a reason other than the rotation→save window…
    expect(figures.bricked.unexplainedDetails).toEqual([]);
    expect(figures.bricked.unexplained).toBe(0);
    // Every rotation a vendor performed is accounted for: saved (logged or not yet), or bricked.
    expect(figures.rotationsAccounted.unaccounted).toBe(0);
    // …and none was ever presented after its rotation (re-seeding happens before each restart).
    expect(figures.refreshes.errorsByClass['reauth_required'] ?? 0).toBe(0);
    expect(figures.files.parseFailureDetails).toEqual([]);
    expect(figures.files.quarantined).toEqual([]);
    expect(figures.history.lostDetails).toEqual([]);
    expect(figures.history.lostFromDisk + figures.history.lostAcknowledged).toBe(0);
    // A graceful stop waits for every refresh in flight: nothing is bricked then.
    expect(figures.gracefulStop).toMatchObject({ exitCode: 0, bricked: 0 });
  }, FULL ? 3_600_000 : 180_000);

  it('the per-provider permit covers the durable save: never more accounts between rotation and save than the cap', async () => {
    const sim = await startSimulator('ups', { accessTtlSec: 3600 });
    cleanups.push(() => sim.close());
    const t = await tempDir('tokendesk-permit-');
    cleanups.push(t.cleanup);
    const CAP = 2;
    const owner = await openTestOwner(t.dir, { schedule: false, engine: { perProviderConcurrency: CAP } });
    cleanups.push(() => owner.close());
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const grant = sim.issue();
      const { access_token: _a, ...values } = { ...grant.settings, ...grant.secrets };
      ids.push((await call(owner, 'accounts.add', { providerId: 'ups', name: `permit-${i}`, baseUrl: sim.url, values })).id);
    }

    // A slow disk: each durable save takes 40 ms.
    const store = (owner.engine as unknown as { store: { saveTokens: (...a: unknown[]) => Promise<void> } }).store;
    const realSave = store.saveTokens.bind(store);
    let completed = 0;
    let worst = 0;
    store.saveTokens = async (...args: unknown[]) => {
      worst = Math.max(worst, sim.rotations.length - completed);
      await new Promise((r) => setTimeout(r, 40));
      await realSave(...args);
      completed++;
    };
    const saved: TokensSaved[] = [];
    const order: string[] = [];
    owner.engine.on('tokens-saved', (s) => {
      saved.push(s);
      order.push(`saved ${s.accountId}`);
    });
    owner.engine.on('refresh-finished', (o) => order.push(`finished ${o.accountId}`));

    const outcomes = await Promise.all(ids.map((id) => call(owner, 'accounts.refresh', { account: id })));
    expect(outcomes.every((o) => o.outcome.ok)).toBe(true);
    expect(sim.rotations).toHaveLength(8);
    expect(worst).toBeLessThanOrEqual(CAP);

    // tokens-saved: one per refresh, before its refresh-finished, carrying the fingerprint the simulator logged.
    expect(saved).toHaveLength(8);
    const rotatedTo = new Set(sim.rotations.map((r) => r.newTokenHash));
    for (const s of saved) {
      expect(rotatedTo.has(s.refreshTokenHash!)).toBe(true);
      expect(s).toMatchObject({ rotated: true });
      expect(s.saveMs).toBeGreaterThanOrEqual(39);
      expect(order.indexOf(`saved ${s.accountId}`)).toBeLessThan(order.indexOf(`finished ${s.accountId}`));
    }
    // No secret in it: the fingerprint is the 16-hex-digit sha256 prefix of the token now held, never the token.
    const engineSlots = (owner.engine as unknown as { slots: Map<string, { secrets: Record<string, string> }> }).slots;
    for (const s of saved) {
      const token = engineSlots.get(s.accountId)!.secrets['refresh_token']!;
      expect(s.refreshTokenHash).toBe(tokenHash(token));
      expect(JSON.stringify(s)).not.toContain(token);
    }
  });
});
