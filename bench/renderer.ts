// Dashboard figures in Chromium: node --import tsx bench/renderer.ts [accounts=1000] [runs=5]
// (or `npm run bench:renderer`; build first: `npx electron-vite build`).
// Starts the real `tokendesk serve` on a temp data dir, adds the accounts through its
// WebSocket, then loads the dashboard `runs` times and prints, per run and as medians, the
// time to first render of the list and the scripting time of one countdown tick.
// Targets: first render ≤ 300 ms, one tick ≤ 4 ms.
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../test/e2e/support/browser.js';
import { startServe } from '../test/e2e/support/serve.js';
import { seedAccounts } from '../test/e2e/support/seed.js';
import { measureRenderer, type RendererFigures } from '../test/e2e/support/perf.js';

const ACCOUNTS = Number(process.argv[2] ?? 1000);
const RUNS = Number(process.argv[3] ?? 5);
const TARGET_FIRST_RENDER_MS = 300;
const TARGET_TICK_MS = 4;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const ms = (n: number): string => `${n.toFixed(1).padStart(7)} ms`;

const served = await startServe();
const browser = await chromium.launch(chromiumLaunchOptions());
try {
  const seedMs = await seedAccounts(served, ACCOUNTS);
  console.log(`renderer bench: ${ACCOUNTS} accounts added through the WebSocket in ${(seedMs / 1000).toFixed(1)} s; ${RUNS} page loads\n`);
  console.log('run   first render   nav → list    tick median   tick p95   script/s');
  const runs: RendererFigures[] = [];
  for (let i = 0; i < RUNS; i++) {
    const page = await browser.newPage({ viewport: { width: 1360, height: 820 } });
    const f = await measureRenderer(page, served.url, 4);
    runs.push(f);
    console.log(`${String(i + 1).padStart(3)}  ${ms(f.firstRenderMs)}   ${ms(f.listVisibleMs)}  ${ms(f.tickMedianMs)}  ${ms(f.tickP95Ms)} ${ms(f.scriptMsPerSecond)}`);
    await page.close();
  }
  const firstRender = median(runs.map((r) => r.firstRenderMs));
  const tick = median(runs.map((r) => r.tickMedianMs));
  console.log('');
  console.log(`first render of the list (accounts in the page → rows committed), median: ${firstRender.toFixed(1)} ms — target ≤ ${TARGET_FIRST_RENDER_MS} ms: ${firstRender <= TARGET_FIRST_RENDER_MS ? 'met' : 'MISSED'}`);
  console.log(`navigation start → list on screen (includes loading 1,000 accounts from the owner), median: ${median(runs.map((r) => r.listVisibleMs)).toFixed(1)} ms`);
  console.log(`one countdown tick (scripting), median of medians: ${tick.toFixed(2)} ms — target ≤ ${TARGET_TICK_MS} ms: ${tick <= TARGET_TICK_MS ? 'met' : 'MISSED'}`);
  console.log(`rows in the DOM: ${runs[0]?.domRows} of ${ACCOUNTS} (virtualised)`);
} finally {
  await browser.close();
  await served.stop();
}
