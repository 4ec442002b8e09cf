// A provider described only by a provider file (examples/providers/ledgerly.json) against
// its simulator, over real HTTP: the request the definition builds, the ISO-date expiry, the
// rotating renewal token, and errors sent as HTTP 200 classified by the definition's rules.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { refreshTokens } from '../../src/main/core/providers/call.js';
import { specFromDefinition } from '../../src/main/core/providers/definition.js';
import type { ProviderAccount } from '../../src/main/core/providers/types.js';
import { ProviderError } from '../../src/main/core/net/provider-error.js';
import { checkProviderDefinition } from '../../src/shared/provider-definition-check.js';
import { startLedgerlySimulator, type Simulator } from '../../src/simulators/index.js';

const open: Simulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

function ledgerlySpec() {
  const checked = checkProviderDefinition(JSON.parse(fs.readFileSync('examples/providers/ledgerly.json', 'utf8')));
  if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
  return specFromDefinition(checked.definition);
}

async function setup() {
  const sim = await startLedgerlySimulator({ accessTtlSec: 1800 });
  open.push(sim);
  const grant = sim.issue();
  const account: ProviderAccount = { id: 'acc-ledgerly', settings: { ...grant.settings }, secrets: { ...grant.secrets }, baseUrl: sim.url };
  return { sim, grant, account };
}

async function failureOf(promise: Promise<unknown>): Promise<ProviderError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe('ledgerly, defined by a provider file', () => {
  it('sends the key header and the nested JSON body, reads the token at /data/auth/token and the ISO expiry, keeps the rotated renewal token', async () => {
    const { sim, grant, account } = await setup();
    const spec = ledgerlySpec();
    const before = Date.now();
    const { tokens } = await refreshTokens(spec, account);
    const req = sim.requests.at(-1)!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v3/session/renew');
    expect(req.headers['x-ledgerly-key']).toBe(grant.secrets['api_key']);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['authorization']).toBeUndefined();
    expect(req.bodyText).toBe(JSON.stringify({ session: { renewal: grant.refreshToken } }));
    expect(sim.isValidAccessToken(tokens.accessToken)).toBe(true);
    expect(tokens.rotated).toBe(true);
    expect(sim.isValidRefreshToken(tokens.refreshToken!)).toBe(true);
    expect(tokens.expirySource).toBe('expires_in');
    expect(tokens.expiresAt! - before).toBeGreaterThan(1790_000);
    expect(tokens.expiresAt! - Date.now()).toBeLessThanOrEqual(1800_000);
    expect(tokens.meta['plan']).toBe('team');
    expect(String(tokens.meta['workspace'])).toMatch(/^ws_/);
  });

  it('classifies errors sent as HTTP 200 by the definition rules', async () => {
    const { sim, account } = await setup();
    const spec = ledgerlySpec();
    const cases = [
      ['EXPIRED', 'reauth_required'],
      ['BAD_KEY', 'config_error'],
      ['SLOW_DOWN', 'rate_limited'],
      ['MAINTENANCE', 'transient'],
    ] as const;
    for (const [code, errorClass] of cases) {
      sim.fail({ kind: 'vendor_error', code });
      const err = await failureOf(refreshTokens(spec, account));
      expect(err.errorClass, code).toBe(errorClass);
      expect(err.httpStatus).toBe(200);
      expect(err.vendorCode).toBe(code);
    }
    // A spent renewal token: the vendor's own EXPIRED, nothing stored.
    const spent = { ...account, secrets: { ...account.secrets } };
    await refreshTokens(spec, spent);
    const err = await failureOf(refreshTokens(spec, account));
    expect(err.errorClass).toBe('reauth_required');
    expect(err.message).toMatch(/EXPIRED/);
    // Common classes still hold: 429 with Retry-After, 5xx.
    sim.fail({ kind: 'rate_limit', retryAfterSec: 7 });
    const limited = await failureOf(refreshTokens(spec, account));
    expect(limited.errorClass).toBe('rate_limited');
    expect(limited.retryAfterMs).toBe(7000);
    sim.fail({ kind: 'server_error' });
    expect((await failureOf(refreshTokens(spec, account))).errorClass).toBe('transient');
    sim.fail({ kind: 'html' });
    expect((await failureOf(refreshTokens(spec, account))).errorClass).toBe('transient');
  });
});
