// Each provider's exact refresh request on the wire and the TokenSet it parses,
// over real HTTP against its simulator (docs/PROVIDERS.md is the reference).
import { afterEach, describe, expect, it } from 'vitest';
import { refreshTokens, revokeTokens } from '../../src/main/core/providers/call.js';
import { providers } from '../../src/main/core/providers/index.js';
import type { ProviderAccount } from '../../src/main/core/providers/types.js';
import { startSimulator, type Grant, type Simulator, type SimulatorOptions } from '../../src/simulators/index.js';
import type { ProviderId } from '../../src/shared/domain.js';
import { USER_AGENT } from '../../src/shared/version.js';

const open: Simulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function setup(id: ProviderId, options: SimulatorOptions = {}, account: Partial<ProviderAccount> = {}) {
  const sim = await startSimulator(id, options);
  open.push(sim);
  const grant = sim.issue();
  const acc: ProviderAccount = {
    id: `acc-${id}`,
    settings: { ...grant.settings },
    secrets: { ...grant.secrets },
    baseUrl: id === 'oauth2' ? undefined : sim.url,
    ...account,
  };
  return { sim, grant, account: acc };
}

function lastRequest(sim: Simulator) {
  const req = sim.requests.at(-1);
  if (!req) throw new Error('the simulator received nothing');
  return req;
}

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

function expectFresh(sim: Simulator, grant: Grant, tokens: { accessToken: string; refreshToken?: string }) {
  expect(tokens.accessToken).not.toBe(grant.accessToken);
  expect(sim.isValidAccessToken(tokens.accessToken)).toBe(true);
  if (tokens.refreshToken) expect(sim.isValidRefreshToken(tokens.refreshToken)).toBe(true);
}

describe('ups', () => {
  it('POSTs a form with Basic client auth and reads string-typed numbers', async () => {
    const { sim, grant, account } = await setup('ups', { accessTtlSec: 3600 });
    const before = Date.now();
    const { tokens, httpStatus } = await refreshTokens(providers.ups, account);
    const req = lastRequest(sim);
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/security/v1/oauth/refresh');
    expect(req.query).toEqual({});
    expect(req.headers['authorization']).toBe(basic(grant.settings['client_id']!, grant.secrets['client_secret']!));
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req.headers['user-agent']).toBe(USER_AGENT);
    expect(Object.fromEntries(new URLSearchParams(req.bodyText))).toEqual({ grant_type: 'refresh_token', refresh_token: grant.refreshToken });
    expect(httpStatus).toBe(200);
    expectFresh(sim, grant, tokens);
    expect(tokens.rotated).toBe(true);
    expect(tokens.refreshToken).not.toBe(grant.refreshToken);
    expect(tokens.tokenType).toBe('Bearer');
    expect(tokens.expirySource).toBe('expires_in');
    expect(tokens.expiresAt! - before).toBeGreaterThanOrEqual(3600_000 - 1000);
    expect(tokens.expiresAt! - before).toBeLessThanOrEqual(3600_000 + 1000);
    // refresh_token_expires_in (~60 days) becomes the refresh-token expiry.
    expect(tokens.refreshTokenExpiresAt! - before).toBeGreaterThan(59 * 86_400_000);
    expect(tokens.meta['refresh_count']).toEqual(expect.any(Number));
  });
});

describe('pathstack', () => {
  it('POSTs JSON {sub, refresh_token} with x-api-version and no auth header', async () => {
    const { sim, grant, account } = await setup('pathstack');
    const { tokens } = await refreshTokens(providers.pathstack, account);
    const req = lastRequest(sim);
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/refresh');
    expect(req.headers['authorization']).toBeUndefined();
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-api-version']).toBe('2024-03-27');
    expect(JSON.parse(req.bodyText)).toEqual({ sub: grant.settings['sub'], refresh_token: grant.refreshToken });
    expectFresh(sim, grant, tokens);
    expect(tokens.rotated).toBe(true);
    expect(tokens.expirySource).toBe('expires_in');
  });

  it('keeps the old refresh token when the answer has none', async () => {
    const { sim, grant, account } = await setup('pathstack', { omitRefreshToken: true });
    const { tokens } = await refreshTokens(providers.pathstack, account);
    expect(tokens.refreshToken).toBe(grant.refreshToken);
    expect(tokens.rotated).toBe(false);
    expect(sim.isValidRefreshToken(grant.refreshToken)).toBe(true);
  });
});

