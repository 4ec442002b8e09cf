// Runs provider simulators in their own process for the benchmarks, so the owner
// being measured does not share its event loop (or its CPU core) with them.
// Usage: node --import tsx bench/sim-host.ts <grantsTotal> <providers,comma,separated> [accessTtlSec]
// Prints one JSON line {sims: [{providerId, url}], grants: [{providerId, settings, secrets}]},
// then serves until stdin closes.
import { startSimulator, type Simulator } from '../src/simulators/index.js';
import type { ProviderId } from '../src/shared/domain.js';

const total = Number(process.argv[2] ?? 0);
const ids = (process.argv[3] ?? 'oauth2').split(',') as ProviderId[];
const accessTtlSec = Number(process.argv[4] ?? 3600);

const sims: Simulator[] = await Promise.all(ids.map((id) => startSimulator(id, { accessTtlSec })));
const grants = Array.from({ length: total }, (_, i) => {
  const sim = sims[i % sims.length]!;
  const { settings, secrets } = sim.issue();
  return { providerId: sim.providerId, url: sim.url, settings, secrets };
});
process.stdout.write(JSON.stringify({ sims: sims.map((s) => ({ providerId: s.providerId, url: s.url })), grants }) + '\n');
process.stdin.resume();
process.stdin.on('end', async () => {
  await Promise.all(sims.map((s) => s.close()));
  process.exit(0);
});
