// Sign-in on the simulators (oauth2, ups, teamup) over real HTTP: the authorization endpoint
// and its consent page, code exchange with PKCE, the device flow and client credentials.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProviderId } from '../../src/shared/domain.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulators/index.js';

const running: Simulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.close()));
});

async function start(providerId: ProviderId, options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = await startSimulator(providerId, options);
  running.push(sim);
  return sim;
}

function manualClock(startMs = 1_700_000_000_000) {
  let t = startMs;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

const REDIRECT = 'http://127.0.0.1:53682/callback';
const formEncode = (v: string) => encodeURIComponent(v).replace(/%20/g, '+');
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const oauthBasic = (id: string, secret: string) => basic(formEncode(id), formEncode(secret));
const obj = (v: unknown) => v as Record<string, unknown>;

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
  location: URL | undefined;
}

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, { redirect: 'manual', ...init });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const location = res.headers.get('location');
  return { status: res.status, headers: res.headers, text, body, location: location ? new URL(location) : undefined };
}

const postForm = (url: string, params: Record<string, string>, headers: Record<string, string> = {}) =>
  call(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(params).toString() });

/** The authorization URL of a simulator with sensible defaults; `undefined` drops a parameter. */
function authorizeUrl(endpoint: string, params: Record<string, string | undefined>): string {
  const url = new URL(endpoint);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

/** The consent page's forms: action and hidden fields, keyed by button label. */
function consentForms(html: string): Record<string, { action: string; fields: Record<string, string> }> {
  const forms: Record<string, { action: string; fields: Record<string, string> }> = {};
  for (const match of html.matchAll(/<form method="post" action="([^"]+)">(.*?)<button type="submit">([^<]+)<\/button><\/form>/g)) {
    const fields: Record<string, string> = {};
    for (const input of match[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[input[1]!] = input[2]!;
    forms[match[3]!] = { action: match[1]!, fields };
  }
  return forms;
}

describe('oauth2 authorization code + PKCE', () => {
  const endpoints = (sim: Simulator) => ({ authorize: `${sim.url}/oauth/authorize`, token: `${sim.url}/oauth/token` });

  async function signIn(sim: Simulator, extra: Record<string, string | undefined> = {}) {
    const { clientId } = sim.clientCredentials();
    const { verifier, challenge } = pkce();
    const res = await call(
      authorizeUrl(endpoints(sim).authorize, {
        response_type: 'code',
        client_id: clientId,
        redirect_uri: REDIRECT,
        state: 'st-1',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        scope: 'read write',
        auto: 'approve',
        ...extra,
      }),
    );
    return { res, verifier, code: res.location?.searchParams.get('code') ?? '' };
  }

  const exchange = (sim: Simulator, params: Record<string, string>, auth = sim.clientCredentials()) =>
    postForm(endpoints(sim).token, { grant_type: 'authorization_code', redirect_uri: REDIRECT, ...params }, { authorization: oauthBasic(auth.clientId, auth.clientSecret) });

  it('shows a consent page with real Approve and Deny buttons; Approve redirects with a code that buys refreshable tokens', async () => {
    const sim = await start('oauth2');
    const { clientId, clientSecret } = sim.clientCredentials();
    const { verifier, challenge } = pkce();
    const page = await call(
      authorizeUrl(endpoints(sim).authorize, {
        response_type: 'code',
        client_id: clientId,
        redirect_uri: REDIRECT,
        state: 'xyz',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        scope: 'read',
      }),
    );
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toContain('<title>Sign in to OAuth 2.0 server (simulator)</title>');
    expect(page.text).toContain(clientId);
    expect(page.text).toContain('<dd>read</dd>');
    const forms = consentForms(page.text);
    expect(Object.keys(forms).sort()).toEqual(['Approve', 'Deny']);
    expect(forms['Approve']!.fields['request_id']).toBe(forms['Deny']!.fields['request_id']);
    expect(sim.authorizationRequests).toHaveLength(1);
    expect(sim.authorizationRequests[0]!.query['state']).toBe('xyz');

    const approve = forms['Approve']!;
    const decided = await postForm(`${new URL(sim.url).origin}${approve.action}`, approve.fields);
    expect(decided.status).toBe(302);
    expect(decided.location!.origin + decided.location!.pathname).toBe(REDIRECT);
    expect(decided.location!.searchParams.get('state')).toBe('xyz');
    const code = decided.location!.searchParams.get('code')!;
    expect(code.length).toBeGreaterThan(20);
    // the request id is single use
    const again = await postForm(`${new URL(sim.url).origin}${approve.action}`, approve.fields);
    expect([again.status, again.location]).toEqual([400, undefined]);

    const tokens = await exchange(sim, { code, code_verifier: verifier });
    expect(tokens.status).toBe(200);
    expect(tokens.headers.get('cache-control')).toBe('no-store');
    const body = obj(tokens.body);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'read' });
    expect(sim.isValidAccessToken(body['access_token'] as string)).toBe(true);
    expect(sim.isValidRefreshToken(body['refresh_token'] as string)).toBe(true);

    // the new grant refreshes and rotates like any other
    const refreshed = await postForm(endpoints(sim).token, { grant_type: 'refresh_token', refresh_token: body['refresh_token'] as string }, { authorization: oauthBasic(clientId, clientSecret) });
    expect(refreshed.status).toBe(200);
    expect(obj(refreshed.body)).toMatchObject({ scope: 'read' });
    expect(obj(refreshed.body)['refresh_token']).not.toBe(body['refresh_token']);
    expect(sim.rotations).toHaveLength(1);
  });

  it('Deny on the page and auto=deny redirect with access_denied and the state; auto=approve and autoConsent skip the page', async () => {
    const sim = await start('oauth2');
    const { clientId } = sim.clientCredentials();
    const { challenge } = pkce();
    const base = { response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, state: 's', code_challenge: challenge, code_challenge_method: 'S256' };
    const page = await call(authorizeUrl(endpoints(sim).authorize, base));
    const deny = consentForms(page.text)['Deny']!;
    const denied = await postForm(`${new URL(sim.url).origin}${deny.action}`, deny.fields);
    expect(denied.status).toBe(302);
    expect(Object.fromEntries(denied.location!.searchParams)).toMatchObject({ error: 'access_denied', state: 's' });
    expect(denied.location!.searchParams.get('error_description')).toBeTruthy();
    expect(denied.location!.searchParams.has('code')).toBe(false);

    const autoDeny = await call(authorizeUrl(endpoints(sim).authorize, { ...base, auto: 'deny' }));
    expect([autoDeny.status, autoDeny.location!.searchParams.get('error')]).toEqual([302, 'access_denied']);
    const autoApprove = await call(authorizeUrl(endpoints(sim).authorize, { ...base, auto: 'approve' }));
    expect(autoApprove.status).toBe(302);
    expect(autoApprove.location!.searchParams.get('code')).toBeTruthy();
    expect(autoApprove.location!.searchParams.get('state')).toBe('s');

    const auto = await start('oauth2', { autoConsent: 'deny' });
    const res = await call(authorizeUrl(`${auto.url}/oauth/authorize`, { ...base, client_id: auto.clientCredentials().clientId }));
    expect(res.location!.searchParams.get('error')).toBe('access_denied');
  });

  it('refuses an unknown client or a bad redirect URI with a 400 page, never a redirect', async () => {
    const sim = await start('oauth2');
    const { clientId } = sim.clientCredentials();
    const { challenge } = pkce();
    const base = { response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, state: 's', code_challenge: challenge, code_challenge_method: 'S256', auto: 'approve' };
    for (const bad of [
      { client_id: 'nobody' },
      { client_id: undefined },
      { redirect_uri: undefined },
      { redirect_uri: 'http://localhost:53682/callback' },
      { redirect_uri: 'https://127.0.0.1:53682/callback' },
      { redirect_uri: 'http://127.0.0.1/callback' },
      { redirect_uri: 'http://127.0.0.1:53682' },
      { redirect_uri: 'http://127.0.0.1:53682/cb#frag' },
      { redirect_uri: 'http://evil.example:53682/callback' },
    ]) {
      const res = await call(authorizeUrl(endpoints(sim).authorize, { ...base, ...bad }));
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.location, JSON.stringify(bad)).toBeUndefined();
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    }
    expect(sim.authorizationRequests).toHaveLength(9);
    const ipv6 = await call(authorizeUrl(endpoints(sim).authorize, { ...base, redirect_uri: 'http://[::1]:53682/callback' }));
    expect(ipv6.status).toBe(302);
    expect(ipv6.location!.host).toBe('[::1]:53682');

    const lax = await start('oauth2', { allowLocalhostRedirect: true });
    const localhost = await call(authorizeUrl(`${lax.url}/oauth/authorize`, { ...base, client_id: lax.clientCredentials().clientId, redirect_uri: 'http://localhost:53682/callback' }));
    expect(localhost.status).toBe(302);

    const pinned = await start('oauth2', { registeredRedirectUri: 'http://127.0.0.1:8765/oauth/callback' });
    const pinnedBase = { ...base, client_id: pinned.clientCredentials().clientId };
    expect((await call(authorizeUrl(`${pinned.url}/oauth/authorize`, pinnedBase))).status).toBe(400);
    const exact = await call(authorizeUrl(`${pinned.url}/oauth/authorize`, { ...pinnedBase, redirect_uri: 'http://127.0.0.1:8765/oauth/callback' }));
    expect(exact.status).toBe(302);
  });

  it('redirects other request errors back to the client (missing state, no PKCE, plain PKCE, wrong response_type, bad scope)', async () => {
    const sim = await start('oauth2');
    const { clientId } = sim.clientCredentials();
    const { challenge } = pkce();
    const base = { response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, state: 's', code_challenge: challenge, code_challenge_method: 'S256', auto: 'approve' };
    const cases: [Record<string, string | undefined>, string][] = [
      [{ state: undefined }, 'invalid_request'],
      [{ code_challenge: undefined, code_challenge_method: undefined }, 'invalid_request'],
      [{ code_challenge_method: 'plain' }, 'invalid_request'],
      [{ code_challenge_method: undefined }, 'invalid_request'],
      [{ code_challenge: 'short' }, 'invalid_request'],
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ scope: 'admin' }, 'invalid_scope'],
    ];
    for (const [change, error] of cases) {
      const res = await call(authorizeUrl(endpoints(sim).authorize, { ...base, ...change }));
      expect(res.status, JSON.stringify(change)).toBe(302);
      expect(res.location!.searchParams.get('error'), JSON.stringify(change)).toBe(error);
      expect(res.location!.searchParams.has('code')).toBe(false);
    }
    // requirePkce: false lets a request without PKCE through
    const lax = await start('oauth2', { requirePkce: false });
    const res = await call(authorizeUrl(`${lax.url}/oauth/authorize`, { ...base, client_id: lax.clientCredentials().clientId, code_challenge: undefined, code_challenge_method: undefined }));
    expect(res.location!.searchParams.get('code')).toBeTruthy();
  });

  it('refuses a PKCE mismatch, a used code, a wrong redirect_uri and a missing verifier with invalid_grant, without echoing secrets', async () => {
    const sim = await start('oauth2');
    const first = await signIn(sim);
    const mismatch = await exchange(sim, { code: first.code, code_verifier: pkce().verifier });
    expect([mismatch.status, obj(mismatch.body)['error']]).toEqual([400, 'invalid_grant']);
    expect(mismatch.text).not.toContain(first.code);
    // the failed attempt used the code up
    const used = await exchange(sim, { code: first.code, code_verifier: first.verifier });
    expect([used.status, obj(used.body)['error']]).toEqual([400, 'invalid_grant']);

    const second = await signIn(sim);
    const wrongRedirect = await exchange(sim, { code: second.code, code_verifier: second.verifier, redirect_uri: 'http://127.0.0.1:53682/other' });
    expect(obj(wrongRedirect.body)['error']).toBe('invalid_grant');

    const third = await signIn(sim);
    const noVerifier = await exchange(sim, { code: third.code });
    expect(obj(noVerifier.body)['error']).toBe('invalid_grant');

    const unknown = await exchange(sim, { code: 'ac_never-issued', code_verifier: third.verifier });
    expect(obj(unknown.body)['error']).toBe('invalid_grant');
    const noCode = await exchange(sim, { code_verifier: third.verifier });
    expect(obj(noCode.body)['error']).toBe('invalid_request');
  });

  it('answers invalid_client (401) for a bad client, and keeps codes bound to their client', async () => {
    const other = { id: 'second-client', secret: 'second-client-secret-value' };
    const sim = await start('oauth2', { clients: [other] });
    const { code, verifier } = await signIn(sim);
    const badSecret = await exchange(sim, { code, code_verifier: verifier }, { clientId: sim.clientCredentials().clientId, clientSecret: 'wrong' });
    expect([badSecret.status, obj(badSecret.body)['error']]).toEqual([401, 'invalid_client']);
    const otherClient = await exchange(sim, { code, code_verifier: verifier }, { clientId: other.id, clientSecret: other.secret });
    expect(obj(otherClient.body)['error']).toBe('invalid_grant');
    // neither attempt used the code up
    expect((await exchange(sim, { code, code_verifier: verifier })).status).toBe(200);

    // the extra client signs in too
    const { challenge, verifier: v2 } = pkce();
    const res = await call(authorizeUrl(`${sim.url}/oauth/authorize`, { response_type: 'code', client_id: other.id, redirect_uri: REDIRECT, state: 's', code_challenge: challenge, code_challenge_method: 'S256', auto: 'approve' }));
    const ok = await exchange(sim, { code: res.location!.searchParams.get('code')!, code_verifier: v2 }, { clientId: other.id, clientSecret: other.secret });
    expect(ok.status).toBe(200);
  });

  it('expires codes after codeTtlSec on the simulator clock, and a replayed code revokes the grant it produced', async () => {
    const clock = manualClock();
    const sim = await start('oauth2', { now: clock.now, codeTtlSec: 30 });
    const late = await signIn(sim);
    clock.advance(30_000);
    expect(obj((await exchange(sim, { code: late.code, code_verifier: late.verifier })).body)['error']).toBe('invalid_grant');

    const { code, verifier } = await signIn(sim);
    const tokens = obj((await exchange(sim, { code, code_verifier: verifier })).body);
    expect(sim.isValidRefreshToken(tokens['refresh_token'] as string)).toBe(true);
    expect((await exchange(sim, { code, code_verifier: verifier })).status).toBe(400);
    expect(sim.isValidRefreshToken(tokens['refresh_token'] as string)).toBe(false);
    expect(sim.isValidAccessToken(tokens['access_token'] as string)).toBe(false);
  });

  it('a public client (clientAuth none) exchanges with client_id and its verifier', async () => {
    const sim = await start('oauth2', { clientAuth: 'none' });
    const { clientId } = sim.clientCredentials();
    const { code, verifier } = await signIn(sim);
    const res = await postForm(`${sim.url}/oauth/token`, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier, client_id: clientId });
    expect(res.status).toBe(200);
    expect(obj(res.body)['refresh_token']).toBeTruthy();
  });

  it('announces sign-in in both discovery documents', async () => {
    const sim = await start('oauth2');
    for (const p of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
      const doc = obj((await call(`${sim.url}${p}`)).body);
      expect(doc).toMatchObject({
        authorization_endpoint: `${sim.url}/oauth/authorize`,
        device_authorization_endpoint: `${sim.url}/oauth/device_authorization`,
        code_challenge_methods_supported: ['S256'],
        response_types_supported: ['code'],
      });
      expect(doc['grant_types_supported']).toEqual(['authorization_code', 'refresh_token', 'client_credentials', 'urn:ietf:params:oauth:grant-type:device_code']);
    }
    const noCc = await start('oauth2', { clientCredentials: false });
    const doc = obj((await call(`${noCc.url}/.well-known/oauth-authorization-server`)).body);
    expect(doc['grant_types_supported']).not.toContain('client_credentials');
  });
});

