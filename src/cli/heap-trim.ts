// A long-running owner (daemon, serve) gives back the young generation its start-up grew.
// Node 20's V8 grows each semi-space up to 16 MiB while start-up objects survive, and shrinks
// it only at a GC that finds the last ~5 s of allocation slow — which an idle owner may not
// reach for hours. So: one full GC once start-up has been over for a few seconds, and again
// every few seconds (for a minute at most) while the owner stays too busy for it to shrink. With
// 10,000 accounts RSS then settles about as low as with `--max-semi-space-size=4`
// (docs/PERFORMANCE.md) without that flag on the shebang, where it slowed every CLI start.
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** V8 looks back about 5 s when it decides whether allocation is slow enough to shrink. */
export const HEAP_TRIM_FIRST_DELAY_MS = 6_000;
const ATTEMPTS = 10;
/** Above this the young generation still holds what start-up grew (V8's minimum is 1 MiB per semi-space). */
const TRIMMED_NEW_SPACE_BYTES = 4 * 2 ** 20;

export function newSpaceBytes(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}

/** A full GC every `delayMs` until the young generation is small (10 at most); the timers never keep the process alive. */
export function trimHeapWhenIdle(delayMs = HEAP_TRIM_FIRST_DELAY_MS, attempt = 1): void {
  setTimeout(() => {
    collectGarbage();
    if (newSpaceBytes() > TRIMMED_NEW_SPACE_BYTES && attempt < ATTEMPTS) trimHeapWhenIdle(delayMs, attempt + 1);
  }, delayMs).unref();
}

function collectGarbage(): void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed();
  // V8 gives `gc` to contexts created while --expose-gc is set: a new context's copy, then the flag off again.
  setFlagsFromString('--expose-gc');
  try {
    (runInNewContext('gc') as () => void)();
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}
