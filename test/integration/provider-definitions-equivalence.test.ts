// The six built-in providers, expressed as provider files (src/main/core/providers/definitions/),
// against their code specs and their simulators: the definition builds byte-identical requests
// (compared as the simulator recorded them) and reaches the same classified outcomes — the same
// TokenSet shape on success, the same error class, HTTP status, Retry-After and vendor code on
// every fault. Hooks used: oauth2-client-auth, oauth2-discovery (oauth2), django-errors (teamup).
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { refreshTokens, resolveEndpoints } from '../../src/main/core/providers/call.js';
import { specFromDefinition } from '../../src/main/core/providers/definition.js';
import { providers } from '../../src/main/core/providers/index.js';
import type { ProviderAccount, ProviderSpec } from '../../src/main/core/providers/types.js';
import { ProviderError } from '../../src/main/core/net/provider-error.js';
import type { TokenSet } from '../../src/shared/domain.js';
import { PROVIDER_IDS, type ProviderId } from '../../src/shared/domain.js';
import { checkProviderDefinition } from '../../src/shared/provider-definition-check.js';
import { startSimulator, type Fault, type RecordedRequest, type Simulator, type SimulatorOptions } from '../../src/simulators/index.js';

const open: Simulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

function definedSpec(id: ProviderId): ProviderSpec {
  const checked = checkProviderDefinition(JSON.parse(fs.readFileSync(`src/main/core/providers/definitions/${id}.json`, 'utf8')), { builtIn: true });
  if (!checked.ok) throw new Error(`${id}: ${JSON.stringify(checked.problems)}`);
  return specFromDefinition(checked.definition);
}

interface Variant {
  name: string;
  options?: SimulatorOptions;
  account?: (account: ProviderAccount, sim: Simulator) => void;
}

const VARIANTS: Record<ProviderId, Variant[]> = {
  ups: [
    { name: 'refresh token' },
    {
      name: 'client credentials with a shipper number',
      account: (a, sim) => {
        const c = sim.clientCredentials();
        Object.assign(a.settings, { grant: 'client_credentials', merchant_id: 'A1B2C3', client_id: c.clientId });
        a.secrets['client_secret'] = c.clientSecret;
      },
    },
  ],
  pathstack: [{ name: 'refresh token' }, { name: 'no rotation', options: { omitRefreshToken: true } }],
  teamup: [
    { name: 'refresh token' },
    { name: 'provider token with scopes, expires_in null', options: { expiresInNull: true }, account: (a) => Object.assign(a.settings, { new_access_token_type: 'provider', scope: 'read_write, admin' }) },
  ],
  banyan: [{ name: 'v1 {Message}' }, { name: 'v2 envelope', options: { v2Envelope: true } }],
  vaultist: [{ name: 'refresh token' }],
  oauth2: [
    { name: 'client_secret_basic' },
    { name: 'client_secret_post', options: { clientAuth: 'client_secret_post' } },
    { name: 'none (public client)', options: { clientAuth: 'none' } },
    { name: 'discovered from the issuer', account: (a) => delete a.settings['token_url'] },
    {
      name: 'client credentials',
      account: (a, sim) => {
        const c = sim.clientCredentials();
        Object.assign(a.settings, { grant: 'client_credentials', client_id: c.clientId });
        a.secrets['client_secret'] = c.clientSecret;
      },
    },
  ],
};

