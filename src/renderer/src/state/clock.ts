// The one shared clock behind every countdown: a single timer aligned to the second,
// so all cells change together and nothing else wakes up. Each tick renders its
// subscribers synchronously (flushSync), which lets us time exactly what a tick costs.
import { flushSync } from 'react-dom';
import { createStore, useSelector } from './external-store.js';
import { perf } from './perf.js';

let timer: ReturnType<typeof setTimeout> | undefined;

/** The time at the last tick; it ticks only while something is subscribed. */
const clock = createStore(Date.now(), {
  start: () => {
    clock.set(Date.now());
    schedule();
    return () => {
      clearTimeout(timer);
      timer = undefined;
    };
  },
});

function schedule(): void {
  timer = setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
}

function tick(): void {
  const started = performance.now();
  flushSync(() => clock.set(Date.now()));
  perf.ticks.push(performance.now() - started);
  if (perf.ticks.length > 120) perf.ticks.shift();
  schedule();
}

/** The current time, re-rendering the caller once per second. */
export function useNow(): number {
  return useSelector(clock, (now) => now);
}

/**
 * A value derived from the clock (e.g. the timeline's window start): the caller
 * re-renders only when the derived value changes, not on every tick.
 */
export function useClockDerived<T>(derive: (now: number) => T): T {
  return useSelector(clock, derive);
}