describe('teamup', () => {
  it('POSTs JSON to /auth/refresh_access_token?format=json with the token type and scopes', async () => {
    const { sim, grant, account } = await setup('teamup');
    account.settings['new_access_token_type'] = 'provider';
    account.settings['scope'] = 'read_customers write_events';
    const { tokens } = await refreshTokens(providers.teamup, account);
    const req = lastRequest(sim);
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`${new URL(sim.url).pathname}/auth/refresh_access_token`);
    expect(req.query).toEqual({ format: 'json' });
    expect(req.headers['authorization']).toBeUndefined();
    expect(req.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req.bodyText)).toEqual({ refresh_token: grant.refreshToken, new_access_token_type: 'provider', scope: ['read_customers', 'write_events'] });
    expectFresh(sim, grant, tokens);
    expect(tokens.rotated).toBe(true);
    expect(tokens.meta['request_mode']).toBe('provider');
  });

  it('expires_in null falls back to the JWT exp, then to refresh-every', async () => {
    const jwt = await setup('teamup', { expiresInNull: true, accessTtlSec: 900 });
    const { tokens } = await refreshTokens(providers.teamup, jwt.account);
    expect(tokens.expirySource).toBe('jwt_exp');
    expect(Math.abs(tokens.expiresAt! - (Date.now() + 900_000))).toBeLessThan(5000);

    const opaque = await setup('teamup', { expiresInNull: true, jwtAccessTokens: false }, { refreshEveryMs: 600_000 });
    const second = await refreshTokens(providers.teamup, opaque.account);
    expect(second.tokens.expirySource).toBe('refresh_every');
    expect(second.tokens.expiresAt).toBeUndefined();
  });
});

describe('banyan', () => {
  it('POSTs /v1/refresh_token with the refresh token as Bearer and no body; reads {Message}', async () => {
    const { sim, grant, account } = await setup('banyan', { accessTtlSec: 1200 });
    const { tokens } = await refreshTokens(providers.banyan, account);
    const req = lastRequest(sim);
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`${new URL(sim.url).pathname}/v1/refresh_token`);
    expect(req.headers['authorization']).toBe(`Bearer ${grant.refreshToken}`);
    expect(req.bodyText).toBe('');
    expectFresh(sim, grant, tokens);
    expect(tokens.refreshToken).toBe(grant.refreshToken);
    expect(tokens.rotated).toBe(false);
    expect(tokens.expirySource).toBe('jwt_exp');
    expect(Math.abs(tokens.expiresAt! - (Date.now() + 1_200_000))).toBeLessThan(5000);
  });

  it('also reads the v2 envelope', async () => {
    const { sim, grant, account } = await setup('banyan', { v2Envelope: true });
    const { tokens } = await refreshTokens(providers.banyan, account);
    expectFresh(sim, grant, tokens);
  });
});

describe('vaultist', () => {
  it('POSTs /v1/auth/token with partnerId and grantType headers and JSON {refreshToken}', async () => {
    const { sim, grant, account } = await setup('vaultist');
    const { tokens } = await refreshTokens(providers.vaultist, account);
    const req = lastRequest(sim);
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v1/auth/token');
    expect(req.headers['partnerid']).toBe(grant.settings['partner_id']);
    expect(req.headers['granttype']).toBe('refresh_token');
    expect(req.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req.bodyText)).toEqual({ refreshToken: grant.refreshToken });
    expectFresh(sim, grant, tokens);
    expect(tokens.rotated).toBe(true);
    expect(tokens.tokenType).toBe('Bearer');
  });
});

