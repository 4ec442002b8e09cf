// When to refresh (docs/ARCHITECTURE.md "Scheduling"): expiresAt − margin − jitter, with
// margin = clamp(20% of lifetime, 30 s, 15 min) but never more than half the
// lifetime, so a 4-second token refreshes at 2 s instead of looping.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface MarginPolicy {
  fraction: number;
  minMs: number;
  maxMs: number;
}

export const DEFAULT_MARGIN: MarginPolicy = { fraction: 0.2, minMs: 30 * SECOND, maxMs: 15 * MINUTE };

/** Refresh tokens are renewed when this much of their life is left (UPS: 60 days → 1 day). */
const REFRESH_TOKEN_MARGIN: MarginPolicy = { fraction: 0.1, minMs: MINUTE, maxMs: DAY };

export function marginFor(lifetimeMs: number, policy: MarginPolicy = DEFAULT_MARGIN): number {
  const clamped = Math.min(Math.max(lifetimeMs * policy.fraction, policy.minMs), policy.maxMs);
  return Math.max(0, Math.min(clamped, lifetimeMs / 2));
}

/** Up to 10% of the margin, at most 30 s: enough to spread a herd, small next to the margin. */
export function jitterFor(marginMs: number, random: () => number): number {
  return Math.floor(random() * Math.min(marginMs * 0.1, 30 * SECOND));
}

export interface DeadlineInput {
  obtainedAt?: number;
  expiresAt?: number;
  refreshTokenExpiresAt?: number;
  /** "Refresh every" interval for tokens with no known expiry. */
  refreshEveryMs?: number;
  /** Last successful refresh (or when the account was added), for refresh-every. */
  lastRefreshAt?: number;
  /** True when no access token is stored yet: refresh at once. */
  missingAccessToken?: boolean;
}

/**
 * The next moment this account must be refreshed, or undefined when nothing ever
 * forces a refresh (no expiry known and no interval set).
 */
export function nextDeadline(input: DeadlineInput, now: number, random: () => number = Math.random, policy: MarginPolicy = DEFAULT_MARGIN): number | undefined {
  if (input.missingAccessToken) return now;
  const candidates: number[] = [];
  if (input.expiresAt !== undefined) {
    const lifetime = Math.max(0, input.expiresAt - (input.obtainedAt ?? now));
    const margin = marginFor(lifetime, policy);
    candidates.push(input.expiresAt - margin - jitterFor(margin, random));
  } else if (input.refreshEveryMs !== undefined) {
    candidates.push((input.lastRefreshAt ?? input.obtainedAt ?? now) + input.refreshEveryMs);
  }
  if (input.refreshTokenExpiresAt !== undefined) {
    const lifetime = Math.max(0, input.refreshTokenExpiresAt - (input.obtainedAt ?? now));
    candidates.push(input.refreshTokenExpiresAt - marginFor(lifetime, REFRESH_TOKEN_MARGIN));
  }
  return candidates.length ? Math.min(...candidates) : undefined;
}

/** Exponential backoff with full jitter (AWS architecture blog): random in [0, min(cap, base·2^attempt)]. */
export function backoffDelay(attempt: number, random: () => number = Math.random, baseMs = 5 * SECOND, capMs = 5 * MINUTE): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  // Never zero: a tight loop against a failing server helps nobody.
  return Math.max(250, Math.floor(random() * ceiling));
}
