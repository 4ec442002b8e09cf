// Every provider's failures, classified over real HTTP against its simulator: the
// class the engine acts on, a readable message, and never a secret in it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshTokens } from '../../src/main/core/providers/call.js';
import { providers } from '../../src/main/core/providers/index.js';
import { ProviderError } from '../../src/main/core/net/provider-error.js';
import type { ProviderAccount } from '../../src/main/core/providers/types.js';
import { startSimulator, type Fault, type Simulator } from '../../src/simulators/index.js';
import type { ErrorClass, ProviderId } from '../../src/shared/domain.js';

interface Case {
  name: string;
  fault?: Fault;
  /** Instead of a fault: change the account before the call. */
  prepare?: (account: ProviderAccount, sim: Simulator) => Promise<void> | void;
  expect: ErrorClass;
  message?: RegExp;
  retryAfterMs?: number;
  /** Cases that test the timeout itself use a short one; the others get one a busy machine never hits. */
  timeoutMs?: number;
}

const TIMEOUT_MS = 400;
const ANSWER_TIMEOUT_MS = 10_000;

const COMMON: Case[] = [
  { name: '500', fault: { kind: 'server_error' }, expect: 'transient', message: /HTTP 500/ },
  { name: '503 with Retry-After', fault: { kind: 'unavailable', retryAfterSec: 7 }, expect: 'transient', message: /HTTP 503/, retryAfterMs: 7000 },
  { name: '429 with Retry-After', fault: { kind: 'rate_limit', retryAfterSec: 30 }, expect: 'rate_limited', message: /Rate limited.*30 s/, retryAfterMs: 30_000 },
  { name: 'hang past the timeout', fault: { kind: 'hang' }, expect: 'transient', message: /within 0\.4 s/, timeoutMs: TIMEOUT_MS },
  { name: 'connection reset', fault: { kind: 'reset' }, expect: 'transient', message: /Network error/ },
  { name: 'trickling body past the timeout', fault: { kind: 'trickle', bytesPerSec: 20 }, expect: 'transient', message: /within/, timeoutMs: TIMEOUT_MS },
  { name: 'HTML page', fault: { kind: 'html' }, expect: 'transient', message: /Malformed.*HTML/ },
  { name: 'truncated JSON', fault: { kind: 'truncated_json' }, expect: 'transient', message: /Malformed/ },
  { name: 'wrong types', fault: { kind: 'wrong_types' }, expect: 'transient', message: /Malformed/ },
  { name: 'missing fields', fault: { kind: 'missing_fields' }, expect: 'transient', message: /Malformed/ },
  { name: 'body over 1 MiB', fault: { kind: 'oversize' }, expect: 'transient', message: /larger than 1024 KiB/ },
  { name: 'redirect to another origin', fault: { kind: 'redirect', location: 'http://127.0.0.2:9/steal' }, expect: 'config_error', message: /another origin/ },
  { name: '404 (wrong base URL)', fault: { kind: 'status', status: 404, body: 'Not Found' }, expect: 'config_error', message: /not the token endpoint/ },
  {
    name: 'replayed refresh token',
    prepare: async (account) => {
      const copy = { ...account, secrets: { ...account.secrets } };
      await refreshTokens(providers[account.id.replace('acc-', '') as ProviderId], copy);
    },
    expect: 'reauth_required',
  },
];

const EXPIRY_CASES: Case[] = [
  { name: 'negative expires_in', fault: { kind: 'negative_expires_in' }, expect: 'transient', message: /Malformed.*positive/ },
  { name: 'absurd expires_in', fault: { kind: 'absurd_expires_in' }, expect: 'transient', message: /Malformed.*ten years/ },
];

