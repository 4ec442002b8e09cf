// Provider simulators, the common machinery (docs/ARCHITECTURE.md "Provider simulators"): an HTTP server on
// 127.0.0.1 with an ephemeral port, request recording, a fault queue, JWT-shaped token
// minting, grant bookkeeping with rotation and reuse detection, and a close() that also
// ends hung requests. Vendor files (ups.ts, pathstack.ts…) only describe their wire format.
//
// Product code: it also powers the demo mode, so Node built-ins only, no test framework.
import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ProviderId } from '../shared/domain.js';

// ---------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------

export type OAuth2ClientAuth = 'client_secret_basic' | 'client_secret_post' | 'none';
export type OAuth2Discovery = 'rfc8414' | 'oidc' | 'both';

export interface SimulatorOptions {
  /** Access-token lifetime in seconds (vendor default otherwise: ups 14399, every other vendor 3600). */
  accessTtlSec?: number;
  /** Refresh-token lifetime in seconds (ups default 5183999; elsewhere refresh tokens do not expire unless set). */
  refreshTtlSec?: number;
  /** Issue a new refresh token on each refresh (default true; banyan default false). */
  rotate?: boolean;
  /**
   * Default true: an already-used refresh token gets the vendor's invalid-grant answer (oauth2
   * also revokes the whole grant family, RFC 9700). False: used refresh tokens keep working.
   */
  reuseDetection?: boolean;
  /** JWT-shaped access tokens (default true for banyan, teamup, oauth2; false elsewhere). */
  jwtAccessTokens?: boolean;
  /** Clock in epoch ms (default Date.now). Token expiry, `iat`/`exp`, recordings all use it. */
  now?: () => number;

  /** pathstack: leave `refresh_token` out of the answer; the sent refresh token stays valid. */
  omitRefreshToken?: boolean;
  /** teamup: answer `expires_in: null` (the access token is still a JWT with `exp` unless jwtAccessTokens is false). */
  expiresInNull?: boolean;
  /** teamup: whether the user may ask for `provider` tokens (default true; false → 403). */
  providerAllowed?: boolean;
  /** banyan: answer v1 in the v2 envelope `{request_id, error_code, error_description, data: {access_token}}`. */
  v2Envelope?: boolean;
  /** oauth2: the client authentication the server demands (default client_secret_basic). */
  clientAuth?: OAuth2ClientAuth;
  /** oauth2: which discovery documents are served (default both). */
  discovery?: OAuth2Discovery;
  /** oauth2: RFC 7009 revocation endpoint present (default true). */
  revocation?: boolean;
  /**
   * oauth2: a path for the issuer (e.g. '/tenant1'): the issuer becomes `http://127.0.0.1:PORT/tenant1`,
   * the RFC 8414 document moves to `/.well-known/oauth-authorization-server/tenant1` (inserted), the
   * OIDC one to `/tenant1/.well-known/openid-configuration` (appended). Default '' (none).
   */
  issuerPath?: string;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  bodyText: string;
  /** `now()` when the request had been read. */
  at: number;
}

export type Fault =
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  | { kind: 'rate_limit'; retryAfterSec: number }
  | { kind: 'unavailable'; retryAfterSec?: number }
  | { kind: 'server_error' }
  | { kind: 'hang' }
  | { kind: 'reset' }
  | { kind: 'trickle'; bytesPerSec: number }
  | { kind: 'html' }
  | { kind: 'truncated_json' }
  | { kind: 'wrong_types' }
  | { kind: 'missing_fields' }
  | { kind: 'oversize'; bytes?: number }
  | { kind: 'negative_expires_in' }
  | { kind: 'absurd_expires_in' }
  | { kind: 'vendor_error'; code: string }
  | { kind: 'redirect'; location: string; status?: number }
  /**
   * A hand-made answer, sent as given (tests of hostile responses). `body` is UTF-8 text,
   * `bodyBase64` raw bytes (invalid UTF-8, a lying gzip…); one of them or neither (empty body).
   * A content-length of the real size is added unless `headers` sets one or `chunked` is true
   * (then none: chunked transfer). `delayMs` waits before the status line; `closeAfterBytes`
   * sends that many body bytes and then ends the connection (a body shorter than declared).
   */
  | {
      kind: 'raw';
      status: number;
      headers?: Record<string, string>;
      body?: string;
      bodyBase64?: string;
      chunked?: boolean;
      delayMs?: number;
      closeAfterBytes?: number;
    }
  /** Reads the request, waits `afterMs` (default 0), then closes the connection without a byte of answer. */
  | { kind: 'close'; afterMs?: number };

