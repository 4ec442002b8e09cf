import { describe, expect, it } from 'vitest';
import { jwtExpiry, parseLifetimeSeconds, resolveExpiry } from '../../src/main/core/expiry.js';

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);

function jwt(payload: object): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}.c2lnbmF0dXJl`;
}

describe('parseLifetimeSeconds', () => {
  it('accepts numbers and numeric strings (UPS sends strings)', () => {
    expect(parseLifetimeSeconds(3600)).toBe(3600);
    expect(parseLifetimeSeconds('14399')).toBe(14399);
    expect(parseLifetimeSeconds(' 60 ')).toBe(60);
  });
  it('treats null, undefined and empty as not given', () => {
    expect(parseLifetimeSeconds(null)).toBeUndefined();
    expect(parseLifetimeSeconds(undefined)).toBeUndefined();
    expect(parseLifetimeSeconds('')).toBeUndefined();
  });
  it.each([
    [-5, /positive/],
    [0, /positive/],
    [Number.NaN, /finite/],
    [1e15, /ten years/],
    ['abc', /not a number/],
    [{}, /not a number.*object/],
    [true, /not a number/],
  ])('rejects nonsense %s', (value, message) => {
    expect(() => parseLifetimeSeconds(value)).toThrow(message);
  });
});

describe('jwtExpiry', () => {
  it('reads exp from a JWT without verifying it', () => {
    expect(jwtExpiry(jwt({ exp: NOW / 1000 + 600 }), NOW)).toBe(NOW + 600_000);
  });
  it('returns undefined for opaque tokens and JWTs without exp', () => {
    expect(jwtExpiry('opaque-token-value', NOW)).toBeUndefined();
    expect(jwtExpiry(jwt({ sub: 'x' }), NOW)).toBeUndefined();
    expect(jwtExpiry('a.b.c', NOW)).toBeUndefined();
  });
  it('rejects an exp that is not a time or absurdly far', () => {
    expect(() => jwtExpiry(jwt({ exp: 'tomorrow' }), NOW)).toThrow(/not a valid time/);
    expect(() => jwtExpiry(jwt({ exp: NOW / 1000 + 20 * 365 * 86400 }), NOW)).toThrow(/ten years/);
  });
});

describe('resolveExpiry', () => {
  it('prefers expires_in, then the JWT exp, then refresh-every, then unknown', () => {
    const token = jwt({ exp: NOW / 1000 + 120 });
    expect(resolveExpiry({ expiresInSeconds: 60, accessToken: token, now: NOW })).toEqual({ expiresAt: NOW + 60_000, expirySource: 'expires_in' });
    expect(resolveExpiry({ accessToken: token, now: NOW })).toEqual({ expiresAt: NOW + 120_000, expirySource: 'jwt_exp' });
    expect(resolveExpiry({ accessToken: 'opaque', refreshEveryMs: 60_000, now: NOW })).toEqual({ expirySource: 'refresh_every' });
    expect(resolveExpiry({ accessToken: 'opaque', now: NOW })).toEqual({ expirySource: 'unknown' });
  });
});