const VENDOR: Record<ProviderId, Case[]> = {
  ups: [
    ...EXPIRY_CASES,
    { name: '10401 client id invalid', fault: { kind: 'vendor_error', code: '10401' }, expect: 'config_error', message: /UPS 10401: ClientId is Invalid/ },
    { name: '10400 invalid refresh token', fault: { kind: 'vendor_error', code: '10400' }, expect: 'reauth_required', message: /Invalid Refresh Token.*sign in/ },
    { name: '10400 auth header', fault: { kind: 'vendor_error', code: '10400-auth' }, expect: 'config_error', message: /UPS 10400/ },
    { name: '10429 rate limited', fault: { kind: 'vendor_error', code: '10429' }, expect: 'rate_limited', message: /Too Many Requests/ },
    { name: 'wrong client secret', prepare: (a) => void (a.secrets['client_secret'] = 'wrong-secret-value'), expect: 'config_error', message: /ClientId is Invalid|client/i },
  ],
  pathstack: [
    ...EXPIRY_CASES,
    { name: '401 invalid refresh token', fault: { kind: 'vendor_error', code: '401' }, expect: 'reauth_required', message: /Invalid Refresh Token/ },
    { name: '422 field required', fault: { kind: 'vendor_error', code: '422' }, expect: 'config_error', message: /Field required \(body\.sub\)/ },
    { name: 'sub of another user', prepare: (a) => void (a.settings['sub'] = '00000000-0000-4000-8000-000000000000'), expect: 'reauth_required' },
  ],
  teamup: [
    ...EXPIRY_CASES,
    { name: '401 invalid token', fault: { kind: 'vendor_error', code: '401' }, expect: 'reauth_required', message: /Invalid refresh token/ },
    { name: '400 validation', fault: { kind: 'vendor_error', code: '400' }, expect: 'config_error', message: /refresh_token: This field may not be blank/ },
    { name: '403 permission', fault: { kind: 'vendor_error', code: '403' }, expect: 'config_error', message: /permission/ },
  ],
  banyan: [
    { name: '401 envelope', fault: { kind: 'vendor_error', code: '401' }, expect: 'reauth_required', message: /invalid or expired token/ },
    { name: '403 envelope', fault: { kind: 'vendor_error', code: '403' }, expect: 'config_error', message: /forbidden/ },
    { name: '400 {Message}', fault: { kind: 'vendor_error', code: '400' }, expect: 'config_error', message: /bad request/ },
    { name: 'unknown API key', prepare: (a) => void (a.secrets['refresh_token'] = 'not-a-banyan-key'), expect: 'reauth_required' },
  ],
  vaultist: [
    ...EXPIRY_CASES,
    { name: 'invalid_grant', fault: { kind: 'vendor_error', code: 'invalid_grant' }, expect: 'reauth_required', message: /invalid_grant: Refresh token has expired or is invalid/ },
    { name: 'invalid_request', fault: { kind: 'vendor_error', code: 'invalid_request' }, expect: 'config_error', message: /Missing refresh token/ },
    { name: 'invalid partner', fault: { kind: 'vendor_error', code: 'invalid_partner' }, expect: 'config_error', message: /Invalid partner/ },
    { name: 'wrong partnerId', prepare: (a) => void (a.settings['partner_id'] = '1'), expect: 'config_error' },
  ],
  oauth2: [
    ...EXPIRY_CASES,
    { name: 'invalid_grant', fault: { kind: 'vendor_error', code: 'invalid_grant' }, expect: 'reauth_required', message: /invalid_grant/ },
    { name: 'invalid_client', fault: { kind: 'vendor_error', code: 'invalid_client' }, expect: 'config_error', message: /invalid_client/ },
    { name: 'unauthorized_client', fault: { kind: 'vendor_error', code: 'unauthorized_client' }, expect: 'config_error' },
    { name: 'unsupported_grant_type', fault: { kind: 'vendor_error', code: 'unsupported_grant_type' }, expect: 'config_error' },
    { name: 'invalid_scope', fault: { kind: 'vendor_error', code: 'invalid_scope' }, expect: 'config_error' },
    { name: 'invalid_request', fault: { kind: 'vendor_error', code: 'invalid_request' }, expect: 'config_error' },
    { name: 'temporarily_unavailable', fault: { kind: 'vendor_error', code: 'temporarily_unavailable' }, expect: 'transient' },
    { name: 'wrong client secret', prepare: (a) => void (a.secrets['client_secret'] = 'wrong-secret-value'), expect: 'config_error', message: /invalid_client|client authentication/ },
  ],
};

describe.each(Object.keys(VENDOR) as ProviderId[])('%s failures', (id) => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator(id);
  });
  afterAll(() => sim.close());

  // Banyan does not rotate: presenting the same refresh token again is legal there.
  const cases = [...COMMON.filter((c) => !(id === 'banyan' && c.name === 'replayed refresh token')), ...VENDOR[id]];

  it('has at least ten distinct failure cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  it.each(cases)('$name → $expect', async (c) => {
    sim.clearFaults();
    const grant = sim.issue();
    const account: ProviderAccount = {
      id: `acc-${id}`,
      settings: { ...grant.settings },
      secrets: { ...grant.secrets },
      baseUrl: id === 'oauth2' ? undefined : sim.url,
    };
    const secrets = Object.values(account.secrets);
    if (c.prepare) await c.prepare(account, sim);
    if (c.fault) sim.fail(c.fault);
    const err = await refreshTokens(providers[id], account, { timeoutMs: c.timeoutMs ?? ANSWER_TIMEOUT_MS }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err, 'the refresh should have failed').toBeInstanceOf(ProviderError);
    const failure = err as ProviderError;
    expect(failure.errorClass).toBe(c.expect);
    if (c.message) expect(failure.message).toMatch(c.message);
    if (c.retryAfterMs !== undefined) expect(failure.retryAfterMs).toBe(c.retryAfterMs);
    expect(failure.message.length).toBeGreaterThan(10);
    for (const secret of [...secrets, ...Object.values(account.secrets)]) expect(failure.message).not.toContain(secret);
  });
});
