// Signing in from the dashboard, the pure parts (src/renderer/src/lib/signin.ts), the Add
// form's "Sign in with …" (lib/form.ts) and the status wording of an account that needs a
// sign-in (lib/status.ts).
import { describe, expect, it } from 'vitest';
import qrcode from 'qrcode-generator';
import { providerDescriptors } from '../../src/shared/providers/index.js';
import { checkAddForm, emptyForm } from '../../src/renderer/src/lib/form.js';
import { countdown, countdownWords, failureAdvice, failureKind, offersSignIn, qrPath } from '../../src/renderer/src/lib/signin.js';
import { statusInfo } from '../../src/renderer/src/lib/status.js';

describe('offersSignIn', () => {
  it('needs a browser sign-in and an account kept alive by its refresh token', () => {
    expect(offersSignIn(['browser', 'device'], { grant: 'refresh_token' })).toBe(true);
    expect(offersSignIn(['browser'], {})).toBe(true);
    expect(offersSignIn(['browser', 'device'], { grant: 'client_credentials' })).toBe(false);
    expect(offersSignIn([], {})).toBe(false);
    expect(offersSignIn(undefined, {})).toBe(false);
    expect(offersSignIn(['device'], {})).toBe(false);
  });
});

describe('countdown', () => {
  it('reads like a clock, in whole seconds rounded down, never below zero', () => {
    expect(countdown(300_000)).toBe('5:00');
    expect(countdown(300_900)).toBe('5:00');
    expect(countdown(299_999)).toBe('4:59');
    expect(countdown(7_500)).toBe('0:07');
    expect(countdown(-4_000)).toBe('0:00');
    expect(countdown(65 * 60_000)).toBe('65:00');
  });

  it('has words for screen readers', () => {
    expect(countdownWords(299_400)).toBe('4 minutes 59 seconds left');
    expect(countdownWords(60_000)).toBe('1 minute left');
    expect(countdownWords(1_000)).toBe('1 second left');
    expect(countdownWords(0)).toBe('0 seconds left');
  });
});

describe('failureKind and failureAdvice', () => {
  it('tells a decline, a timeout and rejected settings apart, in the owner’s words', () => {
    expect(failureKind('Sign-in was declined at the provider: The user denied the request', false)).toBe('declined');
    expect(failureKind('Sign-in was declined on the other device', true)).toBe('declined');
    expect(failureKind('Sign-in timed out after 10 s without an answer from the browser', false)).toBe('timed_out');
    expect(failureKind('The code expired before it was approved; start again', false)).toBe('timed_out');
    expect(failureKind('invalid_client: Client authentication failed', false)).toBe('settings');
    expect(failureKind('The provider refused the sign-in (invalid_scope)', false)).toBe('settings');
    expect(failureKind('Something else', true)).toBe('settings');
    expect(failureKind('connect ECONNREFUSED', false)).toBe('other');
    expect(failureKind(undefined, false)).toBe('other');
    expect(failureAdvice('settings')).toContain('check the account’s settings');
    expect(failureAdvice('timed_out')).toContain('Nothing was stored');
  });
});

describe('qrPath', () => {
  it('draws each run of dark modules as one rectangle, offset by the quiet zone', () => {
    const grid = ['##.#', '....', '.###', '#..#'];
    const path = qrPath(4, (r, c) => grid[r]![c] === '#', 4);
    expect(path).toBe('M4 4h2v1h-2zM7 4h1v1h-1zM5 6h3v1h-3zM4 7h1v1h-1zM7 7h1v1h-1z');
  });

  it('draws a real code from qrcode-generator: its three finder patterns are there', () => {
    const qr = qrcode(0, 'M');
    qr.addData('http://127.0.0.1:4000/device?user_code=BVLJ-GLWQ');
    qr.make();
    const size = qr.getModuleCount();
    expect(size).toBeGreaterThanOrEqual(21);
    const path = qrPath(size, (r, c) => qr.isDark(r, c));
    // Top row of the top-left and top-right finders: seven dark modules in a row.
    expect(path.startsWith('M0 0h7v1h-7z')).toBe(true);
    expect(path).toContain(`M${size - 7} 0h7v1h-7z`);
  });
});

describe('the Add form with "Sign in with …"', () => {
  const oauth2 = providerDescriptors.oauth2;
  const form = () => {
    const f = emptyForm(oauth2);
    return {
      ...f,
      name: 'signed-in',
      accessTokenExpiresIn: '3600',
      values: { ...f.values, issuer: 'http://127.0.0.1:4000', client_id: 'cid', client_secret: 'secret', refresh_token: 'rt_typed_before_switching', access_token: 'at_also_typed' },
    };
  };

  it('leaves the hidden token fields and the pasted token’s lifetime out', () => {
    const checked = checkAddForm(form(), oauth2, undefined, true);
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.input.values).toEqual({ issuer: 'http://127.0.0.1:4000', client_id: 'cid', client_secret: 'secret', client_auth: 'client_secret_basic', grant: 'refresh_token' });
    expect(checked.input.accessTokenExpiresInSeconds).toBeUndefined();
  });

  it('keeps them when the user pastes a token', () => {
    const checked = checkAddForm(form(), oauth2);
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.input.values['refresh_token']).toBe('rt_typed_before_switching');
    expect(checked.input.accessTokenExpiresInSeconds).toBe(3600);
  });
});

describe('statusInfo of an account that needs a sign-in', () => {
  const base = { notSaved: false, retryAttempt: 0, paused: false, hasAccessToken: false } as const;

  it('an account added to be signed in: no tokens yet, not “the provider said”', () => {
    const added = { ...base, status: 'reauth_required' as const, statusMessage: 'This account has no refresh token yet: sign in to get one' };
    expect(statusInfo(added, true).explanation).toBe('This account has no tokens yet. Sign in to get them; TokenDesk keeps them alive from then on.');
    expect(statusInfo(added, false).explanation).toBe('This account has no refresh token yet. Paste one with Edit.');
  });

  it('a refresh token the provider stopped accepting: its words, then Sign in again (or paste, where TokenDesk cannot sign in)', () => {
    const rejected = { ...base, status: 'reauth_required' as const, statusMessage: 'Invalid Refresh Token', obtainedAt: 1 };
    expect(statusInfo(rejected, true).explanation).toMatch(/“Invalid Refresh Token”\. Sign in again to get new tokens\.$/);
    expect(statusInfo(rejected, false).explanation).toMatch(/paste the new refresh token with Edit\.$/);
    expect(statusInfo({ ...base, status: 'revoked' }, true).explanation).toContain('Sign in to use this account again');
  });
});
