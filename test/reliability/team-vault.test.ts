// The team vault under load on real PostgreSQL (method and definitions: support/team-storm.ts).
// CI runs a small size against the BUILT CLI (scripts/test-all.sh builds first);
// RELIABILITY_SCALE=full runs the size: 3 members × 200 team accounts × 60 s per scenario
// (or: node --import tsx bench/team-storm.ts, same code).
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../helpers/postgres.js';
import { describeTeamFigures, runTeamStorm, writeTeamFigures, type TeamStormFigures } from './support/team-storm.js';

const FULL = process.env['RELIABILITY_SCALE'] === 'full';
const MEMBERS = 3;
const ACCOUNTS = FULL ? 200 : 24;
const DURATION = FULL ? 60_000 : 10_000;
const all: TeamStormFigures[] = [];

function report(figures: TeamStormFigures): void {
  all.push(figures);
  console.log(describeTeamFigures(figures).join('\n'));
}

describe.skipIf(!postgresAvailable())('team vault storms', () => {
  beforeAll(() => {
    if (!existsSync('out/main/cli.js')) throw new Error('out/main/cli.js is missing: run `npx electron-vite build` before this test');
  });
  afterAll(async () => {
    if (all.length) console.log(`figures: ${await writeTeamFigures(all)}`);
  });

  it(`${MEMBERS} members × ${ACCOUNTS} accounts with 4-s tokens: one vendor call per rotation, no reuse, every token valid`, async () => {
    const f = await runTeamStorm({ scenario: 'plain', members: MEMBERS, accounts: ACCOUNTS, durationMs: DURATION });
    report(f);
    expect(f.memberCrashes).toEqual([]);
    expect(f.rotations).toBeGreaterThan(ACCOUNTS * 2);
    expect(f.vendorRefreshCalls).toBe(f.rotations);
    expect(f.reuseDetections).toBe(0);
    expect(f.lostRotations).toBe(0);
    expect(f.bricked.total).toBe(0);
    expect(f.tokenCalls.total).toBeGreaterThan(MEMBERS * 5);
    expect(f.tokenCalls.errorSamples).toEqual([]);
    expect(f.tokenCalls.valid).toBe(f.tokenCalls.total);
    expect(f.tokenCalls.cliValid + f.tokenCalls.cliExpiredAfterExit).toBe(f.tokenCalls.cli);
    // Every member takes its share: the refreshes are spread, not all done by one.
    for (const n of Object.values(f.refreshesByMember)) expect(n).toBeGreaterThan(0);
  }, FULL ? 600_000 : 120_000);

  it(`SIGKILL the member holding locks ${FULL ? 10 : 3} times: no reuse detection, every bricked account is in the measured crash window`, async () => {
    const f = await runTeamStorm({ scenario: 'kills', members: MEMBERS, accounts: ACCOUNTS, durationMs: DURATION + 4_000, kills: FULL ? 10 : 3 });
    report(f);
    expect(f.memberCrashes).toEqual([]);
    expect(f.kills).toHaveLength(FULL ? 10 : 3);
    expect(f.reuseDetections).toBe(0);
    expect(f.vendorRefreshCalls).toBe(f.rotations);
    expect(f.bricked.unexplainedDetails).toEqual([]);
    expect(f.lostRotations).toBe(0);
    expect(f.tokenCalls.invalid).toBe(0);
  }, FULL ? 600_000 : 120_000);

  it('PostgreSQL stopped with -m immediate and started 10 s later: no member crashes, no rotation lost, all refreshing within 5 s', async () => {
    const f = await runTeamStorm({ scenario: 'db-restart', members: MEMBERS, accounts: ACCOUNTS, durationMs: DURATION + 12_000, outageMs: 10_000 });
    report(f);
    expect(f.memberCrashes).toEqual([]);
    expect(f.reuseDetections).toBe(0);
    expect(f.vendorRefreshCalls).toBe(f.rotations);
    expect(f.lostRotations).toBe(0);
    expect(f.bricked.total).toBe(0);
    expect(f.tokenCalls.invalid).toBe(0);
    for (const ms of Object.values(f.dbRestart!.refreshingAgainMs)) {
      expect(ms).not.toBeNull();
      expect(ms!).toBeLessThan(5_000);
    }
  }, FULL ? 600_000 : 120_000);
});
