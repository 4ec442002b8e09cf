// Sign-in end to end against the simulators over real HTTP: an owner starts the sign-in, the
// "browser" (fetch, following the authorization server's redirect to the loopback listener)
// approves or denies, the engine saves the tokens like a refresh's and records a `sign_in`
// history row. Device flow, client credentials, UPS, and the ways it fails.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startDemo } from '../../src/main/core/demo.js';
import type { Owner } from '../../src/main/core/owner/owner.js';
import type { SignInInfo } from '../../src/shared/contract.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulators/index.js';
import type { ProviderId } from '../../src/shared/domain.js';
import { call, openTestOwner, tempDir, waitFor } from '../helpers/temp-owner.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function sim(id: ProviderId, options: SimulatorOptions = {}): Promise<Simulator> {
  const s = await startSimulator(id, options);
  cleanups.push(() => s.close());
  return s;
}

async function owner(options: Parameters<typeof openTestOwner>[1] = {}): Promise<Owner> {
  const t = await tempDir('td-signin-');
  cleanups.push(t.cleanup);
  const o = await openTestOwner(t.dir, { schedule: true, ...options });
  cleanups.push(() => o.close());
  return o;
}

/** An oauth2 account with no refresh token yet, for a client the simulator knows. */
async function addOAuth2(o: Owner, s: Simulator, name: string, extra: Record<string, string> = {}) {
  const client = s.clientCredentials();
  return call(o, 'accounts.add', {
    providerId: 'oauth2',
    name,
    values: { issuer: s.url, client_id: client.clientId, client_secret: client.clientSecret, ...extra },
  });
}