export interface Grant {
  refreshToken: string;
  accessToken: string;
  expiresIn: number;
  settings: Record<string, string>;
  secrets: Record<string, string>;
}

export interface TokenRotation {
  at: number;
  oldTokenHash: string;
  newTokenHash: string;
}

export interface Simulator {
  readonly providerId: ProviderId;
  /** Base URL to give the account (http://127.0.0.1:PORT[/prefix]); for oauth2 the issuer. */
  readonly url: string;
  /** Every request received (refresh, revoke, discovery, unknown paths), in order. */
  readonly requests: RecordedRequest[];
  /** sha256 hex prefixes, never raw tokens. */
  readonly rotations: TokenRotation[];
  issue(overrides?: Partial<{ refreshTtlSec: number }>): Grant;
  fail(fault: Fault, times?: number): void;
  clearFaults(): void;
  isValidAccessToken(token: string): boolean;
  isValidRefreshToken(token: string): boolean;
  /** Successful refreshes served (for banyan, v1 and v2 calls both count). */
  refreshCount: number;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------
// Small helpers shared by the vendor files
// ---------------------------------------------------------------------------------------

/** An HTTP answer. Build with json() / text(). */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

export function text(
  status: number,
  body: string,
  contentType = 'text/plain; charset=utf-8',
  headers: Record<string, string> = {},
): Reply {
  return { status, headers: { 'content-type': contentType, ...headers }, body };
}

/** The Retry-After header value for a number of seconds. */
export function retryAfter(seconds: number): string {
  return String(Math.max(0, Math.ceil(seconds)));
}

/** A short, stable fingerprint of a token: sha256 hex prefix. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16);
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export function randomAlnum(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALNUM[randomInt(ALNUM.length)];
  return out;
}

export { randomUUID };

/**
 * Notes a secret the simulator hands out (token, client secret) for the leak scan that
 * closes the test suite: appended, one per line, to $TOKENDESK_SIM_ISSUED_FILE when it is
 * set (the test runner points it at a private 0600 file outside the project). The demo
 * never sets it. Synchronous so a crash right after issuing still leaves the record.
 */
export function recordIssuedSecret(secret: string): string {
  const file = process.env.TOKENDESK_SIM_ISSUED_FILE;
  if (file) appendFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** `base64url(header).base64url(payload).base64url(random)`: JWT-shaped, not really signed. */
export function mintJwt(claims: Record<string, unknown>): string {
  const enc = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return recordIssuedSecret(`${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(claims)}.${randomBytes(32).toString('base64url')}`);
}

/** An opaque token; `kind` is 'at' or 'rt' so a stray token in a log says what it is. */
export function opaqueToken(kind: 'at' | 'rt'): string {
  return recordIssuedSecret(`${kind}_${randomToken(32)}`);
}

/** The media type of a request, lower-cased, without parameters ('' when absent). */
export function mediaType(req: RecordedRequest): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

export type JsonParse = { ok: true; value: unknown } | { ok: false; message: string };

export function parseJson(bodyText: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(bodyText) as unknown };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Names of form parameters that occur more than once (RFC 6749 §3.2 forbids it). */
export function repeatedParams(params: URLSearchParams): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const key of params.keys()) {
    if (seen.has(key)) repeated.add(key);
    seen.add(key);
  }
  return [...repeated];
}

/** Splits an Authorization header into scheme and credentials; undefined when absent or malformed. */
export function authorization(req: RecordedRequest): { scheme: string; credentials: string } | undefined {
  const header = req.headers['authorization'];
  if (header === undefined) return undefined;
  const match = /^([A-Za-z][A-Za-z0-9._~+/-]*) +(\S+)$/.exec(header.trim());
  return match ? { scheme: match[1]!.toLowerCase(), credentials: match[2]! } : undefined;
}

/** `Authorization: Basic base64(user:pass)`, decoded but not URL-decoded; undefined when absent or malformed. */
export function basicCredentials(req: RecordedRequest): { user: string; pass: string } | undefined {
  const auth = authorization(req);
  if (!auth || auth.scheme !== 'basic' || !/^[A-Za-z0-9+/]+={0,2}$/.test(auth.credentials)) return undefined;
  const decoded = Buffer.from(auth.credentials, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), pass: decoded.slice(colon + 1) };
}

