// Malformed and hostile provider responses: for each of the six providers, at least
// 30 distinct bad answers — the simulators' own fault modes plus hand-made ones sent through
// the harness's generic `raw` and `close` faults — each met by a REAL refresh through a real
// owner (temp data dir, encrypted vault, the engine, the contract router) against the real
// simulator over HTTP. Every one must end as a classified error (never 'ok', never a crash or
// an unhandled rejection); the vault must hold byte-identical secrets afterwards; the history
// row must carry no secret; and once the fault is gone the next refresh must work (the account
// is not bricked). Figures: a per-provider table of cases by error class.
//
// Scale: the case list is the same in CI and with RELIABILITY_SCALE=full; the full run goes
// through it FULL_ROUNDS times (fresh hostile tokens each round).
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Owner } from '../../src/main/core/owner/owner.js';
import { startSimulator, type Fault, type Simulator } from '../../src/simulators/index.js';
import { PROVIDER_IDS, type ErrorClass, type ProviderId } from '../../src/shared/domain.js';
import { call, openTestOwner, tempDir } from '../helpers/temp-owner.js';

const FULL = process.env['RELIABILITY_SCALE'] === 'full';
const ROUNDS = FULL ? 5 : 1;
const MIN_CASES_PER_PROVIDER = 30;
/** The owner's request timeout: small, so the "answer never completes" cases stay quick. */
const TIMEOUT_MS = 1_000;
const MIB = 1024 * 1024;

// ── hostile values ─────────────────────────────────────────────────────────

/** Leave the member out of the body. */
const OMIT = Symbol('omit');
type Value = unknown;

function fakeToken(prefix: string): string {
  return `${prefix}-${randomBytes(12).toString('base64url')}`;
}

