// Hostile account input through the contract (the router of a real owner over a real data
// dir): names and every provider field with control characters (C0, DEL, C1, NUL, bidi
// overrides, line separators), values just over each limit and of 1 MiB, and endpoint URLs
// that are not https (remote http, file:, javascript:, data:, ftp:, credentials…) — only
// http on loopback is allowed. For accounts.add, accounts.test and accounts.update, every
// one must be refused with invalid_input and a message that names the field and the problem
// (and echoes no secret, no raw control character), and nothing may be stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PROVIDER_IDS, type ProviderId } from '../../src/shared/domain.js';
import type { CallName } from '../../src/shared/contract.js';
import { isAllowedEndpointUrl, type FieldSpec } from '../../src/shared/provider-fields.js';
import { providerDescriptors } from '../../src/shared/providers/index.js';
import type { Owner } from '../../src/main/core/owner/owner.js';
import { startSimulator, type Simulator } from '../../src/simulators/index.js';
import { call, openTestOwner, tempDir } from '../helpers/temp-owner.js';
import { dataState, type DataState } from './support/data-state.js';

/** A secret-looking marker put into hostile values: no error message may repeat it. */
const CANARY = 'sk_hostile_canary_7Hq2';
const MIB = 1024 * 1024;

const C0 = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i));
const C1 = Array.from({ length: 32 }, (_, i) => String.fromCharCode(0x80 + i));
const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'];
/** Every character a single-line value must refuse. */
const CONTROLS = [...C0, '\u007f', ...C1, ...BIDI, '\u2028', '\u2029'];
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Endpoint URLs that must be refused: anything but https, and http anywhere but loopback. */
const BAD_URLS = [
  'http://example.com/token',
  'http://api.example.com:443/oauth/token',
  'http://10.0.0.1/token',
  'http://192.168.1.20:8080/',
  'http://169.254.169.254/latest/meta-data/',
  'http://0.0.0.0:8080/',
  'http://[fe80::1]/token',
  'http://[2001:db8::1]/',
  'http://localhost.example.com/',
  'http://127.0.0.1.nip.io/',
  'http://evil.example#@127.0.0.1/',
  'HTTP://EXAMPLE.COM/TOKEN',
  'file:///etc/passwd',
  'file://localhost/etc/passwd',
  'javascript:alert(document.cookie)',
  'data:text/plain;base64,SGVsbG8=',
  'ftp://example.com/token',
  'ws://127.0.0.1:9/',
  'wss://example.com/',
  'gopher://127.0.0.1:70/_x',
  'blob:https://example.com/uuid',
  // Credentials in the URL, even on https or loopback.
  `https://user:${CANARY}@example.com/token`,
  'https://user@example.com/',
  `https://:${CANARY}@example.com/`,
  `http://admin:${CANARY}@127.0.0.1:9/`,
  'http://localhost@evil.example/',
  'http://127.0.0.1:80@evil.example/',
  // Not URLs at all.
  'example.com/token',
  '//example.com/token',
  'https://',
  'https://exa mple.com/',
  'not a url',
  // Control characters the URL parser would silently strip or encode.
  'https://example.com/\u0000',
  'https://exa\tmple.com/',
  'https://example.com/\u202e/token',
  'https://example.com\n.evil.example/',
  'https://example.com/\u0085',
];
const GOOD_URLS = ['https://example.com/token', 'HTTPS://EXAMPLE.COM/', 'http://127.0.0.1:8080/', 'http://localhost:9/token', 'http://[::1]:9/', 'http://127.1.2.3/'];

let owner: Owner;
let dataDir: string;
let baseline: DataState;
const sims = {} as Record<ProviderId, Simulator>;
const bases = {} as Record<ProviderId, Record<string, unknown>>;
const cleanups: (() => Promise<unknown>)[] = [];
let refusals = 0;


async function expectNothingStored(context: string): Promise<void> {
  const now = await dataState(dataDir, owner);
  expect(now.files, `${context}: data dir changed`).toEqual(baseline.files);
  expect(now.accounts, `${context}: accounts changed`).toEqual(baseline.accounts);
  expect(now.history, `${context}: history changed`).toEqual(baseline.history);
}