// ---------------------------------------------------------------------------------------
// Grant bookkeeping
// ---------------------------------------------------------------------------------------

export interface GrantRecord {
  readonly id: string;
  /** `sub` of the access tokens. */
  readonly subject: string;
  /** What the grant is bound to (client_id, sub, partner_id, scope…). */
  readonly attrs: Readonly<Record<string, string>>;
  /** Extra JWT claims for this grant's access tokens. */
  readonly claims: Readonly<Record<string, unknown>>;
  readonly refreshTtlSec: number | undefined;
  currentRefreshToken: string;
  /** Successful refreshes of this grant. */
  refreshCount: number;
  revoked: boolean;
}

interface RefreshRecord {
  grantId: string;
  issuedAt: number;
  expiresAt: number | undefined;
  used: boolean;
}

interface AccessRecord {
  grantId: string;
  expiresAt: number;
  revoked: boolean;
}

export type RefreshRejection = 'unknown' | 'mismatch' | 'revoked' | 'reused' | 'expired';

export interface RedeemOptions {
  /** Lifetime of the new access token (pass CallContext.accessTtlSec). */
  accessTtlSec: number;
  /** Override the simulator's rotate setting for this call. */
  rotate?: boolean;
  /** Extra JWT claims for the new access token (a function is called after `check`). */
  claims?: Record<string, unknown> | (() => Record<string, unknown>);
  /** Whether the grant belongs to the caller (client id, sub, partner); false → 'mismatch', nothing consumed. */
  belongsTo?: (grant: GrantRecord) => boolean;
  /** A last vendor check on a valid token before it is consumed (scope…); a Reply refuses the call. */
  check?: (grant: GrantRecord) => Reply | undefined;
}

export type RedeemResult =
  | {
      ok: true;
      grant: GrantRecord;
      accessToken: string;
      /** Seconds, as the access token was minted. */
      expiresIn: number;
      /** The new refresh token, or the sent one when not rotated. */
      refreshToken: string;
      rotated: boolean;
      refreshIssuedAt: number;
      refreshExpiresAt: number | undefined;
    }
  | { ok: false; reason: RefreshRejection }
  | { ok: false; reason: 'check'; reply: Reply };

export interface GrantStoreConfig {
  now: () => number;
  accessTtlSec: number;
  refreshTtlSec: number | undefined;
  rotate: boolean;
  reuseDetection: boolean;
  /** RFC 9700: presenting a used refresh token revokes every token of the grant. */
  revokeFamilyOnReuse: boolean;
  mintAccessToken: (grant: GrantRecord, ttlSec: number, claims: Record<string, unknown>) => string;
  mintRefreshToken: () => string;
}

export class GrantStore {
  readonly rotations: TokenRotation[] = [];
  /** Successful refreshes served. */
  served = 0;
  private readonly grants = new Map<string, GrantRecord>();
  private readonly refreshTokens = new Map<string, RefreshRecord>();
  private readonly accessTokens = new Map<string, AccessRecord>();

  constructor(private readonly cfg: GrantStoreConfig) {}

  create(input: {
    subject: string;
    attrs?: Record<string, string>;
    claims?: Record<string, unknown>;
    refreshTtlSec?: number;
  }): { grant: GrantRecord; refreshToken: string; accessToken: string; expiresIn: number } {
    const grant: GrantRecord = {
      id: randomUUID(),
      subject: input.subject,
      attrs: { ...input.attrs },
      claims: { ...input.claims },
      refreshTtlSec: input.refreshTtlSec ?? this.cfg.refreshTtlSec,
      currentRefreshToken: '',
      refreshCount: 0,
      revoked: false,
    };
    this.grants.set(grant.id, grant);
    const refreshToken = this.addRefreshToken(grant).token;
    const accessToken = this.addAccessToken(grant, this.cfg.accessTtlSec, {});
    return { grant, refreshToken, accessToken, expiresIn: this.cfg.accessTtlSec };
  }

  /** Side-effect free: what presenting this refresh token would meet. */
  classify(token: string, belongsTo?: (grant: GrantRecord) => boolean): { status: 'valid' | RefreshRejection; grant?: GrantRecord } {
    const record = this.refreshTokens.get(token);
    const grant = record ? this.grants.get(record.grantId) : undefined;
    if (!record || !grant) return { status: 'unknown' };
    if (belongsTo && !belongsTo(grant)) return { status: 'mismatch', grant };
    if (grant.revoked) return { status: 'revoked', grant };
    if (record.used && this.cfg.reuseDetection) return { status: 'reused', grant };
    if (record.expiresAt !== undefined && this.cfg.now() >= record.expiresAt) return { status: 'expired', grant };
    return { status: 'valid', grant };
  }

