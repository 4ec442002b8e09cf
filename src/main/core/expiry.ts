// Turning what a vendor says about lifetimes into dates (or "no known expiry").
// Nonsense — negative, NaN, absurdly far — is an error, never a date.
import { jwtDecode } from 'jwt-decode';
import type { ExpirySource } from '../../shared/domain.js';

/** Nothing TokenDesk refreshes lives longer than this; a bigger figure is a vendor bug. */
export const MAX_LIFETIME_SECONDS = 10 * 365 * 24 * 3600;

export class ExpiryError extends Error {
  override name = 'ExpiryError';
}

/**
 * Reads a lifetime in seconds given as a number or a numeric string (UPS sends
 * strings). `null`/`undefined`/'' mean "not given" and return undefined.
 */
export function parseLifetimeSeconds(value: unknown, what = 'expires_in'): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  let seconds: number;
  if (typeof value === 'number') seconds = value;
  else if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) seconds = Number(value);
  else throw new ExpiryError(`${what} is not a number (got ${describe(value)})`);
  if (!Number.isFinite(seconds)) throw new ExpiryError(`${what} is not a finite number`);
  if (seconds <= 0) throw new ExpiryError(`${what} is ${seconds}: a lifetime must be positive`);
  if (seconds > MAX_LIFETIME_SECONDS) throw new ExpiryError(`${what} is ${seconds} s, more than ten years: not a plausible lifetime`);
  return Math.floor(seconds);
}

/** The `exp` claim of a JWT access token, in epoch ms, without verifying it. */
export function jwtExpiry(token: string, now: number): number | undefined {
  if (token.split('.').length !== 3) return undefined;
  let exp: unknown;
  try {
    exp = jwtDecode<{ exp?: unknown }>(token).exp;
  } catch {
    return undefined; // three dots but not a JWT: treat as opaque
  }
  if (exp === undefined) return undefined;
  if (typeof exp !== 'number' || !Number.isFinite(exp) || exp <= 0) {
    throw new ExpiryError(`the access token's exp claim is not a valid time (got ${describe(exp)})`);
  }
  const at = Math.floor(exp * 1000);
  if (at - now > MAX_LIFETIME_SECONDS * 1000) throw new ExpiryError("the access token's exp claim is more than ten years away");
  return at;
}

export interface ResolvedExpiry {
  expiresAt?: number;
  expirySource: ExpirySource;
}

/**
 * docs/ARCHITECTURE.md "Expiry": `expires_in` when given; else the JWT `exp` claim; else the account's
 * "refresh every" interval (the engine schedules by it, there is still no expiry
 * date); else "no known expiry".
 */
export function resolveExpiry(input: {
  expiresInSeconds?: number;
  accessToken: string;
  refreshEveryMs?: number;
  now: number;
}): ResolvedExpiry {
  if (input.expiresInSeconds !== undefined) {
    return { expiresAt: input.now + input.expiresInSeconds * 1000, expirySource: 'expires_in' };
  }
  const fromJwt = jwtExpiry(input.accessToken, input.now);
  if (fromJwt !== undefined) return { expiresAt: fromJwt, expirySource: 'jwt_exp' };
  if (input.refreshEveryMs !== undefined) return { expirySource: 'refresh_every' };
  return { expirySource: 'unknown' };
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value.length > 20 ? `a ${value.length}-character string` : JSON.stringify(value);
  if (value === null) return 'null';
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return String(value);
}
