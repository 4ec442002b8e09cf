// How long, and how often, a CLI command retries an owner that holds the data dir without
// answering yet (starting, or another process's one-shot command): the lean client
// (fast.ts) and the full CLI (connect.ts) wait alike.

/** Past this a command gives up waiting (the full CLI says owner_busy). */
export const OWNER_WAIT_MS = 20_000;

/**
 * The pause before retry `attempt` (0-based): 20 ms, doubling to at most 400 ms, with jitter,
 * so a burst of waiting commands does not take the CPU from the owner they wait for.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  return Math.min(400, 20 * 2 ** Math.min(attempt, 5)) * (0.5 + random());
}