  /** Presents a refresh token: a new access token, and a new refresh token when rotating. */
  redeem(token: string, opts: RedeemOptions): RedeemResult {
    const { status, grant } = this.classify(token, opts.belongsTo);
    if (status !== 'valid' || !grant) {
      if (status === 'reused' && grant && this.cfg.revokeFamilyOnReuse) this.revokeGrant(grant);
      return { ok: false, reason: status === 'valid' ? 'unknown' : status };
    }
    const refused = opts.check?.(grant);
    if (refused) return { ok: false, reason: 'check', reply: refused };

    const record = this.refreshTokens.get(token)!;
    const rotate = opts.rotate ?? this.cfg.rotate;
    let refreshToken = token;
    let refreshIssuedAt = record.issuedAt;
    let refreshExpiresAt = record.expiresAt;
    if (rotate) {
      const next = this.rotate(grant, token);
      refreshToken = next.token;
      refreshIssuedAt = next.record.issuedAt;
      refreshExpiresAt = next.record.expiresAt;
    }
    const claims = typeof opts.claims === 'function' ? opts.claims() : (opts.claims ?? {});
    const accessToken = this.addAccessToken(grant, opts.accessTtlSec, claims);
    grant.refreshCount++;
    this.served++;
    return { ok: true, grant, accessToken, expiresIn: opts.accessTtlSec, refreshToken, rotated: rotate, refreshIssuedAt, refreshExpiresAt };
  }

  /** Mints a new refresh token for a grant and retires the current one (banyan v2). */
  renewRefreshToken(grant: GrantRecord): string {
    const { token } = this.rotate(grant, grant.currentRefreshToken);
    grant.refreshCount++;
    this.served++;
    return token;
  }

  /** The grant of a currently valid access token. */
  accessGrant(token: string): GrantRecord | undefined {
    const record = this.accessTokens.get(token);
    if (!record || record.revoked || this.cfg.now() >= record.expiresAt) return undefined;
    const grant = this.grants.get(record.grantId);
    return grant && !grant.revoked ? grant : undefined;
  }

  /** RFC 7009 semantics: revoking a refresh token kills the grant, an access token only itself. */
  revokeToken(token: string, belongsTo?: (grant: GrantRecord) => boolean): 'refresh_token' | 'access_token' | undefined {
    const refresh = this.refreshTokens.get(token);
    const refreshGrant = refresh ? this.grants.get(refresh.grantId) : undefined;
    if (refreshGrant && (!belongsTo || belongsTo(refreshGrant))) {
      this.revokeGrant(refreshGrant);
      return 'refresh_token';
    }
    const access = this.accessTokens.get(token);
    const accessGrant = access ? this.grants.get(access.grantId) : undefined;
    if (access && accessGrant && (!belongsTo || belongsTo(accessGrant))) {
      access.revoked = true;
      return 'access_token';
    }
    return undefined;
  }

  revokeGrant(grant: GrantRecord): void {
    grant.revoked = true;
    for (const record of this.accessTokens.values()) if (record.grantId === grant.id) record.revoked = true;
  }

  isValidAccessToken(token: string): boolean {
    return this.accessGrant(token) !== undefined;
  }

  isValidRefreshToken(token: string): boolean {
    return this.classify(token).status === 'valid';
  }

  private rotate(grant: GrantRecord, oldToken: string): { token: string; record: RefreshRecord } {
    const old = this.refreshTokens.get(oldToken);
    if (old) old.used = true;
    const next = this.addRefreshToken(grant);
    this.rotations.push({ at: this.cfg.now(), oldTokenHash: tokenHash(oldToken), newTokenHash: tokenHash(next.token) });
    return next;
  }

  private addRefreshToken(grant: GrantRecord): { token: string; record: RefreshRecord } {
    const now = this.cfg.now();
    const token = this.cfg.mintRefreshToken();
    const record: RefreshRecord = {
      grantId: grant.id,
      issuedAt: now,
      expiresAt: grant.refreshTtlSec === undefined ? undefined : now + grant.refreshTtlSec * 1000,
      used: false,
    };
    this.refreshTokens.set(token, record);
    grant.currentRefreshToken = token;
    return { token, record };
  }

