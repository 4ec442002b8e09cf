// Self-tests of the provider simulators over real HTTP (fetch against 127.0.0.1).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { jwtDecode } from 'jwt-decode';
import { PROVIDER_IDS, type ProviderId } from '../../src/shared/domain.js';
import { startSimulator, type Grant, type Simulator, type SimulatorOptions } from '../../src/simulators/index.js';

const running: Simulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.close()));
});

async function start(providerId: ProviderId, options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = await startSimulator(providerId, options);
  running.push(sim);
  return sim;
}

/** A clock the test moves by hand. */
function manualClock(startMs = 1_700_000_000_000) {
  let t = startMs;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
/** RFC 6749 §2.3.1: form-urlencode id and secret before base64. */
const formEncode = (v: string) => encodeURIComponent(v).replace(/%20/g, '+');
const oauthBasic = (id: string, secret: string) => basic(formEncode(id), formEncode(secret));

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, { method: 'POST', redirect: 'manual', ...init });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

// One refresh call per vendor, with the wire format its provider spec is expected to use.
function upsRefresh(sim: Simulator, grant: Grant, token = grant.refreshToken, auth = basic(grant.settings['client_id']!, grant.secrets['client_secret']!)) {
  return call(`${sim.url}/security/v1/oauth/refresh`, {
    headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token }).toString(),
  });
}
function pathstackRefresh(sim: Simulator, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return call(`${sim.url}/refresh`, { headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}
function teamupRefresh(sim: Simulator, body: Record<string, unknown>, format = 'json') {
  return call(`${sim.url}/auth/refresh_access_token?format=${format}`, {
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
}
function banyanCall(sim: Simulator, version: 'v1' | 'v2', token: string) {
  return call(`${sim.url}/${version}/refresh_token`, { headers: { authorization: `Bearer ${token}` } });
}
function vaultistRefresh(sim: Simulator, token: string, partnerId: string | undefined) {
  const headers: Record<string, string> = { 'content-type': 'application/json', grantType: 'refresh_token' };
  if (partnerId !== undefined) headers['partnerId'] = partnerId;
  return call(`${sim.url}/v1/auth/token`, { headers, body: JSON.stringify({ refreshToken: token }) });
}
function oauthPost(url: string, grant: Grant, params: Record<string, string>, auth: 'basic' | 'post' | 'none' = 'basic') {
  const id = grant.settings['client_id']!;
  const secret = grant.secrets['client_secret'] ?? '';
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const form = new URLSearchParams(params);
  if (auth === 'basic') headers['authorization'] = oauthBasic(id, secret);
  if (auth === 'post') form.set('client_secret', secret);
  if (auth !== 'basic') form.set('client_id', id);
  return call(url, { headers, body: form.toString() });
}
const oauthRefresh = (grant: Grant, token = grant.refreshToken, auth: 'basic' | 'post' | 'none' = 'basic', extra: Record<string, string> = {}) =>
  oauthPost(grant.settings['token_url']!, grant, { grant_type: 'refresh_token', refresh_token: token, ...extra }, auth);

const obj = (v: unknown) => v as Record<string, unknown>;

describe('every simulator', () => {
  it.each(PROVIDER_IDS)('%s starts on 127.0.0.1 and issues a valid grant', async (id) => {
    const sim = await start(id);
    expect(sim.providerId).toBe(id);
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    const grant = sim.issue();
    expect(sim.isValidAccessToken(grant.accessToken)).toBe(true);
    expect(sim.isValidRefreshToken(grant.refreshToken)).toBe(true);
    expect(grant.secrets['refresh_token']).toBe(grant.refreshToken);
    expect(grant.secrets['access_token']).toBe(grant.accessToken);
    expect(sim.isValidAccessToken('nope')).toBe(false);
    expect(sim.refreshCount).toBe(0);
  });

  it.each(PROVIDER_IDS)('%s records every secret it issues or rotates in $TOKENDESK_SIM_ISSUED_FILE (0600) for the leak scan', async (id) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tokendesk-issued-'));
    const file = path.join(dir, 'issued');
    const saved = process.env.TOKENDESK_SIM_ISSUED_FILE;
    process.env.TOKENDESK_SIM_ISSUED_FILE = file;
    try {
      const sim = await start(id, { rotate: true });
      const grant = sim.issue();
      const recorded = () => fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
      for (const secret of Object.values(grant.secrets)) expect(recorded()).toContain(secret);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      if (saved === undefined) delete process.env.TOKENDESK_SIM_ISSUED_FILE;
      else process.env.TOKENDESK_SIM_ISSUED_FILE = saved;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects unknown vendor error codes and bad fault arguments up front', async () => {
    const sim = await start('ups');
    expect(() => sim.fail({ kind: 'vendor_error', code: 'nope' })).toThrow(/no vendor error/);
    expect(() => sim.fail({ kind: 'trickle', bytesPerSec: 0 })).toThrow();
    expect(() => sim.fail({ kind: 'server_error' }, 0)).toThrow();
  });
});

describe('ups', () => {
  it('refreshes with all-string values and rotates the refresh token', async () => {
    const sim = await start('ups');
    const grant = sim.issue();
    const res = await upsRefresh(sim, grant);
    expect(res.status).toBe(200);
    const body = obj(res.body);
    for (const value of Object.values(body)) expect(typeof value).toBe('string');
    expect(body).toMatchObject({
      token_type: 'Bearer',
      expires_in: '14399',
      refresh_token_expires_in: '5183999',
      refresh_token_status: 'approved',
      status: 'approved',
      client_id: grant.settings['client_id'],
      scope: '',
      refresh_count: '1',
    });
    expect(body['issued_at']).toMatch(/^\d{13}$/);
    expect(body['refresh_token']).not.toBe(grant.refreshToken);
    expect(sim.isValidAccessToken(body['access_token'] as string)).toBe(true);
    expect(sim.isValidRefreshToken(body['refresh_token'] as string)).toBe(true);
    expect(sim.isValidRefreshToken(grant.refreshToken)).toBe(false);
    expect(sim.refreshCount).toBe(1);
    expect(sim.rotations).toHaveLength(1);
    expect(sim.rotations[0]!.oldTokenHash).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.stringify(sim.rotations)).not.toContain(grant.refreshToken);
  });

  it('answers a replayed refresh token with 10400 Invalid Refresh Token', async () => {
    const sim = await start('ups');
    const grant = sim.issue();
    expect((await upsRefresh(sim, grant)).status).toBe(200);
    const replay = await upsRefresh(sim, grant);
    expect(replay.status).toBe(401);
    expect(replay.body).toEqual({ response: { errors: [{ code: '10400', message: 'Invalid Refresh Token' }] } });
  });

  it('tells a bad client (10401) from a bad auth header (10400)', async () => {
    const sim = await start('ups');
    const grant = sim.issue();
    const badSecret = await upsRefresh(sim, grant, grant.refreshToken, basic(grant.settings['client_id']!, 'wrong'));
    expect(badSecret.status).toBe(401);
    expect(badSecret.body).toEqual({ response: { errors: [{ code: '10401', message: 'ClientId is Invalid' }] } });
    const noAuth = await upsRefresh(sim, grant, grant.refreshToken, 'Bearer x');
    expect(noAuth.status).toBe(400);
    expect(noAuth.body).toEqual({ response: { errors: [{ code: '10400', message: 'Invalid Authentication Header' }] } });
    expect(sim.isValidRefreshToken(grant.refreshToken)).toBe(true);
  });

  it('expires refresh tokens on the injected clock', async () => {
    const clock = manualClock();
    const sim = await start('ups', { now: clock.now, accessTtlSec: 60 });
    const grant = sim.issue({ refreshTtlSec: 100 });
    clock.advance(61_000);
    expect(sim.isValidAccessToken(grant.accessToken)).toBe(false);
    expect(sim.isValidRefreshToken(grant.refreshToken)).toBe(true);
    clock.advance(40_000);
    const res = await upsRefresh(sim, grant);
    expect(res.status).toBe(401);
    expect(sim.requests[0]!.at).toBe(clock.now());
  });

  it('serves rate limits with Retry-After for `times` calls, then normal service', async () => {
    const sim = await start('ups');
    const grant = sim.issue();
    sim.fail({ kind: 'rate_limit', retryAfterSec: 30 }, 2);
    for (let i = 0; i < 2; i++) {
      const res = await upsRefresh(sim, grant);
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('30');
      expect(res.body).toEqual({ response: { errors: [{ code: '10429', message: 'Too Many Requests' }] } });
    }
    expect((await upsRefresh(sim, grant)).status).toBe(200);
  });

  it('lies about expires_in as a string and still rotates for real', async () => {
    const sim = await start('ups');
    const grant = sim.issue();
    sim.fail({ kind: 'negative_expires_in' });
    const res = await upsRefresh(sim, grant);
    expect(obj(res.body)['expires_in']).toBe('-5');
    expect(sim.isValidRefreshToken(obj(res.body)['refresh_token'] as string)).toBe(true);
    sim.fail({ kind: 'vendor_error', code: '10400-auth' });
    expect((await upsRefresh(sim, sim.issue())).status).toBe(400);
  });
});

describe('pathstack', () => {
  it('refreshes with {sub, refresh_token} and rotates', async () => {
    const sim = await start('pathstack');
    const grant = sim.issue();
    expect(grant.settings['sub']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-/);
    expect(grant.settings['api_version']).toBe('2024-03-27');
    const res = await pathstackRefresh(sim, { sub: grant.settings['sub'], refresh_token: grant.refreshToken }, { 'x-api-version': '2024-03-27' });
    expect(res.status).toBe(200);
    const data = obj(obj(res.body)['data']);
    expect(data).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
    expect(typeof data['refresh_token']).toBe('string');
    const replay = await pathstackRefresh(sim, { sub: grant.settings['sub'], refresh_token: grant.refreshToken });
    expect(replay.status).toBe(401);
    expect(replay.body).toEqual({ error: { code: 401, message: 'Invalid Refresh Token' } });
  });

  it('rejects a sub mismatch with 401 and bad input with 422', async () => {
    const sim = await start('pathstack');
    const grant = sim.issue();
    const other = sim.issue();
    expect((await pathstackRefresh(sim, { sub: other.settings['sub'], refresh_token: grant.refreshToken })).status).toBe(401);
    const missing = await pathstackRefresh(sim, { refresh_token: grant.refreshToken });
    expect(missing.status).toBe(422);
    expect(missing.body).toEqual({ error: { code: 422, message: 'Field required', loc: ['body', 'sub'], msg: 'Field required', type: 'missing' } });
    const notUuid = await pathstackRefresh(sim, { sub: 'abc', refresh_token: grant.refreshToken });
    expect(notUuid.status).toBe(422);
    expect(obj(obj(notUuid.body)['error'])['type']).toBe('uuid_parsing');
    expect(sim.isValidRefreshToken(grant.refreshToken)).toBe(true);
  });

  it('omitRefreshToken leaves refresh_token out and the old one valid', async () => {
    const sim = await start('pathstack', { omitRefreshToken: true });
    const grant = sim.issue();
    for (let i = 0; i < 2; i++) {
      const res = await pathstackRefresh(sim, { sub: grant.settings['sub'], refresh_token: grant.refreshToken });
      expect(res.status).toBe(200);
      expect(obj(obj(res.body)['data'])).not.toHaveProperty('refresh_token');
    }
    expect(sim.rotations).toHaveLength(0);
  });

  it('spoils bodies in its own shape: wrong_types, missing_fields', async () => {
    const sim = await start('pathstack');
    const grant = sim.issue();
    const payload = { sub: grant.settings['sub'], refresh_token: grant.refreshToken };
    sim.fail({ kind: 'wrong_types' });
    sim.fail({ kind: 'missing_fields' });
    const wrong = obj(obj((await pathstackRefresh(sim, payload)).body)['data']);
    expect(typeof wrong['access_token']).toBe('number');
    expect(typeof wrong['expires_in']).toBe('object');
    const missing = obj(obj((await pathstackRefresh(sim, payload)).body)['data']);
    expect(missing).not.toHaveProperty('access_token');
    expect(missing).toHaveProperty('expires_in');
    // neither spoiled answer consumed the token
    expect(sim.isValidRefreshToken(grant.refreshToken)).toBe(true);
    expect(sim.refreshCount).toBe(0);
  });
});

describe('teamup', () => {
  it('refreshes, always returns a new refresh token and a JWT access token', async () => {
    const sim = await start('teamup');
    expect(sim.url).toMatch(/\/api\/v2$/);
    const grant = sim.issue();
    expect(grant.settings['new_access_token_type']).toBe('customer');
    const res = await teamupRefresh(sim, { refresh_token: grant.refreshToken, new_access_token_type: 'provider', scope: ['a'] });
    expect(res.status).toBe(200);
    const body = obj(res.body);
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token']);
    expect(body['expires_in']).toBe(3600);
    const claims = jwtDecode<{ exp: number; iat: number; sub: string; request_mode: string }>(body['access_token'] as string);
    expect(claims.exp - claims.iat).toBe(3600);
    expect(claims.request_mode).toBe('provider');
    expect(sim.requests[0]!.query).toEqual({ format: 'json' });
    const replay = await teamupRefresh(sim, { refresh_token: grant.refreshToken });
    expect(replay.status).toBe(401);
    expect(replay.body).toEqual({ detail: 'Invalid refresh token.' });
  });

  it('answers expires_in: null when asked, the JWT still carrying exp', async () => {
    const sim = await start('teamup', { expiresInNull: true, accessTtlSec: 120 });
    const res = await teamupRefresh(sim, { refresh_token: sim.issue().refreshToken });
    expect(obj(res.body)['expires_in']).toBeNull();
    const claims = jwtDecode<{ exp: number; iat: number }>(obj(res.body)['access_token'] as string);
    expect(claims.exp - claims.iat).toBe(120);
  });

  it('validates like DRF and accepts form bodies', async () => {
    const sim = await start('teamup', { providerAllowed: false });
    const blank = await teamupRefresh(sim, { refresh_token: '' });
    expect(blank.status).toBe(400);
    expect(blank.body).toEqual({ refresh_token: ['This field may not be blank.'] });
    const badType = await teamupRefresh(sim, { refresh_token: 'x', new_access_token_type: 'x' });
    expect(badType.body).toEqual({ new_access_token_type: ['"x" is not a valid choice.'] });
    const grant = sim.issue();
    expect((await teamupRefresh(sim, { refresh_token: grant.refreshToken, new_access_token_type: 'provider' })).body).toEqual({
      detail: 'You do not have permission to perform this action.',
    });
    const form = new URLSearchParams([['refresh_token', grant.refreshToken], ['scope', 'a'], ['scope', 'b']]);
    const res = await call(`${sim.url}/auth/refresh_access_token?format=json`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(res.status).toBe(200);
  });

  it('renders format=xml as <root>', async () => {
    const sim = await start('teamup');
    const res = await teamupRefresh(sim, { refresh_token: sim.issue().refreshToken }, 'xml');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/xml/);
    expect(res.text).toMatch(/<root><access_token>[^<]+<\/access_token><expires_in>3600<\/expires_in><refresh_token>[^<]+<\/refresh_token><\/root>$/);
  });

  it('serves Django 500 pages and truncated JSON', async () => {
    const sim = await start('teamup');
    const grant = sim.issue();
    sim.fail({ kind: 'server_error' });
    sim.fail({ kind: 'truncated_json' });
    const error = await teamupRefresh(sim, { refresh_token: grant.refreshToken });
    expect(error.status).toBe(500);
    expect(error.text).toContain('Server Error (500)');
    const cut = await teamupRefresh(sim, { refresh_token: grant.refreshToken });
    expect(cut.status).toBe(200);
    expect(cut.text.startsWith('{"access_token":')).toBe(true);
    expect(() => JSON.parse(cut.text)).toThrow();
  });
});

describe('banyan', () => {
  it('v1 answers {"Message": JWT} and the refresh token stays reusable', async () => {
    const sim = await start('banyan');
    expect(sim.url).toMatch(/\/api$/);
    const grant = sim.issue();
    for (let i = 0; i < 2; i++) {
      const res = await banyanCall(sim, 'v1', grant.refreshToken);
      expect(res.status).toBe(200);
      const token = obj(res.body)['Message'] as string;
      expect(jwtDecode<{ exp: number; iat: number }>(token).exp).toBeGreaterThan(Date.now() / 1000);
      expect(sim.isValidAccessToken(token)).toBe(true);
    }
    expect(sim.rotations).toHaveLength(0);
    expect(sim.refreshCount).toBe(2);
  });

  it('v2 trades an access token for a new refresh token, retiring the old one', async () => {
    const sim = await start('banyan');
    const grant = sim.issue();
    const res = await banyanCall(sim, 'v2', grant.accessToken);
    expect(res.status).toBe(200);
    const body = obj(res.body);
    expect(body).toMatchObject({ error_code: 0, error_description: '' });
    expect(typeof body['request_id']).toBe('string');
    const next = obj(body['data'])['refresh_token'] as string;
    expect(sim.isValidRefreshToken(next)).toBe(true);
    const old = await banyanCall(sim, 'v1', grant.refreshToken);
    expect(old.status).toBe(401);
    expect(old.body).toMatchObject({ error_code: 401, error_description: 'invalid or expired token', data: 0 });
    expect((await banyanCall(sim, 'v2', next)).status).toBe(403);
    const malformed = await call(`${sim.url}/v1/refresh_token`, { headers: { authorization: 'Token abc' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ Message: 'bad request' });
  });

  it('v2Envelope and rotate change the v1 answer', async () => {
    const enveloped = await start('banyan', { v2Envelope: true });
    const a = await banyanCall(enveloped, 'v1', enveloped.issue().refreshToken);
    expect(Object.keys(obj(obj(a.body)['data']))).toEqual(['access_token']);

    const rotating = await start('banyan', { rotate: true });
    const grant = rotating.issue();
    const b = await banyanCall(rotating, 'v1', grant.refreshToken);
    expect(typeof obj(obj(b.body)['data'])['refresh_token']).toBe('string');
    expect((await banyanCall(rotating, 'v1', grant.refreshToken)).status).toBe(401);
  });

  it('expires_in faults show up in the JWT exp', async () => {
    const sim = await start('banyan');
    const grant = sim.issue();
    sim.fail({ kind: 'negative_expires_in' });
    const token = obj((await banyanCall(sim, 'v1', grant.refreshToken)).body)['Message'] as string;
    const claims = jwtDecode<{ exp: number; iat: number }>(token);
    expect(claims.exp - claims.iat).toBe(-5);
    expect(sim.isValidAccessToken(token)).toBe(false);
    sim.fail({ kind: 'absurd_expires_in' });
    const absurd = jwtDecode<{ exp: number; iat: number }>(obj((await banyanCall(sim, 'v1', grant.refreshToken)).body)['Message'] as string);
    expect(absurd.exp - absurd.iat).toBe(1e15);
  });

  it('hang never answers until close(); reset drops the connection', async () => {
    const sim = await start('banyan');
    const grant = sim.issue();
    sim.fail({ kind: 'reset' });
    await expect(banyanCall(sim, 'v1', grant.refreshToken)).rejects.toThrow();
    sim.fail({ kind: 'hang' });
    const hung = fetch(`${sim.url}/v1/refresh_token`, { method: 'POST', headers: { authorization: `Bearer ${grant.refreshToken}` } });
    const outcome = hung.then(
      () => 'answered',
      () => 'failed',
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(sim.requests).toHaveLength(2);
    const started = Date.now();
    await sim.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await outcome).toBe('failed');
  });
});

describe('vaultist', () => {
  it('refreshes with partnerId/grantType headers and rotates', async () => {
    const sim = await start('vaultist');
    const grant = sim.issue();
    const partner = grant.settings['partner_id']!;
    expect(Number(partner)).toBeLessThanOrEqual(2 ** 31 - 1);
    const res = await vaultistRefresh(sim, grant.refreshToken, partner);
    expect(res.status).toBe(200);
    expect(obj(res.body)).toMatchObject({ expires_in: 3600, token_type: 'Bearer' });
    expect(sim.requests[0]!.headers['partnerid']).toBe(partner);
    expect(sim.requests[0]!.headers['granttype']).toBe('refresh_token');
    expect(sim.requests[0]!.bodyText).toBe(JSON.stringify({ refreshToken: grant.refreshToken }));
    const replay = await vaultistRefresh(sim, grant.refreshToken, partner);
    expect(replay.status).toBe(400);
    expect(replay.body).toEqual({ error: 'invalid_grant', error_description: 'Refresh token has expired or is invalid.' });
  });

  it('rejects a bad partner and a missing refresh token', async () => {
    const sim = await start('vaultist');
    const grant = sim.issue();
    const noPartner = await vaultistRefresh(sim, grant.refreshToken, undefined);
    expect(noPartner.status).toBe(401);
    expect(noPartner.body).toMatchObject({ status: 401, message: 'Invalid partner', errors: [] });
    expect(obj(noPartner.body)['traceId']).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    const missing = await vaultistRefresh(sim, '', grant.settings['partner_id']);
    expect(missing.body).toEqual({ error: 'invalid_request', error_description: 'Missing refresh token.' });
  });

  it('serves raw statuses, 503 with Retry-After, redirects, login pages and oversize bodies', async () => {
    const sim = await start('vaultist');
    const grant = sim.issue();
    const partner = grant.settings['partner_id']!;
    sim.fail({ kind: 'status', status: 418, body: 'teapot', headers: { 'x-why': 'because' } });
    sim.fail({ kind: 'unavailable', retryAfterSec: 7 });
    sim.fail({ kind: 'redirect', location: 'https://example.com/login', status: 307 });
    sim.fail({ kind: 'html' });
    sim.fail({ kind: 'oversize' });
    const teapot = await vaultistRefresh(sim, grant.refreshToken, partner);
    expect([teapot.status, teapot.text, teapot.headers.get('x-why')]).toEqual([418, 'teapot', 'because']);
    const unavailable = await vaultistRefresh(sim, grant.refreshToken, partner);
    expect([unavailable.status, unavailable.headers.get('retry-after')]).toEqual([503, '7']);
    const redirect = await vaultistRefresh(sim, grant.refreshToken, partner);
    expect([redirect.status, redirect.headers.get('location')]).toEqual([307, 'https://example.com/login']);
    const html = await vaultistRefresh(sim, grant.refreshToken, partner);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    const big = await vaultistRefresh(sim, grant.refreshToken, partner);
    expect(big.text.length).toBeGreaterThan(1024 * 1024);
    expect(big.text.length).toBeLessThan(2 * 1024 * 1024 + 1024);
    expect(obj(big.body)).toHaveProperty('access_token');
    // the service is back and the token was never consumed
    expect((await vaultistRefresh(sim, grant.refreshToken, partner)).status).toBe(200);
  });

  it('trickles a real success body slowly', async () => {
    const sim = await start('vaultist');
    const grant = sim.issue();
    sim.fail({ kind: 'trickle', bytesPerSec: 1000 });
    const started = Date.now();
    const res = await vaultistRefresh(sim, grant.refreshToken, grant.settings['partner_id']);
    expect(Date.now() - started).toBeGreaterThan(100);
    expect(res.status).toBe(200);
    expect(sim.isValidRefreshToken(obj(res.body)['refresh_token'] as string)).toBe(true);
    expect(sim.isValidRefreshToken(grant.refreshToken)).toBe(false);
  });
});

describe('oauth2', () => {
  it('serves RFC 8414 and OIDC discovery for the issuer', async () => {
    const sim = await start('oauth2');
    for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
      const res = await call(`${sim.url}${path}`, { method: 'GET' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        issuer: sim.url,
        token_endpoint: `${sim.url}/oauth/token`,
        revocation_endpoint: `${sim.url}/oauth/revoke`,
        grant_types_supported: expect.arrayContaining(['refresh_token']),
        token_endpoint_auth_methods_supported: ['client_secret_basic'],
      });
    }
    const pathIssuer = await start('oauth2', { issuerPath: '/tenant1', discovery: 'rfc8414', revocation: false });
    const origin = new URL(pathIssuer.url).origin;
    const doc = await call(`${origin}/.well-known/oauth-authorization-server/tenant1`, { method: 'GET' });
    expect(doc.body).toMatchObject({ issuer: `${origin}/tenant1`, token_endpoint: `${origin}/tenant1/oauth/token` });
    expect(obj(doc.body)).not.toHaveProperty('revocation_endpoint');
    expect((await call(`${pathIssuer.url}/.well-known/openid-configuration`, { method: 'GET' })).status).toBe(404);
  });

  it('refreshes with form-encoded Basic credentials, no-store, rotation and scope', async () => {
    const sim = await start('oauth2');
    const grant = sim.issue();
    expect(grant.settings).toMatchObject({ issuer: sim.url, client_auth: 'client_secret_basic', token_url: `${sim.url}/oauth/token` });
    const res = await oauthRefresh(grant, grant.refreshToken, 'basic', { scope: 'read' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(obj(res.body)).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'read' });
    expect(jwtDecode<{ scope: string }>(obj(res.body)['access_token'] as string).scope).toBe('read');
    const tooWide = await oauthRefresh(grant, obj(res.body)['refresh_token'] as string, 'basic', { scope: 'admin' });
    expect([tooWide.status, obj(tooWide.body)['error']]).toEqual([400, 'invalid_scope']);
  });

  it('answers a client that skipped form-encoding with 401 invalid_client', async () => {
    const sim = await start('oauth2');
    const grant = sim.issue();
    const res = await call(grant.settings['token_url']!, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(grant.settings['client_id']!, grant.secrets['client_secret']!) },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: grant.refreshToken }).toString(),
    });
    expect(res.status).toBe(401);
    expect(obj(res.body)['error']).toBe('invalid_client');
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
  });

  it('revokes the whole grant family when a used refresh token comes back (RFC 9700)', async () => {
    const sim = await start('oauth2');
    const grant = sim.issue();
    const first = obj((await oauthRefresh(grant)).body);
    const replay = await oauthRefresh(grant);
    expect(replay.status).toBe(400);
    expect(obj(replay.body)['error']).toBe('invalid_grant');
    expect(sim.isValidRefreshToken(first['refresh_token'] as string)).toBe(false);
    expect(sim.isValidAccessToken(first['access_token'] as string)).toBe(false);
    expect(obj((await oauthRefresh(grant, first['refresh_token'] as string)).body)['error']).toBe('invalid_grant');
  });

  it('honours client_secret_post and public clients', async () => {
    const post = await start('oauth2', { clientAuth: 'client_secret_post' });
    const postGrant = post.issue();
    expect((await oauthRefresh(postGrant, postGrant.refreshToken, 'basic')).status).toBe(401);
    expect((await oauthRefresh(postGrant, postGrant.refreshToken, 'post')).status).toBe(200);
    expect(post.requests[1]!.bodyText).toContain('client_secret=');

    const pub = await start('oauth2', { clientAuth: 'none', rotate: false });
    const pubGrant = pub.issue();
    expect(pubGrant.secrets).not.toHaveProperty('client_secret');
    const res = await oauthRefresh(pubGrant, pubGrant.refreshToken, 'none');
    expect(res.status).toBe(200);
    expect(obj(res.body)).not.toHaveProperty('refresh_token');
    expect((await oauthRefresh(pubGrant, pubGrant.refreshToken, 'none')).status).toBe(200);
  });

  it('revokes per RFC 7009, and faults apply to revocation too', async () => {
    const sim = await start('oauth2');
    const grant = sim.issue();
    const revoke = (token: string) => oauthPost(grant.settings['revocation_url']!, grant, { token, token_type_hint: 'refresh_token' });
    sim.fail({ kind: 'unavailable', retryAfterSec: 3 });
    const busy = await revoke(grant.refreshToken);
    expect([busy.status, busy.headers.get('retry-after')]).toEqual([503, '3']);
    expect((await revoke('never-issued')).status).toBe(200);
    const done = await revoke(grant.refreshToken);
    expect([done.status, done.text]).toEqual([200, '']);
    expect(sim.isValidRefreshToken(grant.refreshToken)).toBe(false);
    expect(sim.isValidAccessToken(grant.accessToken)).toBe(false);
    expect(obj((await oauthRefresh(grant)).body)['error']).toBe('invalid_grant');
  });

  it('answers protocol errors and vendor_error faults as RFC 6749 §5.2', async () => {
    const sim = await start('oauth2');
    const grant = sim.issue();
    const unsupported = await oauthPost(grant.settings['token_url']!, grant, { grant_type: 'password' });
    expect([unsupported.status, obj(unsupported.body)['error']]).toEqual([400, 'unsupported_grant_type']);
    const repeated = await call(grant.settings['token_url']!, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: oauthBasic(grant.settings['client_id']!, grant.secrets['client_secret']!) },
      body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(grant.refreshToken)}&refresh_token=x`,
    });
    expect(obj(repeated.body)['error']).toBe('invalid_request');
    sim.fail({ kind: 'vendor_error', code: 'invalid_client' });
    const vendor = await oauthRefresh(grant);
    expect([vendor.status, obj(vendor.body)['error']]).toEqual([401, 'invalid_client']);
    expect(vendor.headers.get('www-authenticate')).toBeTruthy();
    expect(sim.requests.map((r) => r.path)).toEqual(['/oauth/token', '/oauth/token', '/oauth/token']);
    expect(sim.isValidRefreshToken(grant.refreshToken)).toBe(true);
  });
});
