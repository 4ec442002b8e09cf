// Diagnostics for benchmarks and e2e tests (window.__tokendeskPerf): timings only, no secrets.

export interface RendererPerf {
  /** Recent clock tick durations (ms). */
  ticks: number[];
  /** ms from navigation start until the accounts list first committed rows. */
  listFirstRenderAt?: number;
  /** ms the list's first render took, from the accounts arriving to the commit. */
  listFirstRenderMs?: number;
  accountsLoadedAt?: number;
}

declare global {
  interface Window {
    __tokendeskPerf?: RendererPerf;
  }
}

export const perf: RendererPerf = { ticks: [] };
if (typeof window !== 'undefined') window.__tokendeskPerf = perf;
