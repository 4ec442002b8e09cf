// Sorting, filtering and explaining accounts (src/renderer/src/lib/accounts.ts, status.ts).
import { describe, expect, it } from 'vitest';
import type { AccountView } from '../../src/shared/contract.js';
import { filterAccounts, sortAccounts, summarize } from '../../src/renderer/src/lib/accounts.js';
import { errorClassWords, statusInfo } from '../../src/renderer/src/lib/status.js';

const now = 1_700_000_000_000;
function account(name: string, patch: Partial<AccountView> = {}): AccountView {
  return {
    id: `id-${name}`,
    name,
    providerId: 'ups',
    settings: {},
    paused: false,
    status: 'active',
    createdAt: now,
    updatedAt: now,
    notSaved: false,
    hasAccessToken: true,
    retryAttempt: 0,
    ...patch,
  };
}

const list = [
  account('ups-prod', { expiresAt: now + 3_600_000, nextRefreshAt: now + 3_000_000 }),
  account('teamup-b', { providerId: 'teamup', expiresAt: now + 60_000, nextRefreshAt: now + 30_000 }),
  account('pathstack', { providerId: 'pathstack', status: 'reauth_required', statusMessage: 'Invalid Refresh Token' }),
  account('Banyan-2', { providerId: 'banyan', status: 'paused', paused: true, expiresAt: now + 10_000 }),
  account('banyan-10', { providerId: 'banyan', expiresAt: undefined }),
  account('flaky', { status: 'retrying', lastOutcome: { at: now, outcome: 'error', errorClass: 'transient', message: 'HTTP 503' }, retryAttempt: 2, expiresAt: now + 120_000 }),
];
const names = (l: AccountView[]) => l.map((a) => a.name);

describe('sortAccounts', () => {
  it('puts what needs the user first, then the soonest expiry', () => {
    expect(names(sortAccounts(list, 'attention'))).toEqual(['pathstack', 'flaky', 'teamup-b', 'ups-prod', 'banyan-10', 'Banyan-2']);
  });

  it('sorts names naturally and case-insensitively, both ways', () => {
    expect(names(sortAccounts(list, 'name'))).toEqual(['Banyan-2', 'banyan-10', 'flaky', 'pathstack', 'teamup-b', 'ups-prod']);
    expect(names(sortAccounts(list, 'name', 'desc'))[0]).toBe('ups-prod');
  });

  it('sorts by expiry with unknown expiries last in either direction', () => {
    const asc = names(sortAccounts(list, 'expires'));
    expect(asc.slice(0, 2)).toEqual(['Banyan-2', 'teamup-b']);
    expect(asc.slice(-2).sort()).toEqual(['banyan-10', 'pathstack']);
    const desc = names(sortAccounts(list, 'expires', 'desc'));
    expect(desc[0]).toBe('ups-prod');
    expect(desc.slice(-2).sort()).toEqual(['banyan-10', 'pathstack']);
  });

  it('does not change the input', () => {
    const before = names(list);
    sortAccounts(list, 'next', 'desc');
    expect(names(list)).toEqual(before);
  });
});

describe('filterAccounts', () => {
  it('filters by text (name, provider id or name), status, attention and provider', () => {
    expect(names(filterAccounts(list, { query: 'BANYAN', status: 'all', provider: 'all' }))).toEqual(['Banyan-2', 'banyan-10']);
    expect(names(filterAccounts(list, { query: 'security', status: 'all', provider: 'all' }, { banyan: 'Banyan Security' }))).toEqual(['Banyan-2', 'banyan-10']);
    expect(names(filterAccounts(list, { query: '', status: 'attention', provider: 'all' }))).toEqual(['pathstack', 'flaky']);
    expect(names(filterAccounts(list, { query: '', status: 'paused', provider: 'all' }))).toEqual(['Banyan-2']);
    expect(names(filterAccounts(list, { query: '', status: 'all', provider: 'teamup' }))).toEqual(['teamup-b']);
    expect(filterAccounts(list, { query: 'nothing-like-this', status: 'all', provider: 'all' })).toEqual([]);
  });

  it('counts for the header', () => {
    expect(summarize(list)).toEqual({ total: 6, attention: 2, paused: 1, refreshing: 0 });
  });
});

describe('statusInfo', () => {
  it('explains every state in words, quoting the provider', () => {
    const reauth = statusInfo(list[2]!);
    expect(reauth.label).toBe('Sign in again');
    expect(reauth.explanation).toContain('Invalid Refresh Token');
    expect(reauth.explanation).toMatch(/sign in .* again/i);
    const retrying = statusInfo(list[5]!);
    expect(retrying.explanation).toContain('HTTP 503');
    expect(retrying.explanation).toContain('attempt 2');
    expect(statusInfo(account('x', { status: 'config_error', statusMessage: 'ClientId is Invalid' })).explanation).toContain('ClientId is Invalid');
    expect(statusInfo(account('x', { status: 'revoked' })).explanation).toMatch(/deleted from this computer/);
    expect(statusInfo(account('x', { notSaved: true })).label).toBe('Not saved');
    expect(statusInfo(account('x', { notSaved: true })).explanation).toMatch(/only in memory/);
    expect(statusInfo(account('x', { status: 'paused', paused: false })).explanation).toMatch(/every account/);
  });
});

describe('statusInfo attribution and retry wording', () => {
  it('quotes the provider only when it answered; a failure raised before any answer is TokenDesk’s own', () => {
    const answered = account('x', {
      status: 'config_error',
      statusMessage: 'invalid_client',
      lastOutcome: { at: now, outcome: 'error', errorClass: 'config_error', message: 'invalid_client', httpStatus: 401 },
    });
    expect(statusInfo(answered).explanation).toContain('The provider answered (HTTP 401): “invalid_client”.');
    const local = 'Client secret is required for client authentication client_secret_basic (choose "none" for a public client)';
    const refused = account('y', { status: 'config_error', statusMessage: local, lastOutcome: { at: now, outcome: 'error', errorClass: 'config_error', message: local } });
    const words = statusInfo(refused).explanation;
    expect(words).not.toMatch(/provider (said|answered|rejected)/i);
    expect(words).toContain('nothing reached the provider');
    expect(words).toContain(`Details: “${local}”.`);
  });

  it('names a configuration error the provider’s only when it answered', () => {
    expect(errorClassWords('config_error', 400)).toBe('the provider rejected the account’s settings');
    expect(errorClassWords('config_error')).toBe('TokenDesk cannot send a request with the account’s settings');
    expect(errorClassWords('transient')).toMatch(/temporary problem/);
  });

  it('says "while the token is still valid" only when there is a token', () => {
    const failing = { status: 'retrying' as const, retryAttempt: 3, lastOutcome: { at: now, outcome: 'error' as const, errorClass: 'transient' as const, message: 'connection refused' } };
    expect(statusInfo(account('t', { ...failing, hasAccessToken: true })).explanation).toMatch(/retries with backoff \(attempt 3\) while the current token is still valid\.$/);
    const none = statusInfo(account('n', { ...failing, hasAccessToken: false })).explanation;
    expect(none).not.toMatch(/still valid/);
    expect(none).toMatch(/retries with backoff \(attempt 3\); the account has no access token until a try succeeds\.$/);
  });
});