  private addAccessToken(grant: GrantRecord, ttlSec: number, claims: Record<string, unknown>): string {
    const token = this.cfg.mintAccessToken(grant, ttlSec, claims);
    this.accessTokens.set(token, { grantId: grant.id, expiresAt: this.cfg.now() + ttlSec * 1000, revoked: false });
    return token;
  }
}

/** The Grant handed to a test or the demo: the issued tokens plus the account field values. */
export function grantFor(
  issued: { refreshToken: string; accessToken: string; expiresIn: number },
  settings: Record<string, string>,
  extraSecrets: Record<string, string> = {},
): Grant {
  for (const secret of Object.values(extraSecrets)) recordIssuedSecret(secret);
  return {
    refreshToken: issued.refreshToken,
    accessToken: issued.accessToken,
    expiresIn: issued.expiresIn,
    settings,
    secrets: { ...extraSecrets, refresh_token: issued.refreshToken, access_token: issued.accessToken },
  };
}

// ---------------------------------------------------------------------------------------
// Vendor definitions and the server
// ---------------------------------------------------------------------------------------

/**
 * A 2xx answer a handler wants to give, in a form the harness can spoil for a fault:
 * the vendor's own success shape plus where its access token / refresh token / expires_in sit.
 */
export interface SuccessView {
  success: true;
  body: Record<string, unknown>;
  accessTokenPath?: readonly string[];
  refreshTokenPath?: readonly string[];
  /** Absent when the vendor gives no expires_in (banyan: lifetime only in the JWT). */
  expiresInPath?: readonly string[];
  headers?: Record<string, string>;
  /** Non-JSON rendering (teamup format=xml). */
  serialize?: (body: Record<string, unknown>) => { contentType: string; text: string };
}

export interface CallContext {
  /** Lifetime for an access token minted by this call (a fault can make it lie, see expiresInOnlyInJwt). */
  accessTtlSec: number;
}

export interface Route {
  method: 'GET' | 'POST';
  /** Full path from the origin. */
  path: string;
  /** Refresh and revocation calls take faults; discovery does not. */
  faults: boolean;
  handle(req: RecordedRequest, ctx: CallContext): Reply | SuccessView;
}

export interface VendorWire {
  routes: Route[];
  /** 429 body in the vendor's shape (the harness adds Retry-After). */
  rateLimited(retryAfterSec: number): Reply;
  /** 500 in the vendor's shape (or plain text). */
  serverError(): Reply;
  /** The vendor's own error answer for `code`; undefined for a code the vendor does not have. */
  vendorError(code: string): Reply | undefined;
  /** A success answer with throwaway tokens, for the malformed-body faults. */
  sampleSuccess(): SuccessView;
  issue(overrides: Partial<{ refreshTtlSec: number }>): Grant;
}

export interface ResolvedOptions {
  accessTtlSec: number;
  refreshTtlSec: number | undefined;
  rotate: boolean;
  reuseDetection: boolean;
  jwtAccessTokens: boolean;
  now: () => number;
  /** As given, for the vendor-specific options. */
  raw: SimulatorOptions;
}

export interface HarnessContext {
  readonly options: ResolvedOptions;
  readonly grants: GrantStore;
  now(): number;
  /** http://127.0.0.1:PORT (only once listening, i.e. inside handlers and issue()). */
  readonly origin: string;
  /** origin + basePath. */
  readonly url: string;
}

export interface SimulatorDefinition {
  providerId: ProviderId;
  /** Path prefix of `url` (teamup '/api/v2', banyan '/api'); '' for none. */
  basePath: string;
  defaults: { accessTtlSec: number; refreshTtlSec?: number; rotate: boolean; jwtAccessTokens: boolean };
  /** RFC 9700 family revocation on reuse (oauth2). */
  revokeFamilyOnReuse?: boolean;
  /** The answer carries no expires_in: expires_in faults make the minted JWT's `exp` lie instead. */
  expiresInOnlyInJwt?: boolean;
  setup(h: HarnessContext): VendorWire;
}

const MAX_REQUEST_BODY = 1024 * 1024;
const DEFAULT_OVERSIZE = 2 * 1024 * 1024;

/** Faults whose answer is a real success: the refresh is performed (and rotates), then the body misbehaves. */
const PERFORMING_FAULTS = new Set<Fault['kind']>(['trickle', 'negative_expires_in', 'absurd_expires_in']);

