// Team vault storms on real PostgreSQL: node --import tsx bench/team-storm.ts
//   RELIABILITY_SCALE=full   3 members × 200 accounts × 60 s per scenario (default: 3 × 24 × 10 s)
//   TEAM_STORM_SCENARIOS=plain,kills,db-restart   which scenarios (default: all three)
//   TEAM_STORM_FROM=source   run the members from src/ through tsx (default: the built CLI; build first)
// Method and definitions: test/reliability/support/team-storm.ts. Figures: test-results/reliability/team-vault.json.
// Exits 1 when a rule of the issue is broken (duplicate refresh, reuse, invalid token, lost rotation, unexplained brick, crash).
import { existsSync } from 'node:fs';
import { describeTeamFigures, runTeamStorm, writeTeamFigures, type TeamScenario, type TeamStormFigures } from '../test/reliability/support/team-storm.js';

const full = process.env['RELIABILITY_SCALE'] === 'full';
const daemonFrom = process.env['TEAM_STORM_FROM'] === 'source' ? 'source' : 'built';
if (daemonFrom === 'built' && !existsSync('out/main/cli.js')) {
  console.error('out/main/cli.js is missing: run `npx electron-vite build` first (or TEAM_STORM_FROM=source)');
  process.exit(2);
}
const scenarios = (process.env['TEAM_STORM_SCENARIOS'] ?? 'plain,kills,db-restart').split(',') as TeamScenario[];
const accounts = full ? 200 : 24;
const duration = full ? 60_000 : 10_000;
const all: TeamStormFigures[] = [];
let bad = 0;
for (const scenario of scenarios) {
  const f = await runTeamStorm({ scenario, members: 3, accounts, durationMs: duration, kills: full ? 10 : 3, daemonFrom, log: (l) => console.log(`  ${l}`) });
  all.push(f);
  for (const line of describeTeamFigures(f)) console.log(line);
  bad += f.memberCrashes.length + f.reuseDetections + f.lostRotations + f.bricked.unexplained + f.tokenCalls.invalid + Math.abs(f.vendorRefreshCalls - f.rotations);
  if (scenario === 'plain') bad += f.tokenCalls.errors + f.bricked.total;
}
console.log(`figures: ${await writeTeamFigures(all)}`);
process.exit(bad ? 1 : 0);
