// How long, and how often, a CLI command retries an owner that holds the data dir without
// answering yet (starting, or another process's one-shot command): the lean client
// (fast.ts) and the full CLI (connect.ts) wait alike.

/** Past this a command gives up waiting (the full CLI says owner_busy). */
export const OWNER_WAIT_MS = 20_000;

// The lean client and the full CLI run in one process (bin/tokendesk.js) but are separate
// bundles: what the lean client already waited is handed over on the process's global object.
const WAITED = Symbol.for('tokendesk.ownerWaitedMs');
type WithWaited = typeof globalThis & { [WAITED]?: number };

/** The lean client waited `ms` for a holder that never answered before handing over to the full CLI. */
export function recordOwnerWaited(ms: number): void {
  (globalThis as WithWaited)[WAITED] = ms;
}

/** What this process has left of OWNER_WAIT_MS for its next wait; the lean client's wait counts once. */
export function takeOwnerWaitBudget(): number {
  const g = globalThis as WithWaited;
  const waited = g[WAITED] ?? 0;
  delete g[WAITED];
  return Math.max(0, OWNER_WAIT_MS - waited);
}

/**
 * The pause before retry `attempt` (0-based): 20 ms, doubling to at most 400 ms, with jitter,
 * so a burst of waiting commands does not take the CPU from the owner they wait for.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  return Math.min(400, 20 * 2 ** Math.min(attempt, 5)) * (0.5 + random());
}