/** Faults every provider gets, then each vendor's own error answers. */
const COMMON_FAULTS: Fault[] = [
  { kind: 'rate_limit', retryAfterSec: 9 },
  { kind: 'server_error' },
  { kind: 'unavailable', retryAfterSec: 4 },
  { kind: 'html' },
  { kind: 'truncated_json' },
  { kind: 'wrong_types' },
  { kind: 'missing_fields' },
  { kind: 'negative_expires_in' },
  { kind: 'absurd_expires_in' },
  { kind: 'status', status: 404, body: 'Not Found' },
  { kind: 'status', status: 405 },
];
const VENDOR_CODES: Record<ProviderId, string[]> = {
  ups: ['10400', '10400-auth', '10401', '10429'],
  pathstack: ['401', '422'],
  teamup: ['401', '400', '403'],
  banyan: ['401', '403', '400'],
  vaultist: ['invalid_grant', 'invalid_request', 'invalid_partner'],
  oauth2: ['invalid_grant', 'invalid_client', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope', 'invalid_request', 'temporarily_unavailable'],
};

async function setup(id: ProviderId, variant: Variant, options: SimulatorOptions = {}) {
  const sim = await startSimulator(id, { ...variant.options, ...options });
  open.push(sim);
  const newAccount = (): ProviderAccount => {
    const grant = sim.issue();
    const account: ProviderAccount = { id: `acc-${id}`, settings: { ...grant.settings }, secrets: { ...grant.secrets }, baseUrl: id === 'oauth2' ? undefined : sim.url };
    variant.account?.(account, sim);
    return account;
  };
  return { sim, newAccount };
}

/** What a request is on the wire, as the simulator recorded it. */
function wire(r: RecordedRequest) {
  return { method: r.method, path: r.path, query: r.query, headers: r.headers, bodyText: r.bodyText };
}

function shape(t: TokenSet) {
  return { rotated: t.rotated, tokenType: t.tokenType, expirySource: t.expirySource, hasExpiry: t.expiresAt !== undefined, hasRefreshExpiry: t.refreshTokenExpiresAt !== undefined, scope: t.scope, meta: t.meta, hasRefreshToken: t.refreshToken !== undefined };
}

async function outcome(spec: ProviderSpec, account: ProviderAccount) {
  try {
    const { tokens } = await refreshTokens(spec, account);
    return { ok: shape(tokens) };
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    return { error: { errorClass: err.errorClass, httpStatus: err.httpStatus, retryAfterMs: err.retryAfterMs, vendorCode: err.vendorCode, keptRotated: err.rotatedRefreshToken !== undefined } };
  }
}

describe.each(PROVIDER_IDS)('%s as a provider file', (id) => {
  const builtIn = providers[id];
  const defined = definedSpec(id);

  it.each(VARIANTS[id].map((v) => [v.name, v] as const))('sends byte-identical requests (%s)', async (_name, variant) => {
    // Neither rotation nor reuse detection: the same account can be sent twice.
    const { sim, newAccount } = await setup(id, variant, { rotate: false, reuseDetection: false });
    const account = newAccount();
    const endpoints = await resolveEndpoints(builtIn, account, {});
    expect(defined.buildRefreshRequest(account, endpoints)).toEqual(builtIn.buildRefreshRequest(account, endpoints));
    await refreshTokens(builtIn, account);
    const byCode = wire(sim.requests.at(-1)!);
    await refreshTokens(defined, account);
    const byFile = wire(sim.requests.at(-1)!);
    expect(byFile).toEqual(byCode);
    expect(byFile.bodyText).toBe(byCode.bodyText);
  });

  it.runIf(Boolean(builtIn.signIn?.password))('builds the same password sign-in request and reads the same settings from its answer', async () => {
    const { sim, newAccount } = await setup(id, VARIANTS[id][0]!);
    const account = newAccount();
    const user = sim.passwordUser();
    const byCode = builtIn.signIn!.password!.buildRequest(account, user);
    expect(defined.signIn?.password?.buildRequest(account, user)).toEqual(byCode);
    expect(defined.signIn?.password?.userLabel).toBe(builtIn.signIn!.password!.userLabel);
    const answer = { status: 200, headers: {}, bodyText: JSON.stringify({ data: { sub: '3f2b8c1e-0000-4000-8000-000000000001' } }) };
    expect(defined.signIn?.password?.settingsFrom?.(answer)).toEqual(builtIn.signIn!.password!.settingsFrom?.(answer));
  });

  it.runIf(Boolean(builtIn.signIn?.authorizationCode) && id !== 'oauth2')('builds the same browser sign-in: authorization URL, parameters and code exchange', async () => {
    const { newAccount } = await setup(id, VARIANTS[id][0]!);
    const account = newAccount();
    account.settings['client_id'] ??= 'client-1';
    const byCode = builtIn.signIn!.authorizationCode!;
    const byFile = defined.signIn?.authorizationCode;
    expect(byFile?.authorizeUrl(account)).toBe(byCode.authorizeUrl(account));
    const defined_ = (params: Record<string, string | undefined>) => Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
    expect(byFile?.extraParams(account)).toEqual(defined_(byCode.extraParams(account)));
    const grant = { code: 'code-1', redirectUri: 'http://127.0.0.1:53111/callback', codeVerifier: 'v'.repeat(43) };
    expect(byFile?.buildExchange(account, grant)).toEqual(byCode.buildExchange(account, grant));
    // Without a client secret: TeamUp's public client leaves it out, UPS refuses in the same words.
    const publicClient = { ...account, secrets: { ...account.secrets, client_secret: '' } };
    const attempt = (build: () => unknown) => {
      try {
        return { request: build() };
      } catch (err) {
        return { error: err instanceof ProviderError ? [err.errorClass, err.message] : String(err) };
      }
    };
    expect(attempt(() => byFile?.buildExchange(publicClient, grant))).toEqual(attempt(() => byCode.buildExchange(publicClient, grant)));
  });

  it.runIf(Boolean(builtIn.signIn?.device))('builds the same device sign-in requests: the device authorization and the poll', async () => {
    const variants = VARIANTS[id].filter((v) => !v.name.includes('client credentials'));
    for (const variant of variants) {
      for (const extra of [{}, { scope: 'read write', audience: 'https://api.example.com' }]) {
        const { newAccount } = await setup(id, variant);
        const account = newAccount();
        Object.assign(account.settings, extra);
        const endpoints = await resolveEndpoints(builtIn, account, {});
        const byCode = builtIn.signIn!.device!;
        const byFile = defined.signIn?.device;
        const what = `${variant.name} ${JSON.stringify(extra)}`;
        expect(byFile?.buildDeviceRequest(account, endpoints), what).toEqual(byCode.buildDeviceRequest(account, endpoints));
        expect(byFile?.buildPollRequest(account, 'device-code-1', endpoints), what).toEqual(byCode.buildPollRequest(account, 'device-code-1', endpoints));
      }
    }
  });

  it.each(VARIANTS[id].map((v) => [v.name, v] as const))('reaches the same outcomes on success and on every fault (%s)', async (_name, variant) => {
    const { sim, newAccount } = await setup(id, variant);
    const success = [await outcome(builtIn, newAccount()), await outcome(defined, newAccount())];
    expect(success[0]).toHaveProperty('ok');
    expect(success[1]).toEqual(success[0]);
    const faults: Fault[] = [...COMMON_FAULTS, ...VENDOR_CODES[id].map((code): Fault => ({ kind: 'vendor_error', code }))];
    for (const fault of faults) {
      sim.fail(fault);
      const byCode = await outcome(builtIn, newAccount());
      sim.fail(fault);
      const byFile = await outcome(defined, newAccount());
      expect(byFile, JSON.stringify(fault)).toEqual(byCode);
    }
    // A spent refresh token (reuse) is classified alike too.
    if (variant.account === undefined || !variant.name.includes('client credentials')) {
      const account = newAccount();
      await refreshTokens(builtIn, { ...account, secrets: { ...account.secrets } });
      const again = [await outcome(builtIn, account), await outcome(defined, account)];
      expect(again[1]).toEqual(again[0]);
    }
  });
});
