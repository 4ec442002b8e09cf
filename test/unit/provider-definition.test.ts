// Provider files (README "Provider files"): the shipped definitions pass their checks, the
// published JSON Schema is what the zod schema generates, and problems carry JSON paths.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/main/core/net/provider-error.js';
import { specFromDefinition } from '../../src/main/core/providers/definition.js';
import { PROVIDER_IDS } from '../../src/shared/domain.js';
import { checkProviderDefinition } from '../../src/shared/provider-definition-check.js';
import { providerDefinitionJsonSchema } from '../../src/shared/provider-definition.js';

const read = (file: string): Record<string, unknown> => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
const ledgerly = () => read('examples/providers/ledgerly.json');

describe('provider definitions', () => {
  it('the built-ins and the example pass every check', () => {
    for (const id of PROVIDER_IDS) {
      const result = checkProviderDefinition(read(`src/main/core/providers/definitions/${id}.json`), { builtIn: true });
      expect(result.ok ? [] : result.problems, id).toEqual([]);
    }
    const result = checkProviderDefinition(ledgerly());
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it('docs/provider-definition.schema.json is the schema the zod schema generates (node --import tsx scripts/provider-schema.ts)', () => {
    expect(read('docs/provider-definition.schema.json')).toEqual(JSON.parse(JSON.stringify(providerDefinitionJsonSchema())));
  });

  it('names the JSON path of each problem', () => {
    const def = ledgerly() as { refresh: { answer: { accessToken: string } } };
    def.refresh.answer.accessToken = '/data/auth/access';
    const result = checkProviderDefinition(def);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems).toContainEqual({ path: '/refresh/answer/accessToken', message: 'pointer matches nothing in the sample' });
    const builtInId = { ...ledgerly(), id: 'ups' };
    const refused = checkProviderDefinition(builtInId);
    expect(refused.ok ? [] : refused.problems.map((p) => p.path)).toEqual(['/id']);
  });
});

describe('the answer mapping', () => {
  const now = Date.UTC(2030, 0, 1);
  const account = { id: 'a', settings: {}, secrets: { refresh_token: 'rt-old', api_key: 'lk_0123456789abcdef' } };
  function specWith(expiry: Record<string, unknown>) {
    const def = ledgerly() as { refresh: { answer: { expiry: unknown } } };
    def.refresh.answer.expiry = expiry;
    const checked = checkProviderDefinition(def);
    if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
    return specFromDefinition(checked.definition);
  }
  const answer = (extra: Record<string, unknown>) => ({
    status: 200,
    headers: {},
    bodyText: JSON.stringify({ ok: true, data: { auth: { token: 'at-new', renewal: 'rt-new', ...extra }, workspace: { id: 'ws', plan: 'team' } } }),
  });
  const parse = (expiry: Record<string, unknown>, extra: Record<string, unknown>) => specWith(expiry).parseRefreshResponse(answer(extra), { account, sentRefreshToken: 'rt-old', now });

  it('reads every kind of expiry', () => {
    expect(parse({ kind: 'seconds', pointer: '/data/auth/ttl' }, { ttl: 600 }).expiresAt).toBe(now + 600_000);
    expect(parse({ kind: 'string_seconds', pointer: '/data/auth/ttl' }, { ttl: '600' }).expiresAt).toBe(now + 600_000);
    expect(parse({ kind: 'iso_date', pointer: '/data/auth/at' }, { at: '2030-01-01T00:10:00.000Z' }).expiresAt).toBe(now + 600_000);
    expect(parse({ kind: 'epoch_ms', pointer: '/data/auth/at' }, { at: now + 600_000 }).expiresAt).toBe(now + 600_000);
    expect(parse({ kind: 'epoch_seconds', pointer: '/data/auth/at' }, { at: now / 1000 + 600 }).expiresAt).toBe(now + 600_000);
    expect(parse({ kind: 'fixed', seconds: 900 }, {}).expiresAt).toBe(now + 900_000);
    const none = parse({ kind: 'jwt_exp' }, {});
    expect(none.expiresAt).toBeUndefined();
    expect(none.rotated).toBe(true);
    expect(none.refreshToken).toBe('rt-new');
    expect(none.meta).toEqual({ workspace: 'ws', plan: 'team' });
  });

  it('refuses a malformed or past expiry as transient, keeping the rotated refresh token', () => {
    for (const [expiry, extra] of [
      [{ kind: 'iso_date', pointer: '/data/auth/expires', required: true }, {}],
      [{ kind: 'iso_date', pointer: '/data/auth/at' }, { at: 'tomorrow' }],
      [{ kind: 'seconds', pointer: '/data/auth/ttl' }, { ttl: '600' }],
      [{ kind: 'iso_date', pointer: '/data/auth/at' }, { at: '2029-12-31T23:00:00Z' }],
    ] as const) {
      let caught: unknown;
      try {
        parse(expiry, extra);
      } catch (err) {
        caught = err;
      }
      expect(caught, JSON.stringify(extra)).toBeInstanceOf(ProviderError);
      expect((caught as ProviderError).errorClass).toBe('transient');
    }
    let past: ProviderError | undefined;
    try {
      parse({ kind: 'iso_date', pointer: '/data/auth/at' }, { at: '2029-12-31T23:00:00Z' });
    } catch (err) {
      past = err as ProviderError;
    }
    expect(past?.rotatedRefreshToken).toBe('rt-new');
  });
});
