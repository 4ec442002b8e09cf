// The dashboard's countdowns and durations (src/renderer/src/lib/time.ts).
import { describe, expect, it } from 'vitest';
import { agoCoarse, clockTime, compactDuration, expiresIn, nextRefresh, relativeTo } from '../../src/renderer/src/lib/time.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('compactDuration', () => {
  it.each([
    [0, '0s'],
    [999, '0s'],
    [45 * S, '45s'],
    [M, '1m 00s'],
    [12 * M + 5 * S, '12m 05s'],
    [H - 1, '59m 59s'],
    [3 * H + 7 * M + 59 * S, '3h 07m'],
    [D + 4 * H, '1d 4h'],
    [400 * D, '400d'],
    [-(3 * M + 10 * S), '3m 10s'],
  ])('%d ms → %s', (ms, text) => expect(compactDuration(ms)).toBe(text));
});

describe('countdown cells', () => {
  const now = 1_700_000_000_000;
  const base = { status: 'active' as const, hasAccessToken: true };

  it('counts down to expiry, turns "soon" under 5 minutes and says when it expired', () => {
    expect(expiresIn({ ...base, expiresAt: now + 59 * M + 12 * S }, now)).toEqual({ text: 'in 59m 12s', tone: 'ok' });
    expect(expiresIn({ ...base, expiresAt: now + 4 * M }, now)).toEqual({ text: 'in 4m 00s', tone: 'soon' });
    expect(expiresIn({ ...base, expiresAt: now - 3 * M }, now)).toEqual({ text: 'expired 3m 00s ago', tone: 'expired' });
  });

  it('explains the cases without a countdown', () => {
    expect(expiresIn({ ...base, expiresAt: undefined }, now).text).toBe('no known expiry');
    expect(expiresIn({ ...base, hasAccessToken: false, expiresAt: undefined }, now).text).toBe('no token yet');
    expect(expiresIn({ ...base, status: 'revoked', expiresAt: now + M }, now).text).toBe('revoked');
  });

  it('shows the next refresh, or why there is none', () => {
    expect(nextRefresh({ status: 'active', nextRefreshAt: now + 90 * S }, now)).toBe('in 1m 30s');
    expect(nextRefresh({ status: 'active', nextRefreshAt: now - S }, now)).toBe('due now');
    expect(nextRefresh({ status: 'paused', nextRefreshAt: undefined }, now)).toBe('paused');
    expect(nextRefresh({ status: 'reauth_required', nextRefreshAt: undefined }, now)).toBe('stopped');
    expect(nextRefresh({ status: 'refreshing', nextRefreshAt: now }, now)).toBe('now…');
  });

  it('says relative times both ways', () => {
    expect(relativeTo(now + 5 * S, now)).toBe('in 5s');
    expect(relativeTo(now - 5 * S, now)).toBe('5s ago');
    expect(relativeTo(now + 200, now)).toBe('now');
    expect(agoCoarse(now - 3 * S, now)).toBe('just now');
    expect(agoCoarse(now - 5 * M - 30 * S, now)).toBe('5m ago');
    expect(agoCoarse(now - 3 * D, now)).toBe('3d ago');
  });
});

describe('clockTime', () => {
  // Local times: the date shows only when the day differs from the reference.
  const noon = new Date(2026, 2, 3, 12, 0, 0).getTime();
  const late = new Date(2026, 2, 3, 23, 58, 7).getTime();
  const afterMidnight = new Date(2026, 2, 4, 0, 1, 0).getTime();
  it('is the clock alone on the same day, with or without seconds', () => {
    expect(clockTime(late, noon)).toBe('23:58:07');
    expect(clockTime(late, noon, false)).toBe('23:58');
  });
  it('adds the date on another day and keeps the seconds it was asked for', () => {
    expect(clockTime(late, afterMidnight)).toBe('3 Mar 23:58:07');
    expect(clockTime(late, afterMidnight, false)).toBe('3 Mar 23:58');
  });
});