/** JWT-shaped (unsigned) with the given claims, for lifetimes that live only in `exp` (banyan). */
function fakeJwt(claims: Record<string, unknown>): string {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc({ sub: 'someone', ...claims })}.${randomBytes(16).toString('base64url')}`;
}

interface Fields {
  accessToken?: Value;
  refreshToken?: Value;
  expiresIn?: Value;
  tokenType?: Value;
}

function put(body: Record<string, unknown>, key: string, value: Value): void {
  if (value !== OMIT) body[key] = value;
}

/** Each vendor's success answer, with the given values (or sane fake ones) at the vendor's places. */
interface Shape {
  body(f: Fields): unknown;
  /** Where the lifetime lives: a response member, or only the JWT `exp` claim (banyan). */
  lifetime: 'member' | 'jwt';
  /** The response must carry a lifetime member (absent = malformed). */
  expiresInRequired: boolean;
  /** token_type is read (and so can be wrong); teamup and banyan ignore or lack it. */
  readsTokenType: boolean;
  /** A refresh token member exists in the answer. */
  refreshTokenMember: boolean;
}

const now = () => Math.floor(Date.now() / 1000);
const given = (value: Value, fallback: () => Value): Value => (value === undefined ? fallback() : value);
const defaults = (f: Fields) => ({
  accessToken: given(f.accessToken, () => fakeToken('at')),
  refreshToken: given(f.refreshToken, () => fakeToken('rt')),
  expiresIn: given(f.expiresIn, () => 3600),
  tokenType: given(f.tokenType, () => 'Bearer'),
});

const SHAPES: Record<ProviderId, Shape> = {
  ups: {
    lifetime: 'member',
    expiresInRequired: false,
    readsTokenType: true,
    refreshTokenMember: true,
    body(f) {
      const v = defaults(f);
      const body: Record<string, unknown> = { refresh_token_expires_in: '5183999', refresh_token_status: 'approved', issued_at: String(Date.now()), client_id: 'x' };
      put(body, 'token_type', v.tokenType);
      put(body, 'access_token', v.accessToken);
      put(body, 'refresh_token', v.refreshToken);
      put(body, 'expires_in', typeof v.expiresIn === 'number' ? String(v.expiresIn) : v.expiresIn);
      body['status'] = 'approved';
      return body;
    },
  },
  pathstack: {
    lifetime: 'member',
    expiresInRequired: true,
    readsTokenType: true,
    refreshTokenMember: true,
    body(f) {
      const v = defaults(f);
      const data: Record<string, unknown> = {};
      put(data, 'token_type', v.tokenType);
      put(data, 'expires_in', v.expiresIn);
      put(data, 'access_token', v.accessToken);
      put(data, 'refresh_token', v.refreshToken);
      return { data };
    },
  },
  teamup: {
    lifetime: 'member',
    expiresInRequired: true,
    readsTokenType: false,
    refreshTokenMember: true,
    body(f) {
      const v = defaults(f);
      const body: Record<string, unknown> = {};
      put(body, 'access_token', v.accessToken);
      put(body, 'expires_in', v.expiresIn);
      put(body, 'refresh_token', v.refreshToken);
      return body;
    },
  },
  banyan: {
    lifetime: 'jwt',
    expiresInRequired: false,
    readsTokenType: false,
    refreshTokenMember: true,
    body(f) {
      // The lifetime is the JWT's exp: `expiresIn` becomes that claim.
      const exp = f.expiresIn === undefined ? now() + 3600 : f.expiresIn === OMIT ? undefined : f.expiresIn;
      const accessToken = given(f.accessToken, () => fakeJwt(exp === undefined ? {} : { exp }));
      if (f.refreshToken === undefined) {
        const body: Record<string, unknown> = {};
        put(body, 'Message', accessToken);
        return body;
      }
      // A refresh token travels only in the v2 envelope.
      const data: Record<string, unknown> = {};
      put(data, 'access_token', accessToken);
      put(data, 'refresh_token', f.refreshToken);
      return { request_id: 'r1', error_code: 0, error_description: '', data };
    },
  },
  vaultist: {
    lifetime: 'member',
    expiresInRequired: true,
    readsTokenType: true,
    refreshTokenMember: true,
    body(f) {
      const v = defaults(f);
      const body: Record<string, unknown> = {};
      put(body, 'access_token', v.accessToken);
      put(body, 'refresh_token', v.refreshToken);
      put(body, 'expires_in', v.expiresIn);
      put(body, 'token_type', v.tokenType);
      return body;
    },
  },
  oauth2: {
    lifetime: 'member',
    expiresInRequired: false,
    readsTokenType: true,
    refreshTokenMember: true,
    body(f) {
      const v = defaults(f);
      const body: Record<string, unknown> = {};
      put(body, 'access_token', v.accessToken);
      put(body, 'token_type', v.tokenType);
      put(body, 'expires_in', v.expiresIn);
      put(body, 'refresh_token', v.refreshToken);
      body['scope'] = 'read write';
      return body;
    },
  },
};

// ── the cases ─────────────────────────────────────────────────────────────

interface Case {
  name: string;
  /** The fault to queue (times: how many requests it answers; default 1). */
  fault: (ctx: CaseContext) => Fault;
  times?: number;
  expect: ErrorClass;
  /** The message must say this. */
  message?: RegExp;
  /**
   * The vendor really refreshed (and rotated) before its answer went wrong: its old refresh
   * token is spent, so "untouched" means the access token stays and the NEW refresh token is kept.
   */
  vendorRotated?: boolean;
}

interface CaseContext {
  sim: Simulator;
  shape: Shape;
  /** The refresh token the account holds now (for echo cases; never printed). */
  refreshToken: string;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const json200 = (body: unknown, headers: Record<string, string> = JSON_TYPE): Fault => ({ kind: 'raw', status: 200, headers, body: JSON.stringify(body) });
const raw200 = (body: string, headers: Record<string, string> = JSON_TYPE): Fault => ({ kind: 'raw', status: 200, headers, body });
const MALFORMED = /Malformed response/;

const LOGIN_PAGE = '<!DOCTYPE html><html><head><title>Sign in</title></head><body><form action="/login"><input name="password" type="password"></form></body></html>';

function casesFor(id: ProviderId): Case[] {
  const shape = SHAPES[id];
  const success = (f: Fields = {}) => shape.body(f);
  const cases: Case[] = [
    // The simulators' own fault modes.
    { name: 'sim: HTML login page', fault: () => ({ kind: 'html' }), expect: 'transient', message: /Malformed.*HTML/ },
    { name: 'sim: truncated JSON', fault: () => ({ kind: 'truncated_json' }), expect: 'transient', message: MALFORMED },
    { name: 'sim: wrong member types', fault: () => ({ kind: 'wrong_types' }), expect: 'transient', message: MALFORMED },
    { name: 'sim: access token missing', fault: () => ({ kind: 'missing_fields' }), expect: 'transient', message: MALFORMED },
    { name: 'sim: 2 MiB chunked body', fault: () => ({ kind: 'oversize' }), expect: 'transient', message: /larger than 1024 KiB/ },
    { name: 'sim: vendor 500', fault: () => ({ kind: 'server_error' }), expect: 'transient', message: /HTTP 500/ },
    { name: 'sim: 503 + Retry-After', fault: () => ({ kind: 'unavailable', retryAfterSec: 3 }), expect: 'transient', message: /HTTP 503/ },
    { name: 'sim: 429 + Retry-After', fault: () => ({ kind: 'rate_limit', retryAfterSec: 9 }), expect: 'rate_limited', message: /Rate limited/ },
    { name: 'sim: connection reset', fault: () => ({ kind: 'reset' }), expect: 'transient', message: /Network error.*reset|connection/ },
    { name: 'sim: never answers', fault: () => ({ kind: 'hang' }), expect: 'transient', message: /No complete answer.*within 1 s/ },
    ...(id === 'banyan'
      ? [] // banyan does not rotate by default; its lifetime faults are covered by the JWT exp cases below
      : ([
          { name: 'sim: negative expires_in, vendor rotated', fault: () => ({ kind: 'negative_expires_in' }), expect: 'transient', message: /Malformed.*new refresh token it sent is kept/, vendorRotated: true },
          { name: 'sim: absurd expires_in, vendor rotated', fault: () => ({ kind: 'absurd_expires_in' }), expect: 'transient', message: /Malformed.*new refresh token it sent is kept/, vendorRotated: true },
        ] satisfies Case[])),
    { name: 'sim: redirect to another host', fault: () => ({ kind: 'redirect', location: 'http://127.0.0.2:9/steal' }), expect: 'config_error', message: /another origin/ },

    // Bodies that are not the vendor's JSON at all.
    { name: 'empty body', fault: () => raw200(''), expect: 'transient', message: /empty body/ },
    { name: 'empty body, no content-type', fault: () => raw200('', {}), expect: 'transient', message: /empty body/ },
    { name: '204 No Content', fault: () => ({ kind: 'raw', status: 204 }), expect: 'transient', message: MALFORMED },
    { name: 'whitespace only', fault: () => raw200(' \r\n\t '), expect: 'transient', message: MALFORMED },
    { name: 'JSON cut in half', fault: () => raw200(JSON.stringify(success()).slice(0, 40)), expect: 'transient', message: /truncated JSON/ },
    { name: 'JSON null', fault: () => raw200('null'), expect: 'transient', message: MALFORMED },
    { name: 'JSON array of the answer', fault: () => json200([success()]), expect: 'transient', message: MALFORMED },
    { name: 'JSON number', fault: () => raw200('42'), expect: 'transient', message: MALFORMED },
    { name: 'JSON string', fault: () => raw200(JSON.stringify(fakeToken('at'))), expect: 'transient', message: MALFORMED },
    { name: 'JSON true', fault: () => raw200('true'), expect: 'transient', message: MALFORMED },
    { name: 'HTML login page labelled JSON', fault: () => raw200(LOGIN_PAGE), expect: 'transient', message: /HTML/ },
    { name: 'HTML login page (text/html)', fault: () => raw200(LOGIN_PAGE, { 'content-type': 'text/html; charset=utf-8' }), expect: 'transient', message: /HTML/ },
    { name: 'XML answer', fault: () => raw200('<?xml version="1.0"?><root><access_token>abc</access_token></root>', { 'content-type': 'application/xml' }), expect: 'transient', message: /HTML\/XML/ },
    { name: 'plain text "OK"', fault: () => raw200('OK', { 'content-type': 'text/plain' }), expect: 'transient', message: MALFORMED },
    { name: 'byte-order mark before the JSON', fault: () => raw200(`\ufeff${JSON.stringify(success())}`), expect: 'transient', message: MALFORMED },
    { name: 'JSON nested 100,000 deep', fault: () => raw200('['.repeat(100_000) + ']'.repeat(100_000)), expect: 'transient', message: MALFORMED },
    { name: '__proto__ carrying the token', fault: () => raw200(`{"__proto__":${JSON.stringify(success())}}`), expect: 'transient', message: MALFORMED },

    // The access token.
    { name: 'access token missing', fault: () => json200(success({ accessToken: OMIT })), expect: 'transient', message: MALFORMED },
    { name: 'access token a number', fault: () => json200(success({ accessToken: 12345 })), expect: 'transient', message: MALFORMED },
    { name: 'access token null', fault: () => json200(success({ accessToken: null })), expect: 'transient', message: MALFORMED },
    { name: 'access token an object', fault: () => json200(success({ accessToken: { value: 'x' } })), expect: 'transient', message: MALFORMED },
    { name: 'access token empty', fault: () => json200(success({ accessToken: '' })), expect: 'transient', message: MALFORMED },
    { name: 'access token of 1 MB', fault: () => json200(success({ accessToken: 'A'.repeat(1_000_000) })), expect: 'transient', message: MALFORMED },
    { name: 'access token with CR LF (header injection)', fault: () => json200(success({ accessToken: `${fakeToken('at')}\r\nX-Injected: 1` })), expect: 'transient', message: MALFORMED },
    { name: 'access token with NUL', fault: () => json200(success({ accessToken: `${fakeToken('at')}\u0000x` })), expect: 'transient', message: MALFORMED },
    { name: 'access token with a bidi override', fault: () => json200(success({ accessToken: `${fakeToken('at')}\u202e` })), expect: 'transient', message: MALFORMED },
    {
      name: 'access token with invalid UTF-8',
      fault: () => {
        const text = JSON.stringify(success({ accessToken: 'PLACEHOLDER-TOKEN' }));
        const [before, after] = text.split('PLACEHOLDER-TOKEN') as [string, string];
        const bytes = Buffer.concat([Buffer.from(`${before}abc`), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(`def${after}`)]);
        return { kind: 'raw', status: 200, headers: JSON_TYPE, bodyBase64: bytes.toString('base64') };
      },
      expect: 'transient',
      message: MALFORMED,
    },
    {
      name: 'duplicate access token key, the last one empty',
      fault: () => raw200(JSON.stringify(success({ accessToken: 'PLACEHOLDER' })).replace(/"(\w+)":"PLACEHOLDER"/, (_m, key: string) => `"${key}":"${fakeToken('at')}","${key}":""`)),
      expect: 'transient',
      message: MALFORMED,
    },

    // Transport-level lies about the body.
    { name: 'gzip claimed, body not gzipped', fault: () => raw200(JSON.stringify(success()), { ...JSON_TYPE, 'content-encoding': 'gzip' }), expect: 'transient' },
    { name: 'brotli claimed, body gzipped', fault: () => ({ kind: 'raw', status: 200, headers: { ...JSON_TYPE, 'content-encoding': 'br' }, bodyBase64: gzipSync(JSON.stringify(success())).toString('base64') }), expect: 'transient' },
    { name: 'Content-Length of 5 MB declared', fault: () => ({ kind: 'raw', status: 200, headers: { ...JSON_TYPE, 'content-length': String(5 * MIB) }, body: JSON.stringify(success()), closeAfterBytes: 10 }), expect: 'transient', message: /larger than 1024 KiB/ },
    { name: 'body over the 1 MiB cap, chunked', fault: () => ({ kind: 'raw', status: 200, headers: JSON_TYPE, chunked: true, body: JSON.stringify({ pad: 'x'.repeat(MIB + 10), ...(success() as object) }) }), expect: 'transient', message: /larger than 1024 KiB/ },
    { name: 'connection closed mid-body (Content-Length lies)', fault: () => ({ kind: 'raw', status: 200, headers: JSON_TYPE, body: JSON.stringify(success()), closeAfterBytes: 12 }), expect: 'transient' },
    { name: 'connection closed mid-body (chunked)', fault: () => ({ kind: 'raw', status: 200, headers: JSON_TYPE, chunked: true, body: JSON.stringify(success()), closeAfterBytes: 12 }), expect: 'transient' },
    { name: 'slow, then closed before any header', fault: () => ({ kind: 'close', afterMs: 150 }), expect: 'transient', message: /Network error/ },
    { name: 'headers after the timeout', fault: () => ({ kind: 'raw', status: 200, headers: JSON_TYPE, body: JSON.stringify(success()), delayMs: TIMEOUT_MS + 500 }), expect: 'transient', message: /No complete answer/ },

    // 200 that is really an error.
    { name: '200 with an OAuth error body', fault: () => json200({ error: 'invalid_grant', error_description: 'The refresh token is invalid' }), expect: 'transient', message: MALFORMED },
    { name: '200 with an error echoing the refresh token', fault: (c) => json200({ error: 'invalid_request', error_description: `bad token ${c.refreshToken}` }), expect: 'transient', message: MALFORMED },

    // Redirects.
    { name: '307 to https on the same host', fault: (c) => ({ kind: 'redirect', status: 307, location: c.sim.url.replace('http://', 'https://') }), expect: 'config_error', message: /another origin/ },
    { name: '307 to a Location that is not a URL', fault: () => ({ kind: 'redirect', status: 307, location: 'http://127.0.0.1:99999999/x' }), expect: 'config_error', message: /invalid URL/ },
    { name: '308 to another host', fault: () => ({ kind: 'redirect', status: 308, location: 'https://evil.example/token' }), expect: 'config_error', message: /another origin/ },
    { name: '302 on the same origin', fault: (c) => ({ kind: 'redirect', status: 302, location: `${new URL(c.sim.url).origin}/elsewhere` }), expect: 'config_error', message: /HTTP 302/ },
    { name: '307 redirect loop', fault: (c) => ({ kind: 'redirect', status: 307, location: c.sim.requests.at(-1)!.path }), times: 10, expect: 'config_error', message: /More than 3 redirects/ },
    { name: '301 without Location', fault: () => ({ kind: 'raw', status: 301 }), expect: 'config_error', message: /nowhere/ },

    // Error statuses with garbage.
    { name: '400 with binary garbage', fault: () => ({ kind: 'raw', status: 400, headers: { 'content-type': 'application/octet-stream' }, bodyBase64: randomBytes(64).toString('base64') }), expect: 'config_error', message: /HTTP 400/ },
    { name: '404 HTML page', fault: () => ({ kind: 'raw', status: 404, headers: { 'content-type': 'text/html' }, body: '<h1>Not Found</h1>' }), expect: 'config_error', message: /not the token endpoint/ },
    { name: '418 with truncated JSON', fault: () => ({ kind: 'raw', status: 418, headers: JSON_TYPE, body: '{"error":' }), expect: 'config_error', message: /HTTP 418/ },
    { name: '500 HTML stack trace', fault: () => ({ kind: 'raw', status: 500, headers: { 'content-type': 'text/html' }, body: '<pre>Traceback (most recent call last): …</pre>' }), expect: 'transient', message: /HTTP 500/ },
    { name: '502 empty', fault: () => ({ kind: 'raw', status: 502 }), expect: 'transient', message: /HTTP 502/ },
    { name: '503 with Retry-After "soon"', fault: () => ({ kind: 'raw', status: 503, headers: { 'retry-after': 'soon' }, body: 'later' }), expect: 'transient', message: /HTTP 503/ },
    { name: '504 with JSON null', fault: () => ({ kind: 'raw', status: 504, headers: JSON_TYPE, body: 'null' }), expect: 'transient', message: /HTTP 504/ },
    { name: '429 with garbage, no Retry-After', fault: () => ({ kind: 'raw', status: 429, body: '\u0000\u0001garbage' }), expect: 'rate_limited', message: /Rate limited/ },
  ];

  // The refresh token.
  if (shape.refreshTokenMember) {
    cases.push(
      { name: 'refresh token a number', fault: () => json200(success({ refreshToken: 42 })), expect: 'transient', message: MALFORMED },
      { name: 'refresh token an array', fault: () => json200(success({ refreshToken: ['a', 'b'] })), expect: 'transient', message: MALFORMED },
      { name: 'refresh token empty', fault: () => json200(success({ refreshToken: '' })), expect: 'transient', message: MALFORMED },
      { name: 'refresh token with a newline', fault: () => json200(success({ refreshToken: `${fakeToken('rt')}\nmore` })), expect: 'transient', message: MALFORMED },
    );
  }
  // The token type.
  if (shape.readsTokenType) {
    cases.push(
      { name: 'token_type a number', fault: () => json200(success({ tokenType: 7 })), expect: 'transient', message: MALFORMED },
      { name: 'token_type with CR LF', fault: () => json200(success({ tokenType: 'Bearer\r\nX-Injected: 1' })), expect: 'transient', message: MALFORMED },
    );
  }
  // The lifetime.
  if (shape.lifetime === 'member') {
    cases.push(
      { name: 'expires_in negative', fault: (c) => json200(success({ expiresIn: -5, refreshToken: c.refreshToken })), expect: 'transient', message: MALFORMED },
      { name: 'expires_in zero', fault: (c) => json200(success({ expiresIn: 0, refreshToken: c.refreshToken })), expect: 'transient', message: MALFORMED },
      { name: 'expires_in "NaN"', fault: (c) => json200(success({ expiresIn: 'NaN', refreshToken: c.refreshToken })), expect: 'transient', message: MALFORMED },
      { name: 'expires_in "abc"', fault: (c) => json200(success({ expiresIn: 'abc', refreshToken: c.refreshToken })), expect: 'transient', message: MALFORMED },
      { name: 'expires_in 1e308', fault: (c) => raw200(JSON.stringify(success({ expiresIn: 123456789, refreshToken: c.refreshToken })).replace(/"?123456789"?/, '1e308')), expect: 'transient', message: MALFORMED },
      { name: 'expires_in an object', fault: (c) => json200(success({ expiresIn: { seconds: 3600 }, refreshToken: c.refreshToken })), expect: 'transient', message: MALFORMED },
    );
    if (shape.expiresInRequired) cases.push({ name: 'expires_in absent', fault: (c) => json200(success({ expiresIn: OMIT, refreshToken: c.refreshToken })), expect: 'transient', message: MALFORMED });
  } else {
    cases.push(
      { name: 'JWT exp in the past', fault: () => json200(success({ expiresIn: now() - 60 })), expect: 'transient', message: /already expired/ },
      { name: 'JWT exp negative', fault: () => json200(success({ expiresIn: -5 })), expect: 'transient', message: MALFORMED },
      { name: 'JWT exp "abc"', fault: () => json200(success({ expiresIn: 'abc' })), expect: 'transient', message: MALFORMED },
      { name: 'JWT exp 1e308', fault: () => json200(success({ expiresIn: 1e308 })), expect: 'transient', message: MALFORMED },
      { name: 'JWT exp in a thousand years', fault: () => json200(success({ expiresIn: now() + 1000 * 365 * 86_400 })), expect: 'transient', message: MALFORMED },
    );
  }
  return cases;
}

// ── the run ────────────────────────────────────────────────────────────────

let owner: Owner;
const sims = {} as Record<ProviderId, Simulator>;
const accountIds = {} as Record<ProviderId, string>;
const cleanups: (() => Promise<unknown>)[] = [];
const tally = {} as Record<ProviderId, Record<string, number>>;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
const startedAt = Date.now();

type SecretReader = { store: { readSecrets(id: string): Promise<Record<string, string>> } };
const readSecrets = (id: string) => (owner.engine as unknown as SecretReader).store.readSecrets(id);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  const t = await tempDir('tokendesk-responses-');
  cleanups.push(t.cleanup);
  owner = await openTestOwner(t.dir, { schedule: false, engine: { timeoutMs: TIMEOUT_MS } });
  cleanups.push(() => owner.close());
  for (const id of PROVIDER_IDS) {
    const sim = await startSimulator(id);
    cleanups.push(() => sim.close());
    sims[id] = sim;
    const grant = sim.issue();
    // The account holds both tokens from the start: the access token is in the vault too.
    const added = await call(owner, 'accounts.add', {
      providerId: id,
      name: `${id}-hostile`,
      baseUrl: id === 'oauth2' ? undefined : sim.url,
      values: { ...grant.settings, ...grant.secrets },
      accessTokenExpiresInSeconds: grant.expiresIn,
    });
    accountIds[id] = added.id;
    tally[id] = {};
  }
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  const classes = ['transient', 'rate_limited', 'config_error', 'reauth_required', 'ok'];
  const rows = PROVIDER_IDS.map((id) => {
    const counts = tally[id] ?? {};
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    return `${id.padEnd(10)} ${classes.map((c) => String(counts[c] ?? 0).padStart(c.length)).join(' ')} ${String(total).padStart(5)}`;
  });
  const all = PROVIDER_IDS.reduce((sum, id) => sum + Object.values(tally[id] ?? {}).reduce((a, b) => a + b, 0), 0);
  console.log(
    [
      `malformed provider responses: ${all} refreshes in ${((Date.now() - startedAt) / 1000).toFixed(1)} s (rounds: ${ROUNDS})`,
      `${'provider'.padEnd(10)} ${classes.join(' ')} total`,
      ...rows,
    ].join('\n'),
  );
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** Gives the account a fresh grant when the vendor no longer honours the one it holds (isolation between cases). */
async function reseedIfBroken(id: ProviderId): Promise<void> {
  const sim = sims[id];
  const held = await readSecrets(accountIds[id]);
  if (held['refresh_token'] && sim.isValidRefreshToken(held['refresh_token']) && held['access_token'] && sim.isValidAccessToken(held['access_token'])) return;
  const grant = sim.issue();
  await call(owner, 'accounts.update', { account: accountIds[id], values: { ...grant.settings, ...grant.secrets } });
  const reseeded = await call(owner, 'accounts.refresh', { account: accountIds[id] });
  if (!reseeded.outcome.ok) throw new Error(`could not reseed the ${id} account: ${reseeded.outcome.event.message ?? ''}`);
}

describe.each([...PROVIDER_IDS])('%s: malformed responses', (id) => {
  const cases = casesFor(id);

  it(`has at least ${MIN_CASES_PER_PROVIDER} distinct cases`, () => {
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    expect(cases.length).toBeGreaterThanOrEqual(MIN_CASES_PER_PROVIDER);
  });

  it.each(cases)('$name → $expect, tokens untouched, account recovers', async (c) => {
    const sim = sims[id];
    const accountId = accountIds[id];
    // A case that failed earlier may have left the account holding a dead grant: start clean.
    await reseedIfBroken(id);
    for (let round = 0; round < ROUNDS; round++) {
      sim.clearFaults();
      const before = await readSecrets(accountId);
      const viewBefore = await call(owner, 'accounts.get', { account: accountId });
      expect(before['refresh_token'], 'the account holds a refresh token').toBeTruthy();
      expect(before['access_token'], 'the account holds an access token').toBeTruthy();
      const secrets = Object.values(before);

      sim.fail(c.fault({ sim, shape: SHAPES[id], refreshToken: before['refresh_token']! }), c.times ?? 1);
      const { outcome, account } = await call(owner, 'accounts.refresh', { account: accountId });
      sim.clearFaults();
      const cls = outcome.ok ? 'ok' : (outcome.event.errorClass ?? 'none');
      tally[id][cls] = (tally[id][cls] ?? 0) + 1;

      // Classified, with a sensible class and a message that names the problem.
      expect(outcome.ok, `${c.name}: the refresh must fail`).toBe(false);
      expect(outcome.event.errorClass).toBe(c.expect);
      const message = outcome.event.message ?? '';
      expect(message.length).toBeGreaterThan(10);
      if (c.message) expect(message).toMatch(c.message);
      expect(account.status).toBe(c.expect === 'transient' || c.expect === 'rate_limited' ? 'retrying' : c.expect);

      // Tokens untouched: the vault holds exactly what it held, memory too, and the expiry did not move.
      const held = await readSecrets(accountId);
      if (c.vendorRotated) {
        // …except the refresh token the vendor rotated to: the old one is spent, the new one is kept.
        expect(held['refresh_token']).not.toBe(before['refresh_token']);
        expect(sim.isValidRefreshToken(held['refresh_token']!), 'the kept refresh token is the live one').toBe(true);
        expect({ ...held, refresh_token: before['refresh_token'] }).toEqual(before);
        secrets.push(held['refresh_token']!);
      } else {
        expect(held).toEqual(before);
      }
      expect(owner.engine.peekAccessToken(accountId)).toBe(before['access_token']);
      expect(account.expiresAt).toBe(viewBefore.expiresAt);
      expect(account.hasAccessToken).toBe(true);

      // No secret in the history row (nor in the account's status message).
      const [row] = await call(owner, 'history.list', { account: accountId, limit: 1 });
      expect(row?.outcome).toBe('error');
      expect(row?.errorClass).toBe(c.expect);
      const stored = JSON.stringify(row) + JSON.stringify(account);
      for (const secret of secrets) expect(stored.includes(secret), `${c.name}: a secret in the history row`).toBe(false);

      // Not bricked: with the fault gone, a normal refresh works and the vendor holds the new tokens.
      const recovered = await call(owner, 'accounts.refresh', { account: accountId });
      expect(recovered.outcome.ok, `${c.name}: recovery refresh (${recovered.outcome.event.message ?? ''})`).toBe(true);
      expect(recovered.account.status).toBe('active');
      const after = await readSecrets(accountId);
      expect(sim.isValidAccessToken(after['access_token']!)).toBe(true);
      expect(sim.isValidRefreshToken(after['refresh_token']!)).toBe(true);
    }
  });
});

describe('all providers', () => {
  it(`together meet ${MIN_CASES_PER_PROVIDER} × ${PROVIDER_IDS.length} cases, with no unhandled rejection`, () => {
    const total = PROVIDER_IDS.reduce((n, id) => n + casesFor(id).length, 0);
    expect(total).toBeGreaterThanOrEqual(MIN_CASES_PER_PROVIDER * PROVIDER_IDS.length);
    expect(unhandled).toEqual([]);
  });
});
