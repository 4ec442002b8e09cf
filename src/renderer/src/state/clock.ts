// The one shared clock behind every countdown: a single timer aligned to the second,
// so all cells change together and nothing else wakes up. Each tick renders its
// subscribers synchronously (flushSync), which lets us time exactly what a tick costs.
import { useSyncExternalStore } from 'react';
import { flushSync } from 'react-dom';

type Listener = () => void;

const listeners = new Set<Listener>();
let now = Date.now();
let timer: ReturnType<typeof setTimeout> | undefined;

/** Diagnostics for benchmarks and e2e tests: recent tick durations (ms), no secrets. */
export interface RendererPerf {
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

function schedule(): void {
  timer = setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
}

function tick(): void {
  now = Date.now();
  const started = performance.now();
  flushSync(() => {
    for (const l of listeners) l();
  });
  perf.ticks.push(performance.now() - started);
  if (perf.ticks.length > 120) perf.ticks.shift();
  schedule();
}

function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    schedule();
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearTimeout(timer);
      timer = undefined;
    }
  };
}

const getNow = (): number => now;

/** The current time, re-rendering the caller once per second. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, getNow);
}

/** The time at the last tick, without subscribing (event handlers). */
export function clockNow(): number {
  return now;
}

/**
 * A value derived from the clock (e.g. the timeline's window start): the caller
 * re-renders only when the derived value changes, not on every tick.
 */
export function useClockDerived<T>(derive: (now: number) => T): T {
  return useSyncExternalStore(subscribe, () => derive(now));
}