/** Shows a hostile value in a failure message without flooding it or the terminal. */
function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}… (${text.length} chars)` : text;
}

/**
 * The call is refused with invalid_input, and the message names `field` (as `field:`) and
 * matches `problem`; it carries no canary and no raw control or bidi character.
 */
async function expectRefused(method: CallName, input: unknown, field: string, problem: RegExp, what: unknown): Promise<void> {
  const reply = await owner.router.handle(method, input);
  const context = `${method} ${field}=${show(what)}`;
  expect(reply.ok, `${context} was accepted`).toBe(false);
  if (reply.ok) return;
  const { code, message } = reply.error;
  expect(code, `${context}: ${message}`).toBe('invalid_input');
  expect(message, context).toMatch(new RegExp(`(^|[ .])${field.replace(/[.$]/g, '\\$&')}: `));
  expect(message, context).toMatch(problem);
  expect(message, context).not.toContain(CANARY);
  expect(message.length, context).toBeLessThan(2048);
  expect(UNPRINTABLE.test(message), `${context}: raw control character in ${JSON.stringify(message)}`).toBe(false);
  refusals++;
}

/** The same hostile value through add, test (nothing stored either way) and update of the seeded account. */
async function refusedEverywhere(
  providerId: ProviderId,
  patch: { top?: Record<string, unknown>; values?: Record<string, unknown> },
  field: string,
  problem: RegExp,
  what: unknown,
): Promise<void> {
  const base = bases[providerId];
  const add = { ...base, ...patch.top, values: { ...(base['values'] as object), ...patch.values } };
  await expectRefused('accounts.add', add, field, problem, what);
  await expectRefused('accounts.test', add, field, problem, what);
  await expectRefused('accounts.update', { account: `${providerId}-seeded`, ...patch.top, ...(patch.values ? { values: patch.values } : {}) }, field, problem, what);
}

/** The length limit a field's schema declares (textValue/secretValue/endpointUrl), if any. */
function maxLengthOf(field: FieldSpec): number | undefined {
  return (z.toJSONSchema(field.schema, { io: 'input', unrepresentable: 'any' }) as { maxLength?: number }).maxLength;
}

/** Endpoint fields: https accepted, remote http refused. */
function isEndpointField(field: FieldSpec): boolean {
  return field.schema.safeParse('https://example.com/token').success && !field.schema.safeParse('http://example.com/token').success;
}

/** A control character in place of the second character: trimming cannot remove it, the length stays. */
function withControl(valid: string, c: string): string {
  return `${valid.slice(0, 1)}${c}${valid.slice(2)}`;
}

beforeAll(async () => {
  const data = await tempDir('td-hostile-');
  cleanups.push(data.cleanup);
  dataDir = data.dir;
  owner = await openTestOwner(dataDir, { schedule: false });
  cleanups.push(() => owner.close());
  for (const providerId of PROVIDER_IDS) {
    const sim = await startSimulator(providerId);
    sims[providerId] = sim;
    cleanups.push(() => sim.close());
    const baseUrl = providerId === 'oauth2' ? undefined : sim.url;
    // One stored account per provider (for accounts.update) and a fresh grant for the add/test base.
    const seeded = sim.issue();
    const { access_token: _a, ...seededValues } = { ...seeded.settings, ...seeded.secrets };
    await call(owner, 'accounts.add', { providerId, name: `${providerId}-seeded`, baseUrl, values: seededValues });
    const grant = sim.issue();
    const { access_token: _b, ...values } = { ...grant.settings, ...grant.secrets };
    bases[providerId] = { providerId, name: `probe-${providerId}`, ...(baseUrl ? { baseUrl } : {}), values };
  }
  expect((await call(owner, 'accounts.refresh', { account: 'ups-seeded' })).outcome.ok).toBe(true);
  baseline = await dataState(dataDir, owner);
});

afterAll(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
  console.log(`hostile-input: ${refusals} hostile inputs refused with invalid_input, nothing stored`);
});

describe('hostile account input', () => {
  it('the unmodified inputs are valid (so each refusal below is the hostile value’s doing)', async () => {
    for (const providerId of PROVIDER_IDS) {
      const reply = await owner.router.handle('accounts.test', bases[providerId]);
      expect(reply, providerId).toMatchObject({ ok: true, result: { ok: true } });
    }
    await expectNothingStored('accounts.test of valid input');
  });

  it('refuses names with control, bidi or separator characters, and over-long names', async () => {
    for (const providerId of PROVIDER_IDS) {
      for (const c of CONTROLS) await refusedEverywhere(providerId, { top: { name: withControl('name', c) } }, 'name', /Name must not contain control characters/, c);
      // NUL at the very end, which trimming does not remove.
      await refusedEverywhere(providerId, { top: { name: 'name\u0000' } }, 'name', /control characters/, 'trailing NUL');
      for (const length of [101, 4097, MIB]) await refusedEverywhere(providerId, { top: { name: 'n'.repeat(length) } }, 'name', /Name must be at most 100 characters/, length);
    }
    await expectNothingStored('hostile names');
  });

  for (const providerId of PROVIDER_IDS) {
    it(`${providerId}: refuses every field with control characters, over its limit or 1 MiB long`, async () => {
      const base = bases[providerId];
      for (const field of providerDescriptors[providerId].fields) {
        const valid = String((base['values'] as Record<string, unknown>)[field.id] ?? field.default ?? field.options?.[0] ?? 'abcdef');
        // A choice answers with its options; every other field names the control characters.
        const controlProblem = field.options ? /must be one of/ : /must not contain control characters/;
        for (const c of CONTROLS) {
          await refusedEverywhere(providerId, { values: { [field.id]: withControl(valid, c) + (field.secret ? CANARY : '') } }, field.id, controlProblem, c);
        }
        const max = maxLengthOf(field);
        if (max !== undefined) {
          // Just over the field's own limit (digits, so a number field fails on length alone).
          await refusedEverywhere(providerId, { values: { [field.id]: '1'.repeat(max + 1) } }, field.id, new RegExp(`must be at most ${max} characters`), `${max + 1} chars`);
        }
        // Over the contract's cap for any field value, and 1 MiB.
        for (const length of [20_001, MIB]) {
          await refusedEverywhere(providerId, { values: { [field.id]: `${CANARY}${'v'.repeat(length)}` } }, `values.${field.id}`, /A value must be at most 20000 characters/, `${length} chars`);
        }
        if (field.secret) {
          await refusedEverywhere(providerId, { values: { [field.id]: `${CANARY} ${CANARY}` } }, field.id, /must not contain spaces or line breaks/, 'inner space');
        }
      }
      await expectNothingStored(`${providerId} hostile field values`);
    });
  }

  it('allows http for endpoints only on loopback', () => {
    for (const url of GOOD_URLS) expect(isAllowedEndpointUrl(url), url).toBe(true);
    for (const url of BAD_URLS) expect(isAllowedEndpointUrl(url), url).toBe(false);
  });

  for (const providerId of PROVIDER_IDS) {
    it(`${providerId}: refuses every endpoint URL that is not https or loopback http, in baseUrl and in URL fields`, async () => {
      const descriptor = providerDescriptors[providerId];
      const urlProblem = /must be an https:\/\/ URL \(plain http is allowed only for localhost\/127\.0\.0\.1\)|must not contain a user name or password|must not contain control characters/;
      for (const url of BAD_URLS) {
        // baseUrl: the providers with environments take it; oauth2 refuses any (its endpoints are fields).
        await refusedEverywhere(providerId, { top: { baseUrl: url } }, 'baseUrl', urlProblem, url);
        for (const field of descriptor.fields.filter(isEndpointField)) {
          await refusedEverywhere(providerId, { values: { [field.id]: url } }, field.id, urlProblem, url);
        }
      }
      // Credentials are named as the problem (the URL is otherwise fine), and never repeated.
      await refusedEverywhere(providerId, { top: { baseUrl: `https://me:${CANARY}@example.com/` } }, 'baseUrl', /baseUrl: Base URL must not contain a user name or password/, 'credentials');
      await refusedEverywhere(providerId, { top: { baseUrl: `https://example.com/${'a'.repeat(2048)}` } }, 'baseUrl', /Base URL must be at most 2048 characters/, 'over 2048');
      await refusedEverywhere(providerId, { top: { baseUrl: `https://example.com/${'a'.repeat(MIB)}` } }, 'baseUrl', /Base URL must be at most 2048 characters/, '1 MiB');
      for (const field of descriptor.fields.filter(isEndpointField)) {
        await refusedEverywhere(providerId, { values: { [field.id]: `https://example.com/${'a'.repeat(2048)}` } }, field.id, /must be at most 2048 characters/, 'over 2048');
      }
      await expectNothingStored(`${providerId} hostile URLs`);
    });
  }

  it('refuses hostile environments, for every provider', async () => {
    for (const providerId of PROVIDER_IDS) {
      const { environments, name } = providerDescriptors[providerId];
      const problem = environments.length ? /Environment must be one of: / : new RegExp(`Environment must be empty: ${name} accounts set their endpoints`);
      const first = environments[0]?.id ?? 'production';
      for (const env of ['nope', `${first}\u0000`, `\u202e${first}`, `${first} `, first.toUpperCase(), '__proto__', 'constructor']) {
        await refusedEverywhere(providerId, { top: { environment: env } }, 'environment', problem, env);
      }
      for (const env of ['e'.repeat(51), 'e'.repeat(MIB)]) await refusedEverywhere(providerId, { top: { environment: env } }, 'environment', /Environment must be at most 50 characters/, env.length);
      // An account without environments refuses even a real-looking one instead of dropping it.
      if (!environments.length) await refusedEverywhere(providerId, { top: { environment: 'production' } }, 'environment', problem, 'production');
    }
    await expectNothingStored('hostile environments');
  });

  it('refuses unknown field names, naming them safely (quoted, escaped, shortened)', async () => {
    for (const providerId of PROVIDER_IDS) {
      for (const key of ['bogus', 'constructor', 'toString', '\u001b[31mred', '\u202eevil', 'k'.repeat(100), 'a b']) {
        const reply = await owner.router.handle('accounts.add', { ...bases[providerId], values: { ...(bases[providerId]['values'] as object), [key]: CANARY } });
        expect(reply.ok, key).toBe(false);
        if (reply.ok) continue;
        expect(reply.error.code).toBe('invalid_input');
        expect(reply.error.message).toMatch(/Unknown field "[^"]+(…)?" \(expected one of: /);
        expect(reply.error.message).not.toContain(CANARY);
        expect(UNPRINTABLE.test(reply.error.message), JSON.stringify(reply.error.message)).toBe(false);
        expect(reply.error.message.length).toBeLessThan(600);
        refusals++;
      }
    }
    await expectNothingStored('unknown fields');
  });

  it('refuses odd numbers for the intervals', async () => {
    for (const providerId of PROVIDER_IDS) {
      for (const v of [Number.NaN, Number.POSITIVE_INFINITY, -1, 0, 1.5, 9_999, 1e20, '60000']) {
        await refusedEverywhere(providerId, { top: { refreshEveryMs: v } }, 'refreshEveryMs', /expected|Refresh every must be at (least 10 seconds|most 366 days)/, v);
      }
      for (const v of [Number.NaN, Number.NEGATIVE_INFINITY, 0, -5, 0.5, 1e12, '3600']) {
        await expectRefused('accounts.add', { ...bases[providerId], accessTokenExpiresInSeconds: v }, 'accessTokenExpiresInSeconds', /expected|Access token lifetime must be /, v);
      }
    }
    await expectNothingStored('odd numbers');
  });
});