function checkNonNegative(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
    throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
  }
}

function resolveOptions(def: SimulatorDefinition, options: SimulatorOptions): ResolvedOptions {
  checkNonNegative('accessTtlSec', options.accessTtlSec);
  checkNonNegative('refreshTtlSec', options.refreshTtlSec);
  return {
    accessTtlSec: options.accessTtlSec ?? def.defaults.accessTtlSec,
    refreshTtlSec: options.refreshTtlSec ?? def.defaults.refreshTtlSec,
    rotate: options.rotate ?? def.defaults.rotate,
    reuseDetection: options.reuseDetection ?? true,
    jwtAccessTokens: options.jwtAccessTokens ?? def.defaults.jwtAccessTokens,
    now: options.now ?? Date.now,
    raw: options,
  };
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_REQUEST_BODY ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: Reply): void {
  const body = reply.body ?? '';
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

type Path = readonly string[];

function getAt(body: Record<string, unknown>, path: Path): unknown {
  let node: unknown = body;
  for (const key of path) node = isRecord(node) ? node[key] : undefined;
  return node;
}

function parentOf(body: Record<string, unknown>, path: Path): { parent: Record<string, unknown>; key: string } | undefined {
  const key = path[path.length - 1];
  const parent = getAt(body, path.slice(0, -1));
  return key !== undefined && isRecord(parent) ? { parent, key } : undefined;
}

function setAt(body: Record<string, unknown>, path: Path | undefined, value: unknown): void {
  const at = path && parentOf(body, path);
  if (at) at.parent[at.key] = value;
}

function deleteAt(body: Record<string, unknown>, path: Path | undefined): void {
  const at = path && parentOf(body, path);
  if (at) delete at.parent[at.key];
}

function serialize(view: SuccessView): { contentType: string; text: string } {
  return view.serialize ? view.serialize(view.body) : { contentType: 'application/json', text: JSON.stringify(view.body) };
}

const LOGIN_PAGE = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in</title></head>
<body>
  <h1>Sign in to continue</h1>
  <form method="post" action="/login">
    <label>Email <input type="email" name="email"></label>
    <label>Password <input type="password" name="password"></label>
    <button type="submit">Sign in</button>
  </form>
</body>
</html>
`;

function validateFault(fault: Fault, wire: VendorWire): void {
  switch (fault.kind) {
    case 'status':
      if (!Number.isInteger(fault.status) || fault.status < 100 || fault.status > 599) throw new RangeError(`bad status ${fault.status}`);
      return;
    case 'rate_limit':
      checkNonNegative('retryAfterSec', fault.retryAfterSec);
      return;
    case 'unavailable':
      checkNonNegative('retryAfterSec', fault.retryAfterSec);
      return;
    case 'trickle':
      if (!(Number.isFinite(fault.bytesPerSec) && fault.bytesPerSec > 0)) throw new RangeError('trickle needs bytesPerSec > 0');
      return;
    case 'oversize':
      if (fault.bytes !== undefined && !(Number.isInteger(fault.bytes) && fault.bytes > 0)) throw new RangeError('oversize needs bytes > 0');
      return;
    case 'vendor_error':
      if (!wire.vendorError(fault.code)) throw new RangeError(`this simulator has no vendor error "${fault.code}"`);
      return;
    case 'redirect':
      if (fault.status !== undefined && !(fault.status >= 300 && fault.status <= 399)) throw new RangeError('redirect status must be 3xx');
      return;
    case 'raw':
      if (!Number.isInteger(fault.status) || fault.status < 100 || fault.status > 599) throw new RangeError(`bad status ${fault.status}`);
      if (fault.body !== undefined && fault.bodyBase64 !== undefined) throw new RangeError('raw takes body or bodyBase64, not both');
      checkNonNegative('delayMs', fault.delayMs);
      checkNonNegative('closeAfterBytes', fault.closeAfterBytes);
      return;
    case 'close':
      checkNonNegative('afterMs', fault.afterMs);
      return;
    default:
      return;
  }
}

/** Starts a simulator for a vendor definition: listens on 127.0.0.1:0, resolves once listening. */
export async function startSimulatorServer(def: SimulatorDefinition, options: SimulatorOptions = {}): Promise<Simulator> {
  const resolved = resolveOptions(def, options);
  const now = resolved.now;
  const bound: { origin?: string } = {};
  const listening = (): string => {
    if (bound.origin === undefined) throw new Error('simulator is not listening yet');
    return bound.origin;
  };

  const grants = new GrantStore({
    now,
    accessTtlSec: resolved.accessTtlSec,
    refreshTtlSec: resolved.refreshTtlSec,
    rotate: resolved.rotate,
    reuseDetection: resolved.reuseDetection,
    revokeFamilyOnReuse: def.revokeFamilyOnReuse ?? false,
    mintRefreshToken: () => opaqueToken('rt'),
    mintAccessToken: (grant, ttlSec, claims) => {
      if (!resolved.jwtAccessTokens) return opaqueToken('at');
      const iat = Math.floor(now() / 1000);
      return mintJwt({ ...grant.claims, ...claims, iss: listening() + def.basePath, sub: grant.subject, iat, exp: iat + ttlSec, jti: randomUUID() });
    },
  });

  const context: HarnessContext = {
    options: resolved,
    grants,
    now,
    get origin() {
      return listening();
    },
    get url() {
      return listening() + def.basePath;
    },
  };
  const wire = def.setup(context);

  const requests: RecordedRequest[] = [];
  const faults: { fault: Fault; remaining: number }[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let closing: Promise<void> | undefined;

  const later = (fn: () => void, ms: number): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  const takeFault = (): Fault | undefined => {
    const head = faults[0];
    if (!head) return undefined;
    head.remaining--;
    if (head.remaining <= 0) faults.shift();
    return head.fault;
  };

  const trickle = (res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer, bytesPerSec: number): void => {
    const chunk = bytesPerSec >= 10 ? Math.ceil(bytesPerSec / 10) : 1;
    const interval = bytesPerSec >= 10 ? 100 : 1000 / bytesPerSec;
    res.writeHead(status, { ...headers, 'content-length': String(body.length) });
    res.flushHeaders();
    let offset = 0;
    const tick = (): void => {
      if (res.destroyed || closing) return;
      const end = Math.min(body.length, offset + chunk);
      res.write(body.subarray(offset, end));
      offset = end;
      if (offset >= body.length) res.end();
      else later(tick, interval);
    };
    later(tick, interval);
  };

  const oversize = (res: ServerResponse, view: SuccessView, bytes: number): void => {
    // Valid JSON in the vendor's success shape with a huge padding member first, sent chunked.
    const tail = JSON.stringify(view.body).slice(1);
    const head = '{"padding":"';
    const padding = Math.max(0, bytes - head.length - tail.length - 2);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write(head);
    let left = padding;
    const block = Buffer.alloc(64 * 1024, 'x');
    const pump = (): void => {
      while (left > 0) {
        if (res.destroyed || closing) return;
        const n = Math.min(left, block.length);
        left -= n;
        if (!res.write(n === block.length ? block : block.subarray(0, n))) {
          res.once('drain', pump);
          return;
        }
      }
      res.end(`",${tail}`);
    };
    pump();
  };

  const raw = (res: ServerResponse, fault: Extract<Fault, { kind: 'raw' }>): void => {
    const body = fault.bodyBase64 !== undefined ? Buffer.from(fault.bodyBase64, 'base64') : Buffer.from(fault.body ?? '', 'utf8');
    const headers: Record<string, string> = { ...fault.headers };
    const declared = Object.keys(headers).some((name) => name.toLowerCase() === 'content-length');
    if (!fault.chunked && !declared) headers['content-length'] = String(body.length);
    const answer = (): void => {
      if (res.destroyed || closing) return;
      res.writeHead(fault.status, headers);
      if (fault.closeAfterBytes === undefined) {
        res.end(body);
        return;
      }
      res.write(body.subarray(0, fault.closeAfterBytes));
      // Let the bytes go out, then cut the connection mid-body.
      later(() => res.destroy(), 20);
    };
    if (fault.delayMs) later(answer, fault.delayMs);
    else answer();
  };

  /** Answers a fault that does not involve the vendor handler. */
  const answerFault = (fault: Fault, req: IncomingMessage, res: ServerResponse): void => {
    switch (fault.kind) {
      case 'status':
        return send(res, { status: fault.status, headers: fault.headers, body: fault.body });
      case 'rate_limit': {
        const reply = wire.rateLimited(fault.retryAfterSec);
        return send(res, { ...reply, headers: { ...reply.headers, 'retry-after': retryAfter(fault.retryAfterSec) } });
      }
      case 'unavailable':
        return send(
          res,
          text(503, 'Service Unavailable', undefined, fault.retryAfterSec === undefined ? {} : { 'retry-after': retryAfter(fault.retryAfterSec) }),
        );
      case 'server_error':
        return send(res, wire.serverError());
      case 'hang':
        return; // never answered; close() destroys the socket
      case 'reset':
        req.socket.resetAndDestroy();
        return;
      case 'html':
        return send(res, text(200, LOGIN_PAGE, 'text/html; charset=utf-8'));
      case 'truncated_json': {
        const full = JSON.stringify(wire.sampleSuccess().body);
        return send(res, text(200, full.slice(0, Math.max(1, Math.floor(full.length * 0.6))), 'application/json'));
      }
      case 'wrong_types': {
        const view = wire.sampleSuccess();
        setAt(view.body, view.accessTokenPath, 12345);
        setAt(view.body, view.refreshTokenPath, ['not', 'a', 'string']);
        setAt(view.body, view.expiresInPath, { seconds: 3600 });
        return send(res, json(200, view.body));
      }
      case 'missing_fields': {
        const view = wire.sampleSuccess();
        deleteAt(view.body, view.accessTokenPath);
        return send(res, json(200, view.body));
      }
      case 'oversize':
        return oversize(res, wire.sampleSuccess(), fault.bytes ?? DEFAULT_OVERSIZE);
      case 'vendor_error':
        return send(res, wire.vendorError(fault.code)!);
      case 'redirect':
        return send(res, { status: fault.status ?? 302, headers: { location: fault.location } });
      case 'raw':
        return raw(res, fault);
      case 'close':
        return later(() => req.socket.destroy(), fault.afterMs ?? 0);
      case 'trickle':
      case 'negative_expires_in':
      case 'absurd_expires_in':
        throw new Error(`${fault.kind} is answered by the handler`);
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const bodyText = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: flattenHeaders(req),
      bodyText: bodyText ?? '',
      at: now(),
    };
    requests.push(recorded);
    if (bodyText === undefined) return send(res, text(413, 'Payload Too Large'));

    const onPath = wire.routes.filter((r) => r.path === recorded.path);
    if (onPath.length === 0) return send(res, text(404, 'Not Found'));
    const route = onPath.find((r) => r.method === recorded.method);
    if (!route) return send(res, text(405, 'Method Not Allowed', undefined, { allow: onPath.map((r) => r.method).join(', ') }));

    const fault = route.faults ? takeFault() : undefined;
    if (fault && !PERFORMING_FAULTS.has(fault.kind)) return answerFault(fault, req, res);

    const lie = fault?.kind === 'negative_expires_in' ? -5 : fault?.kind === 'absurd_expires_in' ? 1e15 : undefined;
    const ctx: CallContext = { accessTtlSec: lie !== undefined && def.expiresInOnlyInJwt ? lie : resolved.accessTtlSec };
    const result = route.handle(recorded, ctx);
    if (!('success' in result)) return send(res, result);

    if (lie !== undefined && result.expiresInPath) {
      const current = getAt(result.body, result.expiresInPath);
      setAt(result.body, result.expiresInPath, typeof current === 'string' ? String(lie) : lie);
    }
    const { contentType, text: body } = serialize(result);
    const headers = { 'content-type': contentType, ...result.headers };
    if (fault?.kind === 'trickle') return trickle(res, 200, headers, Buffer.from(body), fault.bytesPerSec);
    send(res, { status: 200, headers, body });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // A client that went away mid-request: nothing to answer.
      if (res.headersSent || res.destroyed || req.destroyed) res.destroy();
      else send(res, text(500, `simulator error: ${err instanceof Error ? err.message : String(err)}`));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  bound.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    providerId: def.providerId,
    url: context.url,
    requests,
    rotations: grants.rotations,
    issue: (overrides = {}) => {
      checkNonNegative('refreshTtlSec', overrides.refreshTtlSec);
      return wire.issue(overrides);
    },
    fail: (fault, times = 1) => {
      if (!(times >= 1 && (Number.isInteger(times) || times === Number.POSITIVE_INFINITY))) {
        throw new RangeError(`times must be a positive integer (or Infinity), got ${times}`);
      }
      validateFault(fault, wire);
      faults.push({ fault, remaining: times });
    },
    clearFaults: () => {
      faults.length = 0;
    },
    isValidAccessToken: (token) => grants.isValidAccessToken(token),
    isValidRefreshToken: (token) => grants.isValidRefreshToken(token),
    get refreshCount() {
      return grants.served;
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