/** What the user's browser does: opens the URL, the server redirects back to the loopback listener, which answers. */
async function browse(url: string, decision?: 'approve' | 'deny'): Promise<{ status: number; text: string }> {
  const authorize = new URL(url);
  if (decision) authorize.searchParams.set('auto', decision);
  const res = await fetch(authorize, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const back = await fetch(res.headers.get('location')!, { redirect: 'manual' });
  return { status: back.status, text: await back.text() };
}

const browser = (info: SignInInfo) => {
  if (info.method !== 'browser') throw new Error('expected a browser sign-in');
  return info;
};

describe('browser sign-in (authorization code + PKCE, loopback redirect)', () => {
  it('approve: the account gets its tokens, becomes active, refreshes afterwards, and history shows the sign-in', async () => {
    const s = await sim('oauth2', { accessTtlSec: 3600 });
    const o = await owner();
    const added = await addOAuth2(o, s, 'signs-in');
    await waitFor('the account to need a sign-in', async () => (await call(o, 'accounts.get', { account: added.id })).status === 'reauth_required');
    expect((await call(o, 'providers.list')).find((p) => p.id === 'oauth2')?.signIn).toEqual(['browser', 'device']);

    const info = browser(await call(o, 'signin.start', { account: 'signs-in', method: 'browser' }));
    const url = new URL(info.url);
    expect(url.origin + url.pathname).toBe(`${s.url}/oauth/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ response_type: 'code', client_id: expect.any(String), code_challenge_method: 'S256', redirect_uri: info.redirectUri });
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(info.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);

    const page = await browse(info.url, 'approve');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Return to TokenDesk');
    const { account } = await call(o, 'signin.wait', { sessionId: info.sessionId });
    expect(account).toMatchObject({ status: 'active', hasAccessToken: true });
    expect(s.isValidAccessToken((await call(o, 'accounts.token', { account: 'signs-in' })).accessToken)).toBe(true);
    const history = await call(o, 'history.list', { account: 'signs-in' });
    expect(history[0]).toMatchObject({ trigger: 'sign_in', outcome: 'ok' });
    // The refresh token the sign-in got works, and rotates as usual.
    const refreshed = await call(o, 'accounts.refresh', { account: 'signs-in' });
    expect(refreshed.outcome.ok).toBe(true);
    expect(refreshed.outcome.event.rotated).toBe(true);
  });

  it('deny: declined, in words; nothing stored, the account still needs a sign-in', async () => {
    const s = await sim('oauth2');
    const o = await owner();
    await addOAuth2(o, s, 'declines');
    const info = browser(await call(o, 'signin.start', { account: 'declines', method: 'browser' }));
    const changes: unknown[] = [];
    o.engine.on('signin-changed', (c) => changes.push(c));
    await browse(info.url, 'deny');
    await expect(call(o, 'signin.wait', { sessionId: info.sessionId })).rejects.toMatchObject({ code: 'reauth_required', message: expect.stringMatching(/^Sign-in was declined at the provider/) });
    const view = await call(o, 'accounts.get', { account: 'declines' });
    expect(view.hasAccessToken).toBe(false);
    expect(changes).toEqual([{ sessionId: info.sessionId, accountId: view.id, state: 'failed', message: expect.stringMatching(/declined/) }]);
  });

  it('timeout and cancel: a clear message, nothing stored, the listener gone', async () => {
    const s = await sim('oauth2');
    const o = await owner();
    await addOAuth2(o, s, 'waits');
    const info = browser(await call(o, 'signin.start', { account: 'waits', method: 'browser', timeoutSeconds: 10 }));
    const cancelled = await call(o, 'signin.cancel', { sessionId: info.sessionId });
    expect(cancelled).toEqual({ cancelled: true });
    await expect(call(o, 'signin.wait', { sessionId: info.sessionId })).rejects.toMatchObject({ message: 'Sign-in cancelled' });
    await expect(fetch(info.redirectUri).then(() => 'answered', () => 'refused')).resolves.toBe('refused');
    expect((await call(o, 'accounts.get', { account: 'waits' })).hasAccessToken).toBe(false);
  });

  it('a wrong client secret is refused at the exchange: the account needs its settings fixed, and says so', async () => {
    const s = await sim('oauth2');
    const o = await owner();
    await addOAuth2(o, s, 'bad-secret', { client_secret: 'not-the-secret' });
    const info = browser(await call(o, 'signin.start', { account: 'bad-secret', method: 'browser' }));
    await browse(info.url, 'approve');
    await expect(call(o, 'signin.wait', { sessionId: info.sessionId })).rejects.toMatchObject({ code: 'config_error', message: expect.stringMatching(/invalid_client/) });
    expect(await call(o, 'accounts.get', { account: 'bad-secret' })).toMatchObject({ status: 'config_error', hasAccessToken: false });
  });

  it('a provider with no browser sign-in says so', async () => {
    const s = await sim('banyan');
    const o = await owner();
    const grant = s.issue();
    await call(o, 'accounts.add', { providerId: 'banyan', name: 'api-key', baseUrl: s.url, values: { refresh_token: grant.refreshToken } });
    await expect(call(o, 'signin.start', { account: 'api-key', method: 'browser' })).rejects.toMatchObject({ code: 'config_error', message: expect.stringMatching(/cannot sign in to Banyan/) });
  });

  it('UPS: authorization code at /security/v1/oauth/authorize, exchanged with HTTP Basic; the answer UPS-shaped', async () => {
    const s = await sim('ups', { autoConsent: 'approve' });
    const o = await owner();
    const client = s.clientCredentials();
    await call(o, 'accounts.add', { providerId: 'ups', name: 'ups-signin', baseUrl: s.url, values: { client_id: client.clientId, client_secret: client.clientSecret } });
    const info = browser(await call(o, 'signin.start', { account: 'ups-signin', method: 'browser' }));
    expect(new URL(info.url).pathname).toBe('/security/v1/oauth/authorize');
    await browse(info.url);
    const { account } = await call(o, 'signin.wait', { sessionId: info.sessionId });
    expect(account).toMatchObject({ status: 'active', hasAccessToken: true, expirySource: 'expires_in' });
    const exchange = s.requests.find((r) => r.path === '/security/v1/oauth/token' && r.bodyText.includes('grant_type=authorization_code'))!;
    expect(exchange.headers['authorization']).toMatch(/^Basic /);
  });
});

describe('TeamUp sign-in', () => {
  it('authorization code + PKCE at /api/v2/auth/oauth/authorize with scope read_write; the refresh token then refreshes', async () => {
    const s = await sim('teamup', { autoConsent: 'approve' });
    const o = await owner();
    const client = s.clientCredentials();
    await call(o, 'accounts.add', { providerId: 'teamup', name: 'teamup-signin', baseUrl: s.url, values: { client_id: client.clientId, client_secret: client.clientSecret } });
    const info = browser(await call(o, 'signin.start', { account: 'teamup-signin', method: 'browser' }));
    const url = new URL(info.url);
    expect(url.pathname).toBe('/api/v2/auth/oauth/authorize');
    expect(url.searchParams.get('scope')).toBe('read_write');
    await browse(info.url);
    const { account } = await call(o, 'signin.wait', { sessionId: info.sessionId });
    expect(account).toMatchObject({ status: 'active', hasAccessToken: true });
    expect((await call(o, 'accounts.refresh', { account: 'teamup-signin' })).outcome.ok).toBe(true);
  });
});

describe('password sign-in (PathStack, Vault.ist: unverified request shapes)', () => {
  it('PathStack: POST /token with the password; the sub it answers is kept, and the refresh token then refreshes', async () => {
    const s = await sim('pathstack');
    const o = await owner();
    await call(o, 'accounts.add', { providerId: 'pathstack', name: 'ps', baseUrl: s.url, values: {} });
    const info = (await call(o, 'providers.list')).find((p) => p.id === 'pathstack')!;
    expect(info).toMatchObject({ signIn: ['password'], passwordSignIn: { userLabel: 'Username', verified: false } });
    const started = await call(o, 'signin.start', { account: 'ps', method: 'password', credentials: s.passwordUser() });
    const { account } = await call(o, 'signin.wait', { sessionId: started.sessionId });
    expect(account).toMatchObject({ status: 'active', hasAccessToken: true, settings: { sub: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
    expect((await call(o, 'accounts.refresh', { account: 'ps' })).outcome.ok).toBe(true);
    expect((await call(o, 'history.list', { account: 'ps' })).map((e) => e.trigger)).toContain('sign_in');
  });

  it('a wrong password: refused in words, nothing stored, the password in no message', async () => {
    const s = await sim('pathstack');
    const o = await owner();
    await call(o, 'accounts.add', { providerId: 'pathstack', name: 'ps', baseUrl: s.url, values: {} });
    const started = await call(o, 'signin.start', { account: 'ps', method: 'password', credentials: { username: s.passwordUser().username, password: 'not-the-password' } });
    const err = await call(o, 'signin.wait', { sessionId: started.sessionId }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err).toMatchObject({ code: 'reauth_required', message: expect.stringMatching(/PathStack refused the sign-in: .*Incorrect username or password/) });
    expect(err!.message).not.toContain('not-the-password');
    expect((await call(o, 'accounts.get', { account: 'ps' })).hasAccessToken).toBe(false);
    await expect(call(o, 'signin.start', { account: 'ps', method: 'password' })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('Vault.ist: grantType password_email with the email and password', async () => {
    const s = await sim('vaultist');
    const o = await owner();
    const grant = s.issue();
    await call(o, 'accounts.add', { providerId: 'vaultist', name: 'vi', baseUrl: s.url, values: { partner_id: grant.settings['partner_id']! } });
    const started = await call(o, 'signin.start', { account: 'vi', method: 'password', credentials: s.passwordUser() });
    expect((await call(o, 'signin.wait', { sessionId: started.sessionId })).account).toMatchObject({ status: 'active', hasAccessToken: true });
    const request = s.requests.find((r) => r.headers['granttype'] === 'password_email')!;
    expect(JSON.parse(request.bodyText)).toEqual({ email: s.passwordUser().username, password: s.passwordUser().password });
  });
});

describe('device sign-in (RFC 8628)', () => {
  it('shows a code; approved on the simulator, the account is signed in', async () => {
    const s = await sim('oauth2', { deviceIntervalSec: 0 });
    const o = await owner();
    await addOAuth2(o, s, 'on-a-server');
    const info = await call(o, 'signin.start', { account: 'on-a-server', method: 'device' });
    if (info.method !== 'device') throw new Error('expected a device sign-in');
    expect(info.userCode).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    expect(info.verificationUri).toBe(`${s.url}/device`);
    await waitFor('a poll that is still pending', () => s.requests.some((r) => r.bodyText.includes('device_code')));
    s.approveDevice(info.userCode);
    const { account } = await call(o, 'signin.wait', { sessionId: info.sessionId });
    expect(account).toMatchObject({ status: 'active', hasAccessToken: true });
    expect((await call(o, 'history.list', { account: 'on-a-server' }))[0]).toMatchObject({ trigger: 'sign_in', outcome: 'ok' });
  });

  it('a provider file offers it too: its own requests, the simulator’s code, approved, the account signed in', async () => {
    const s = await sim('oauth2', { deviceIntervalSec: 0 });
    const o = await owner();
    // The oauth2 definition that mirrors the built-in provider, added as the user's own file.
    const definition = { ...JSON.parse(readFileSync('src/main/core/providers/definitions/oauth2.json', 'utf8')), id: 'our-idp', name: 'Our identity server' };
    await call(o, 'providers.add', { definition });
    expect((await call(o, 'providers.list')).find((p) => p.id === 'our-idp')?.signIn).toEqual(['device']);
    const client = s.clientCredentials();
    await call(o, 'accounts.add', { providerId: 'our-idp', name: 'from-a-file', values: { issuer: s.url, client_id: client.clientId, client_secret: client.clientSecret, scope: 'read' } });
    const info = await call(o, 'signin.start', { account: 'from-a-file', method: 'device' });
    if (info.method !== 'device') throw new Error('expected a device sign-in');
    expect(info.verificationUri).toBe(`${s.url}/device`);
    await waitFor('a poll that is still pending', () => s.requests.some((r) => r.bodyText.includes('device_code')));
    const authorize = s.requests.find((r) => r.path === '/oauth/device_authorization')!;
    expect(new URLSearchParams(authorize.bodyText).get('scope')).toBe('read');
    s.approveDevice(info.userCode);
    const { account } = await call(o, 'signin.wait', { sessionId: info.sessionId });
    expect(account).toMatchObject({ status: 'active', hasAccessToken: true });
    expect((await call(o, 'history.list', { account: 'from-a-file' }))[0]).toMatchObject({ trigger: 'sign_in', outcome: 'ok' });
    expect((await call(o, 'accounts.refresh', { account: 'from-a-file' })).outcome.ok).toBe(true);
  });

  it('denied, and expired: each ends with its own words', async () => {
    const s = await sim('oauth2', { deviceIntervalSec: 0, deviceExpiresInSec: 1 });
    const o = await owner();
    await addOAuth2(o, s, 'denied');
    await addOAuth2(o, s, 'expired');
    const denied = await call(o, 'signin.start', { account: 'denied', method: 'device' });
    if (denied.method !== 'device') throw new Error('expected a device sign-in');
    s.denyDevice(denied.userCode);
    await expect(call(o, 'signin.wait', { sessionId: denied.sessionId })).rejects.toMatchObject({ code: 'reauth_required', message: 'Sign-in was declined on the other device' });
    const expired = await call(o, 'signin.start', { account: 'expired', method: 'device' });
    await expect(call(o, 'signin.wait', { sessionId: expired.sessionId })).rejects.toMatchObject({ code: 'reauth_required', message: expect.stringMatching(/expired before it was approved/) });
  });
});

describe('client credentials (RFC 6749 §4.4)', () => {
  it('an account with no refresh token is kept alive by re-running the grant before expiry, over 5 lifetimes', async () => {
    const s = await sim('oauth2', { accessTtlSec: 2 });
    const o = await owner();
    const client = s.clientCredentials();
    await call(o, 'accounts.add', {
      providerId: 'oauth2',
      name: 'machine',
      values: { token_url: `${s.url}/oauth/token`, client_id: client.clientId, client_secret: client.clientSecret, grant: 'client_credentials' },
    });
    const grants = () => s.requests.filter((r) => r.bodyText.includes('grant_type=client_credentials')).length;
    await waitFor('six client-credentials grants', () => grants() >= 6, 30_000);
    // Between two grants the account is active with its next refresh queued.
    await waitFor('the account at rest', async () => {
      const view = await call(o, 'accounts.get', { account: 'machine' });
      return view.status === 'active' && view.nextRefreshAt !== undefined;
    });
    expect(s.isValidAccessToken((await call(o, 'accounts.token', { account: 'machine', minValidSeconds: 0 })).accessToken)).toBe(true);
    const history = await call(o, 'history.list', { account: 'machine' });
    expect(history.filter((e) => e.outcome === 'ok').length).toBeGreaterThanOrEqual(6);
    expect(history.every((e) => e.outcome === 'ok')).toBe(true);
  });

  it('UPS client credentials: Basic auth and the x-merchant-id header', async () => {
    const s = await sim('ups', { accessTtlSec: 3600 });
    const o = await owner();
    const client = s.clientCredentials();
    await call(o, 'accounts.add', {
      providerId: 'ups',
      name: 'ups-rating',
      baseUrl: s.url,
      values: { client_id: client.clientId, client_secret: client.clientSecret, grant: 'client_credentials', merchant_id: 'A1B2C3' },
    });
    await waitFor('the first token', async () => (await call(o, 'accounts.get', { account: 'ups-rating' })).hasAccessToken);
    const request = s.requests.find((r) => r.bodyText === 'grant_type=client_credentials')!;
    expect(request.headers).toMatchObject({ authorization: expect.stringMatching(/^Basic /), 'x-merchant-id': 'A1B2C3' });
  });
});

describe('the demo', () => {
  it('has an account waiting for a sign-in, and signing in through its simulator works', async () => {
    const dataDir = await tempDir('td-signin-demo-');
    const realDataDir = await tempDir('td-signin-real-');
    cleanups.push(dataDir.cleanup, realDataDir.cleanup);
    const demo = await startDemo({ dataDir: `${dataDir.dir}/demo`, realDataDir: realDataDir.dir });
    cleanups.push(() => demo.close());
    const o = demo.owner;
    await waitFor('the account to ask for a sign-in', async () => (await call(o, 'accounts.get', { account: 'Sign in to get a token' })).status === 'reauth_required');
    const info = browser(await call(o, 'signin.start', { account: 'Sign in to get a token', method: 'browser' }));
    await browse(info.url, 'approve');
    expect((await call(o, 'signin.wait', { sessionId: info.sessionId })).account).toMatchObject({ status: 'active', hasAccessToken: true });
  });
});
