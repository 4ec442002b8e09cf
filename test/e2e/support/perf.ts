// Measures the dashboard in Chromium (used by test/e2e/scale.spec.ts and bench/renderer.ts):
// - first render: from the accounts arriving in the page to the list's first commit, and
//   from navigation start to that commit (window.__tokendeskPerf, set by the renderer);
// - one countdown tick: the scripting time of the shared clock's tick (React renders its
//   subscribers synchronously, timed in the page), cross-checked with Chromium's own
//   ScriptDuration over the same seconds (CDP Performance.getMetrics).
import type { Page } from '@playwright/test';

export interface RendererFigures {
  accounts: number;
  /** Accounts in the page → list committed (ms). */
  firstRenderMs: number;
  /** Navigation start → list committed (ms). */
  listVisibleMs: number;
  ticks: number;
  tickMedianMs: number;
  tickP95Ms: number;
  tickMaxMs: number;
  /** Chromium's script time per second while idle but ticking (ms/s). */
  scriptMsPerSecond: number;
  /** Rows in the DOM (virtualisation). */
  domRows: number;
}

interface PagePerf {
  ticks: number[];
  listFirstRenderAt?: number;
  listFirstRenderMs?: number;
}

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

export async function measureRenderer(page: Page, url: string, seconds = 5): Promise<RendererFigures> {
  await page.goto(url);
  await page.locator('.list-row').first().waitFor();
  const first = await page.waitForFunction(() => {
    const p = (globalThis as unknown as { __tokendeskPerf?: PagePerf }).__tokendeskPerf;
    return p?.listFirstRenderMs !== undefined ? { firstRenderMs: p.listFirstRenderMs, listVisibleMs: p.listFirstRenderAt! } : undefined;
  });
  const { firstRenderMs, listVisibleMs } = (await first.jsonValue())!;
  const accounts = Number(await page.getByTestId('account-list').getAttribute('aria-rowcount'));

  // Let the page settle (toasts, late events), then watch the clock tick.
  await page.waitForTimeout(1500);
  await page.evaluate(() => {
    (globalThis as unknown as { __tokendeskPerf: PagePerf }).__tokendeskPerf.ticks.length = 0;
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const script = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'ScriptDuration')?.value ?? 0;
  };
  const s0 = await script();
  const t0 = Date.now();
  await page.waitForTimeout(seconds * 1000);
  const s1 = await script();
  const elapsed = (Date.now() - t0) / 1000;
  const ticks = await page.evaluate(() => [...(globalThis as unknown as { __tokendeskPerf: PagePerf }).__tokendeskPerf.ticks]);
  await cdp.detach();
  const sorted = [...ticks].sort((a, b) => a - b);
  return {
    accounts,
    firstRenderMs,
    listVisibleMs,
    ticks: ticks.length,
    tickMedianMs: quantile(sorted, 0.5),
    tickP95Ms: quantile(sorted, 0.95),
    tickMaxMs: sorted[sorted.length - 1] ?? NaN,
    scriptMsPerSecond: ((s1 - s0) * 1000) / elapsed,
    domRows: await page.locator('.list-row').count(),
  };
}

export function formatFigures(f: RendererFigures): string {
  const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;
  return [
    `accounts: ${f.accounts} (rows in the DOM: ${f.domRows})`,
    `first render of the list: ${ms(f.firstRenderMs)} after the accounts arrived, ${ms(f.listVisibleMs)} after navigation start`,
    `countdown tick (scripting, ${f.ticks} ticks): median ${ms(f.tickMedianMs)}, p95 ${ms(f.tickP95Ms)}, max ${ms(f.tickMaxMs)}`,
    `Chromium script time while ticking: ${ms(f.scriptMsPerSecond)} per second`,
  ].join('\n');
}
