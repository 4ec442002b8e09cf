// The refresh-token expiry warning (src/shared/refresh-token-warning.ts) and counted nouns
// (src/shared/plural.ts).
import { describe, expect, it } from 'vitest';
import { plural } from '../../src/shared/plural.js';
import { expiresInWords, refreshTokenWarning, refreshTokenWarningShort, refreshTokenWarningText } from '../../src/shared/refresh-token-warning.js';
import { AppSettingsSchema, DEFAULT_SETTINGS } from '../../src/shared/domain.js';

const NOW = 1_700_000_000_000;
const H = 3_600_000;
const D = 24 * H;

describe('refresh-token warning', () => {
  it('warns inside the window, not before it, and never without a known expiry', () => {
    expect(refreshTokenWarning({ status: 'active', refreshTokenExpiresAt: NOW + 5 * D }, 7, NOW)).toEqual({ expiresAt: NOW + 5 * D, leftMs: 5 * D, when: 'expires in 5 days' });
    expect(refreshTokenWarning({ status: 'active', refreshTokenExpiresAt: NOW + 7 * D }, 7, NOW)?.when).toBe('expires in 7 days');
    expect(refreshTokenWarning({ status: 'active', refreshTokenExpiresAt: NOW + 7 * D + 1 }, 7, NOW)).toBeUndefined();
    expect(refreshTokenWarning({ status: 'active', refreshTokenExpiresAt: NOW + 59 * D }, 7, NOW)).toBeUndefined();
    expect(refreshTokenWarning({ status: 'active', refreshTokenExpiresAt: undefined }, 7, NOW)).toBeUndefined();
    // 0 days turns warnings off.
    expect(refreshTokenWarning({ status: 'active', refreshTokenExpiresAt: NOW + H }, 0, NOW)).toBeUndefined();
    // Paused and retrying accounts still lose their refresh token.
    expect(refreshTokenWarning({ status: 'paused', refreshTokenExpiresAt: NOW + D }, 7, NOW)?.when).toBe('expires in 24 hours');
    expect(refreshTokenWarning({ status: 'retrying', refreshTokenExpiresAt: NOW - 1 }, 7, NOW)?.when).toBe('expired');
  });

  it('stays quiet for accounts already stopped: their own status says what to do', () => {
    for (const status of ['reauth_required', 'revoked', 'config_error'] as const) {
      expect(refreshTokenWarning({ status, refreshTokenExpiresAt: NOW + D }, 7, NOW)).toBeUndefined();
    }
  });

  it('says how long in days, then hours, then minutes, in correct plurals', () => {
    expect(expiresInWords(2 * D)).toBe('expires in 2 days');
    expect(expiresInWords(2 * D - 5000)).toBe('expires in 2 days');
    expect(expiresInWords(36 * H)).toBe('expires in 2 days');
    expect(expiresInWords(35 * H)).toBe('expires in 35 hours');
    expect(expiresInWords(2 * H)).toBe('expires in 2 hours');
    expect(expiresInWords(119 * 60_000)).toBe('expires in 119 minutes');
    expect(expiresInWords(60_000)).toBe('expires in 1 minute');
    expect(expiresInWords(5_000)).toBe('expires in 1 minute');
    expect(expiresInWords(0)).toBe('expired');
  });

  it('names the way out: sign in, or Edit where TokenDesk cannot sign in', () => {
    const warning = refreshTokenWarning({ status: 'active', refreshTokenExpiresAt: NOW + 5 * D }, 7, NOW)!;
    expect(refreshTokenWarningText(warning, true)).toBe('Refresh token expires in 5 days — sign in');
    expect(refreshTokenWarningText(warning, false)).toBe('Refresh token expires in 5 days — paste a new one with Edit');
    expect(refreshTokenWarningShort(warning, true)).toBe('5 days to sign in');
    expect(refreshTokenWarningShort(warning, false)).toBe('5 days to renew');
    expect(refreshTokenWarningShort({ ...warning, leftMs: -1 }, true)).toBe('Refresh token expired');
  });

  it('is a setting: 7 days by default, whole days from 0 to 365', () => {
    expect(DEFAULT_SETTINGS.refreshTokenWarningDays).toBe(7);
    const check = (days: unknown) => AppSettingsSchema.shape.refreshTokenWarningDays.safeParse(days).success;
    expect([check(0), check(7), check(365)]).toEqual([true, true, true]);
    expect([check(-1), check(1.5), check(366), check('7')]).toEqual([false, false, false, false]);
  });
});

describe('plural', () => {
  it('counts nouns in one place', () => {
    expect(plural(1, 'refresh')).toBe('1 refresh');
    expect(plural(2, 'refresh')).toBe('2 refreshes');
    expect(plural(0, 'account')).toBe('0 accounts');
    expect(plural(1, 'day')).toBe('1 day');
    expect(plural(3, 'account needs', 'accounts need')).toBe('3 accounts need');
  });
});

describe('tokendesk list', () => {
  it('adds a refresh token that dies soon to the status column, only with the setting given', async () => {
    const { accountsTable } = await import('../../src/cli/format.js');
    const account = (name: string, refreshTokenExpiresAt: number) =>
      ({ id: name, name, providerId: 'ups', settings: {}, paused: false, status: 'active', createdAt: 1, updatedAt: 1, notSaved: false, hasAccessToken: true, retryAttempt: 0, expiresAt: NOW + H, refreshTokenExpiresAt }) as never;
    const table = accountsTable([account('dying', NOW + 3 * D), account('fine', NOW + 40 * D)], NOW, 7);
    expect(table.split('\n').find((l) => l.startsWith('dying'))).toContain('active; refresh token expires in 3 days, sign in again');
    expect(table.split('\n').find((l) => l.startsWith('fine'))).not.toContain('refresh token');
    expect(accountsTable([account('dying', NOW + 3 * D)], NOW)).not.toContain('refresh token');
  });
});