describe('oauth2', () => {
  it('client_secret_basic (default): form body, RFC 6749 Basic header, optional scope', async () => {
    const { sim, grant, account } = await setup('oauth2');
    account.settings['scope'] = 'read write';
    const { tokens } = await refreshTokens(providers.oauth2, account);
    const req = lastRequest(sim);
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/oauth/token');
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const id = encodeURIComponent(grant.settings['client_id']!);
    const secret = new URLSearchParams({ s: grant.secrets['client_secret']! }).toString().slice(2);
    expect(req.headers['authorization']).toBe(basic(id, secret));
    expect(Object.fromEntries(new URLSearchParams(req.bodyText))).toEqual({ grant_type: 'refresh_token', refresh_token: grant.refreshToken, scope: 'read write' });
    expectFresh(sim, grant, tokens);
    expect(tokens.rotated).toBe(true);
  });

  it('client_secret_post and none put the client in the body', async () => {
    for (const method of ['client_secret_post', 'none'] as const) {
      const { sim, grant, account } = await setup('oauth2', { clientAuth: method });
      account.settings['client_auth'] = method;
      if (method === 'none') delete account.secrets['client_secret'];
      await refreshTokens(providers.oauth2, account);
      const req = lastRequest(sim);
      const body = Object.fromEntries(new URLSearchParams(req.bodyText));
      expect(req.headers['authorization'], method).toBeUndefined();
      expect(body['client_id']).toBe(grant.settings['client_id']);
      expect(body['client_secret']).toBe(method === 'none' ? undefined : grant.secrets['client_secret']);
    }
  });

  it('discovers the token endpoint from the issuer (RFC 8414, then OIDC)', async () => {
    for (const discovery of ['rfc8414', 'oidc'] as const) {
      const { sim, grant, account } = await setup('oauth2', { discovery, issuerPath: '/tenant1' });
      delete account.settings['token_url'];
      delete account.settings['revocation_url'];
      account.settings['issuer'] = sim.url;
      const { tokens, endpoints } = await refreshTokens(providers.oauth2, account);
      expectFresh(sim, grant, tokens);
      expect(endpoints?.tokenUrl).toMatch(/\/token$/);
      const paths = sim.requests.map((r) => `${r.method} ${r.path}`);
      expect(paths[0]).toBe(discovery === 'rfc8414' ? 'GET /.well-known/oauth-authorization-server/tenant1' : 'GET /.well-known/oauth-authorization-server/tenant1');
      if (discovery === 'oidc') expect(paths[1]).toBe('GET /tenant1/.well-known/openid-configuration');
    }
  });

  it('revokes per RFC 7009 with the refresh token and the same client auth', async () => {
    const { sim, grant, account } = await setup('oauth2');
    const result = await revokeTokens(providers.oauth2, account);
    expect(result.kind).toBe('remote');
    const req = lastRequest(sim);
    expect(req.path).toBe('/oauth/revoke');
    expect(Object.fromEntries(new URLSearchParams(req.bodyText))).toEqual({ token: grant.refreshToken, token_type_hint: 'refresh_token' });
    expect(req.headers['authorization']).toMatch(/^Basic /);
    expect(sim.isValidRefreshToken(grant.refreshToken)).toBe(false);
  });

  it('the five vendors revoke locally only, and say so', async () => {
    for (const id of ['ups', 'pathstack', 'teamup', 'banyan', 'vaultist'] as const) {
      const { sim, account } = await setup(id);
      const result = await revokeTokens(providers[id], account);
      expect(result.kind).toBe('local_only');
      expect(result.message).toMatch(/no revocation endpoint.*until it expires/);
      expect(sim.requests).toHaveLength(0);
    }
  });
});
