// Crash during refresh storms: node --import tsx bench/crash-storm.ts
//   RELIABILITY_SCALE=full   200 accounts × 100 SIGKILLs (default: the CI size, 40 × 8)
//   CRASH_STORM_SEED=n       replay a run (the seed is always printed)
//   CRASH_STORM_ACCOUNTS=n, CRASH_STORM_KILLS=n   any other size
//   CRASH_STORM_FROM=source  run the daemon from src/ through tsx (default: the built CLI; build first)
// A real daemon owning the accounts is SIGKILLed at random moments and restarted; after each
// kill every file is parsed, every stored refresh token is shown to its simulator and every
// bricked account must be explained by the rotation and save logs. Method and definitions:
// test/reliability/support/crash-storm.ts. Figures: test-results/reliability/crash-storm.json.
// Exits 1 when anything is unexplained, unparseable or lost.
import { existsSync } from 'node:fs';
import { describeFigures, runCrashStorm, writeFigures } from '../test/reliability/support/crash-storm.js';

const full = process.env['RELIABILITY_SCALE'] === 'full';
const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const daemonFrom = process.env['CRASH_STORM_FROM'] === 'source' ? 'source' : 'built';
if (daemonFrom === 'built' && !existsSync('out/main/cli.js')) {
  console.error('out/main/cli.js is missing: run `npx electron-vite build` first (or CRASH_STORM_FROM=source)');
  process.exit(2);
}

const figures = await runCrashStorm({
  accounts: num('CRASH_STORM_ACCOUNTS', full ? 200 : 40),
  kills: num('CRASH_STORM_KILLS', full ? 100 : 8),
  seed: process.env['CRASH_STORM_SEED'] ? Number(process.env['CRASH_STORM_SEED']) : undefined,
  daemonFrom,
  gracefulStopAfterMs: num('CRASH_STORM_GRACEFUL_MS', 2_500),
});
const file = await writeFigures(figures);
console.log('');
for (const line of describeFigures(figures)) console.log(line);
console.log(`figures: ${file}`);
const bad =
  figures.bricked.unexplained + Math.abs(figures.rotationsAccounted.unaccounted) + figures.files.parseFailures + figures.files.vaultOpenFailures + figures.history.lostFromDisk + figures.history.lostAcknowledged + figures.daemonFailures.length + (figures.gracefulStop?.bricked ?? 0);
process.exit(bad ? 1 : 0);