describe('oauth2 device authorization (RFC 8628)', () => {
  const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

  async function begin(sim: Simulator, scope?: string) {
    const { clientId, clientSecret } = sim.clientCredentials();
    const auth = { authorization: oauthBasic(clientId, clientSecret) };
    const res = await postForm(`${sim.url}/oauth/device_authorization`, scope ? { client_id: clientId, scope } : { client_id: clientId }, auth);
    const body = obj(res.body);
    const poll = () => postForm(`${sim.url}/oauth/token`, { grant_type: DEVICE_GRANT, device_code: body['device_code'] as string }, auth);
    return { res, body, poll, auth };
  }

  it('hands out codes, answers authorization_pending and slow_down, then tokens once approved, once', async () => {
    const clock = manualClock();
    const sim = await start('oauth2', { now: clock.now });
    const { res, body, poll, auth } = await begin(sim, 'read');
    expect(res.status).toBe(200);
    expect(body['user_code']).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(body).toMatchObject({
      verification_uri: `${sim.url}/device`,
      verification_uri_complete: `${sim.url}/device?user_code=${body['user_code'] as string}`,
      expires_in: 600,
      interval: 5,
    });
    expect(typeof body['device_code']).toBe('string');

    expect(obj((await poll()).body)['error']).toBe('authorization_pending');
    const fast = await poll();
    expect([fast.status, obj(fast.body)['error']]).toEqual([400, 'slow_down']);
    clock.advance(5_000); // the interval is now 10 s
    expect(obj((await poll()).body)['error']).toBe('slow_down');
    clock.advance(15_000);
    expect(obj((await poll()).body)['error']).toBe('authorization_pending');

    sim.approveDevice((body['user_code'] as string).toLowerCase().replace('-', ''));
    clock.advance(15_000);
    const tokens = await poll();
    expect(tokens.status).toBe(200);
    const t = obj(tokens.body);
    expect(t).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'read' });
    expect(sim.isValidRefreshToken(t['refresh_token'] as string)).toBe(true);
    clock.advance(15_000);
    expect(obj((await poll()).body)['error']).toBe('invalid_grant');
    const refreshed = await postForm(`${sim.url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: t['refresh_token'] as string }, auth);
    expect(refreshed.status).toBe(200);
    expect(() => sim.approveDevice(body['user_code'] as string)).toThrow(RangeError);
  });

  it('answers access_denied after Deny and expired_token after expiry; interval 0 never slows down', async () => {
    const clock = manualClock();
    const sim = await start('oauth2', { now: clock.now, deviceIntervalSec: 0, deviceExpiresInSec: 30 });
    const denied = await begin(sim);
    expect(denied.body['interval']).toBe(0);
    for (let i = 0; i < 3; i++) expect(obj((await denied.poll()).body)['error']).toBe('authorization_pending');
    sim.denyDevice(denied.body['user_code'] as string);
    expect(obj((await denied.poll()).body)['error']).toBe('access_denied');

    const expired = await begin(sim);
    clock.advance(30_000);
    expect(obj((await expired.poll()).body)['error']).toBe('expired_token');
    expect(() => sim.approveDevice(expired.body['user_code'] as string)).toThrow(RangeError);
    expect(() => sim.approveDevice('BBBB-BBBB')).toThrow(RangeError);
  });

  it('serves a device page with the code prefilled and Approve / Deny buttons that decide', async () => {
    const sim = await start('oauth2', { deviceIntervalSec: 0 });
    const { body, poll } = await begin(sim);
    const entry = await call(`${sim.url}/device`);
    expect(entry.status).toBe(200);
    expect(entry.text).toContain('name="user_code"');
    const unknown = await call(`${sim.url}/device?user_code=BBBB-BBBB`);
    expect(unknown.status).toBe(400);

    const page = await call(body['verification_uri_complete'] as string);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>Sign in to OAuth 2.0 server (simulator)</title>');
    expect(page.text).toContain(body['user_code'] as string);
    const forms = consentForms(page.text);
    expect(Object.keys(forms).sort()).toEqual(['Approve', 'Deny']);
    expect(page.text).not.toContain(body['device_code'] as string);
    const approve = forms['Approve']!;
    const done = await postForm(`${new URL(sim.url).origin}${approve.action}`, approve.fields);
    expect(done.status).toBe(200);
    expect(done.text).toMatch(/Approved/);
    expect((await postForm(`${new URL(sim.url).origin}${approve.action}`, approve.fields)).status).toBe(400);
    expect((await poll()).status).toBe(200);
  });

  it('authenticates the client at device_authorization and binds the device code to it', async () => {
    const other = { id: 'other-device-client', secret: 'other-device-client-secret' };
    const sim = await start('oauth2', { clients: [other], deviceIntervalSec: 0 });
    const bad = await postForm(`${sim.url}/oauth/device_authorization`, {}, { authorization: oauthBasic(sim.clientCredentials().clientId, 'nope') });
    expect([bad.status, obj(bad.body)['error']]).toEqual([401, 'invalid_client']);
    const badScope = await postForm(`${sim.url}/oauth/device_authorization`, { scope: 'admin' }, { authorization: oauthBasic(other.id, other.secret) });
    expect(obj(badScope.body)['error']).toBe('invalid_scope');
    const { body } = await begin(sim);
    sim.approveDevice(body['user_code'] as string);
    const stolen = await postForm(
      `${sim.url}/oauth/token`,
      { grant_type: DEVICE_GRANT, device_code: body['device_code'] as string },
      { authorization: oauthBasic(other.id, other.secret) },
    );
    expect(obj(stolen.body)['error']).toBe('invalid_grant');
  });
});

describe('client credentials', () => {
  it('oauth2: an access token of accessTtlSec, no refresh token; refused with a bad secret or when turned off', async () => {
    const sim = await start('oauth2', { accessTtlSec: 120 });
    const { clientId, clientSecret } = sim.clientCredentials();
    const res = await postForm(`${sim.url}/oauth/token`, { grant_type: 'client_credentials', scope: 'read' }, { authorization: oauthBasic(clientId, clientSecret) });
    expect(res.status).toBe(200);
    const body = obj(res.body);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 120, scope: 'read' });
    expect(body).not.toHaveProperty('refresh_token');
    expect(sim.isValidAccessToken(body['access_token'] as string)).toBe(true);
    const bad = await postForm(`${sim.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: oauthBasic(clientId, 'wrong') });
    expect([bad.status, obj(bad.body)['error']]).toEqual([401, 'invalid_client']);

    const off = await start('oauth2', { clientCredentials: false });
    const cc = off.clientCredentials();
    const refused = await postForm(`${off.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: oauthBasic(cc.clientId, cc.clientSecret) });
    expect(obj(refused.body)['error']).toBe('unsupported_grant_type');
  });

  it('ups: Basic + grant_type=client_credentials, x-merchant-id recorded, an all-string answer without refresh fields', async () => {
    const sim = await start('ups');
    const { clientId, clientSecret } = sim.clientCredentials();
    const res = await postForm(`${sim.url}/security/v1/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic(clientId, clientSecret), 'x-merchant-id': 'A1B2C3' });
    expect(res.status).toBe(200);
    const body = obj(res.body);
    for (const value of Object.values(body)) expect(typeof value).toBe('string');
    expect(body).toMatchObject({ token_type: 'Bearer', client_id: clientId, expires_in: '14399', status: 'approved' });
    expect(body['issued_at']).toMatch(/^\d{13}$/);
    expect(Object.keys(body).filter((k) => k.startsWith('refresh'))).toEqual([]);
    expect(sim.isValidAccessToken(body['access_token'] as string)).toBe(true);
    expect(sim.requests.at(-1)!.headers['x-merchant-id']).toBe('A1B2C3');

    const noAuth = await postForm(`${sim.url}/security/v1/oauth/token`, { grant_type: 'client_credentials' });
    expect([noAuth.status, noAuth.body]).toEqual([400, { response: { errors: [{ code: '10400', message: 'Invalid Authentication Header' }] } }]);
    const badSecret = await postForm(`${sim.url}/security/v1/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic(clientId, 'wrong') });
    expect([badSecret.status, badSecret.body]).toEqual([401, { response: { errors: [{ code: '10401', message: 'ClientId is Invalid' }] } }]);
  });

  it('clientCredentials() records the secret for the leak scan; vendors without sign-in have none', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tokendesk-issued-'));
    const file = path.join(dir, 'issued');
    const saved = process.env.TOKENDESK_SIM_ISSUED_FILE;
    process.env.TOKENDESK_SIM_ISSUED_FILE = file;
    try {
      for (const id of ['oauth2', 'ups', 'teamup'] as const) {
        const sim = await start(id);
        const { clientSecret } = sim.clientCredentials();
        expect(fs.readFileSync(file, 'utf8').split('\n')).toContain(clientSecret);
      }
    } finally {
      if (saved === undefined) delete process.env.TOKENDESK_SIM_ISSUED_FILE;
      else process.env.TOKENDESK_SIM_ISSUED_FILE = saved;
      fs.rmSync(dir, { recursive: true, force: true });
    }
    for (const id of ['pathstack', 'vaultist', 'banyan'] as const) {
      const sim = await start(id);
      expect(sim.authorizationRequests).toEqual([]);
      expect(() => sim.clientCredentials()).toThrow(/no sign-in/);
      expect(() => sim.approveDevice('BBBB-BBBB')).toThrow(/no sign-in/);
    }
  });
});

describe('ups sign-in', () => {
  const authorize = (sim: Simulator, extra: Record<string, string | undefined> = {}) =>
    call(
      authorizeUrl(`${sim.url}/security/v1/oauth/authorize`, {
        client_id: sim.clientCredentials().clientId,
        redirect_uri: REDIRECT,
        response_type: 'code',
        state: 'ups-state',
        auto: 'approve',
        ...extra,
      }),
    );

  it('authorizes without PKCE and exchanges the code with Basic for a UPS-shaped answer that refreshes', async () => {
    const sim = await start('ups');
    const { clientId, clientSecret } = sim.clientCredentials();
    const page = await authorize(sim, { auto: undefined, scope: 'read' });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>Sign in to UPS (simulator)</title>');
    const redirect = await authorize(sim);
    expect(redirect.location!.searchParams.get('state')).toBe('ups-state');
    const code = redirect.location!.searchParams.get('code')!;

    const res = await postForm(`${sim.url}/security/v1/oauth/token`, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, { authorization: basic(clientId, clientSecret) });
    expect(res.status).toBe(200);
    const body = obj(res.body);
    for (const value of Object.values(body)) expect(typeof value).toBe('string');
    expect(body).toMatchObject({ token_type: 'Bearer', client_id: clientId, expires_in: '14399', refresh_token_expires_in: '5183999', refresh_count: '0', status: 'approved' });
    expect(body['issued_at']).toMatch(/^\d{13}$/);

    const refreshed = await postForm(`${sim.url}/security/v1/oauth/refresh`, { grant_type: 'refresh_token', refresh_token: body['refresh_token'] as string }, { authorization: basic(clientId, clientSecret) });
    expect(refreshed.status).toBe(200);
    expect(obj(refreshed.body)['refresh_count']).toBe('1');

    const replay = await postForm(`${sim.url}/security/v1/oauth/token`, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, { authorization: basic(clientId, clientSecret) });
    expect([replay.status, replay.body]).toEqual([401, { response: { errors: [{ code: '10400', message: 'Invalid Authorization Code' }] } }]);
    expect(replay.text).not.toContain(code);
  });

  it('the PKCE variant: client_id + code_verifier in the body and no Basic', async () => {
    const sim = await start('ups');
    const { clientId } = sim.clientCredentials();
    const { verifier, challenge } = pkce();
    const redirect = await authorize(sim, { code_challenge: challenge, code_challenge_method: 'S256' });
    const code = redirect.location!.searchParams.get('code')!;
    const tokenUrl = `${sim.url}/security/v1/oauth/token`;
    const noVerifier = await postForm(tokenUrl, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: clientId });
    expect([noVerifier.status, noVerifier.body]).toEqual([400, { response: { errors: [{ code: '10400', message: 'Invalid Authentication Header' }] } }]);
    const res = await postForm(tokenUrl, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: clientId, code_verifier: verifier });
    expect(res.status).toBe(200);
    expect(sim.isValidRefreshToken(obj(res.body)['refresh_token'] as string)).toBe(true);

    // without Basic, a code that had no challenge is refused
    const plain = (await authorize(sim)).location!.searchParams.get('code')!;
    const refused = await postForm(tokenUrl, { grant_type: 'authorization_code', code: plain, redirect_uri: REDIRECT, client_id: clientId, code_verifier: verifier });
    expect([refused.status, refused.body]).toEqual([400, { response: { errors: [{ code: '10400', message: 'Invalid code_verifier' }] } }]);
    const unknownClient = await postForm(tokenUrl, { grant_type: 'authorization_code', code: plain, redirect_uri: REDIRECT, client_id: 'nobody', code_verifier: verifier });
    expect(unknownClient.status).toBe(401);
  });

  it('requires PKCE only when told to', async () => {
    const sim = await start('ups', { requirePkce: true });
    const res = await authorize(sim);
    expect(res.location!.searchParams.get('error')).toBe('invalid_request');
  });
});

describe('teamup sign-in', () => {
  it('authorization code + PKCE with scope read_write; the answer has the refresh shape and refreshes', async () => {
    const sim = await start('teamup');
    const { clientId, clientSecret } = sim.clientCredentials();
    const { verifier, challenge } = pkce();
    const params = { client_id: clientId, redirect_uri: REDIRECT, response_type: 'code', state: 'tu', scope: 'read_write provider:6', code_challenge: challenge, code_challenge_method: 'S256' };
    const page = await call(authorizeUrl(`${sim.url}/auth/oauth/authorize`, params));
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>Sign in to TeamUp (simulator)</title>');
    expect(page.text).toContain('read_write provider:6');
    const approve = consentForms(page.text)['Approve']!;
    const decided = await postForm(`${new URL(sim.url).origin}${approve.action}`, approve.fields);
    const code = decided.location!.searchParams.get('code')!;

    // a public client: client_id and code_verifier, no secret
    const res = await postForm(`${sim.url}/auth/oauth/token`, { grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: REDIRECT, code_verifier: verifier });
    expect(res.status).toBe(200);
    const body = obj(res.body);
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token']);
    expect(body['expires_in']).toBe(3600);
    const refreshed = await call(`${sim.url}/auth/refresh_access_token?format=json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: body['refresh_token'] }),
    });
    expect(refreshed.status).toBe(200);

    // a confidential client with its secret, and a wrong secret
    const second = pkce();
    const again = await call(authorizeUrl(`${sim.url}/auth/oauth/authorize`, { ...params, code_challenge: second.challenge, auto: 'approve' }));
    const code2 = again.location!.searchParams.get('code')!;
    const wrong = await postForm(`${sim.url}/auth/oauth/token`, { grant_type: 'authorization_code', client_id: clientId, client_secret: 'nope', code: code2, redirect_uri: REDIRECT, code_verifier: second.verifier });
    expect([wrong.status, obj(wrong.body)['error']]).toEqual([401, 'invalid_client']);
    const ok = await postForm(`${sim.url}/auth/oauth/token`, { grant_type: 'authorization_code', client_id: clientId, client_secret: clientSecret, code: code2, redirect_uri: REDIRECT, code_verifier: second.verifier });
    expect(ok.status).toBe(200);
  });

  it('requires read_write and PKCE, and serves no client credentials by default', async () => {
    const sim = await start('teamup');
    const { clientId, clientSecret } = sim.clientCredentials();
    const { challenge } = pkce();
    const base = { client_id: clientId, redirect_uri: REDIRECT, response_type: 'code', state: 'tu', code_challenge: challenge, code_challenge_method: 'S256', auto: 'approve' };
    const noScope = await call(authorizeUrl(`${sim.url}/auth/oauth/authorize`, base));
    expect(noScope.location!.searchParams.get('error')).toBe('invalid_scope');
    const noPkce = await call(authorizeUrl(`${sim.url}/auth/oauth/authorize`, { ...base, scope: 'read_write', code_challenge: undefined, code_challenge_method: undefined }));
    expect(noPkce.location!.searchParams.get('error')).toBe('invalid_request');
    const cc = await postForm(`${sim.url}/auth/oauth/token`, { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
    expect([cc.status, obj(cc.body)['error']]).toEqual([400, 'unsupported_grant_type']);
  });
});
