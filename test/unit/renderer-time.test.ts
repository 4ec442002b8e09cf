// The dashboard's countdowns and durations (src/renderer/src/lib/time.ts).
import { describe, expect, it } from 'vitest';
import { agoCoarse, compactDuration, expiresIn, nextRefresh, relativeTo } from '../../src/renderer/src/lib/time.js';

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
