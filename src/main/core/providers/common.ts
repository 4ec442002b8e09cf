// Small pieces every provider spec is built from. Vendor-specific knowledge stays
// in the vendor's own file; this is only what would otherwise be written six times.
import type { z } from 'zod';
import type { TokenSet } from '../../../shared/domain.js';
import type { EnvironmentSpec } from '../../../shared/provider-fields.js';
import { ExpiryError, parseLifetimeSeconds, resolveExpiry } from '../expiry.js';
import type { WireResponse } from '../net/http.js';
import { ProviderError, type ProviderFailure } from '../net/provider-error.js';
import type { ParseContext, ProviderAccount } from './types.js';

/** An account's base URL: its own override, else its environment's default. */
export function baseUrlOf(
  account: ProviderAccount,
  environments: readonly EnvironmentSpec[],
  defaultEnvironment: string | undefined,
): string | undefined {
  if (account.baseUrl) return account.baseUrl;
  const envId = account.environment ?? defaultEnvironment;
  return environments.find((e) => e.id === envId)?.baseUrl;
}

/** Joins a base URL (which may carry a path prefix) and an endpoint path. */
export function endpoint(base: string | undefined, path: string): string {
  if (!base) throw new ProviderError({ errorClass: 'config_error', message: 'No base URL is set for this account' });
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

export function requireValue(values: Record<string, string>, id: string, label: string): string {
  const v = values[id];
  if (!v) throw new ProviderError({ errorClass: 'config_error', message: `${label} is missing from this account` });
  return v;
}

/** The refresh token a refresh needs; an account without one needs a sign-in, not a settings fix. */
export function requireRefreshToken(account: ProviderAccount): string {
  const token = account.secrets['refresh_token'];
  if (!token) throw new ProviderError({ errorClass: 'reauth_required', message: 'This account has no refresh token yet: sign in to get one' });
  return token;
}

/** `Basic base64(id:secret)` as UPS documents it (no encoding of the parts). */
export function basicAuthPlain(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`, 'utf8').toString('base64')}`;
}

/** RFC 6749 §2.3.1: both parts form-urlencoded before base64. */
export function basicAuthRfc6749(id: string, secret: string): string {
  return basicAuthPlain(formEncode(id), formEncode(secret));
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

export function formBody(fields: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) params.append(k, v);
  return params.toString();
}

/** A 2xx body that is not what the vendor promised: a transient failure, tokens untouched. */
export function malformed(detail: string, httpStatus?: number, rotatedRefreshToken?: string): ProviderError {
  const kept = rotatedRefreshToken ? ' (the new refresh token it sent is kept)' : '';
  return new ProviderError({ errorClass: 'transient', httpStatus, message: `Malformed response: ${detail}${kept}`, rotatedRefreshToken });
}

/** Parses a success body as JSON and validates it with the vendor's schema. */
export function parseSuccessJson<T>(response: WireResponse, schema: z.ZodType<T>): T {
  const json = parseJsonLoose(response.bodyText);
  if (json === undefined) {
    throw malformed(`expected JSON but got ${describeBody(response)}`, response.status);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'body';
    throw malformed(`${where}: ${issue?.message ?? 'unexpected shape'}`, response.status);
  }
  return parsed.data;
}

/** JSON.parse that returns undefined instead of throwing. */
export function parseJsonLoose(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function describeBody(response: WireResponse): string {
  const type = (response.headers['content-type'] ?? '').split(';')[0]?.trim();
  if (response.bodyText.length === 0) return 'an empty body';
  if (/^\s*</.test(response.bodyText)) return `an HTML/XML page${type ? ` (${type})` : ''}`;
  if (/^\s*[[{]/.test(response.bodyText)) return 'invalid or truncated JSON';
  return `${type || 'text'} (${response.bodyText.length} bytes)`;
}

/** Retry-After as delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(headers: Record<string, string>, now: number): number | undefined {
  const raw = headers['retry-after'];
  if (!raw) return undefined;
  if (/^\s*\d+\s*$/.test(raw)) return Number(raw) * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * What every vendor shares: 429 is rate limiting, 408 and 5xx are transient.
 * Returns undefined when the vendor-specific rules must decide.
 */
export function classifyCommon(response: WireResponse, vendorMessage: string | undefined, now = Date.now()): ProviderFailure | undefined {
  const { status } = response;
  const said = vendorMessage ? `: ${vendorMessage}` : '';
  if (status === 429) {
    const wait = retryAfterMs(response.headers, now);
    return {
      errorClass: 'rate_limited',
      httpStatus: status,
      retryAfterMs: wait,
      message: `Rate limited (HTTP 429)${said}${wait !== undefined ? ` — retry after ${Math.ceil(wait / 1000)} s` : ''}`,
    };
  }
  if (status === 408 || status >= 500) {
    return {
      errorClass: 'transient',
      httpStatus: status,
      retryAfterMs: status === 503 ? retryAfterMs(response.headers, now) : undefined,
      message: `The server had a problem (HTTP ${status})${said}`,
    };
  }
  return undefined;
}

/** A failure nobody documented: a 4xx we can't read is a configuration problem to show. */
export function classifyUnknown(response: WireResponse, vendorMessage: string | undefined): ProviderFailure {
  const said = vendorMessage ? `: ${vendorMessage}` : ` (${describeBody(response)})`;
  if (response.status === 404 || response.status === 405) {
    return {
      errorClass: 'config_error',
      httpStatus: response.status,
      message: `HTTP ${response.status}${said} — this is not the token endpoint; check the base URL`,
    };
  }
  return { errorClass: 'config_error', httpStatus: response.status, message: `HTTP ${response.status}${said}` };
}

/** Cuts a vendor's message to a readable length (it still goes through redaction). */
export function vendorText(value: unknown, max = 300): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const text = value.trim().replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export interface RawTokens {
  accessToken: string;
  refreshToken?: string;
  /** OpenID Connect's id_token, when the vendor sent one. */
  idToken?: string;
  tokenType?: string;
  expiresIn?: unknown;
  refreshTokenExpiresIn?: unknown;
  scope?: string;
  meta?: TokenSet['meta'];
}

/**
 * Longest token accepted. Tokens travel in an HTTP header, where servers stop at 8–16 KiB;
 * 64 KiB leaves room for any real JWT and refuses a vendor's runaway answer.
 */
export const MAX_TOKEN_LENGTH = 64 * 1024;

/**
 * RFC 6749 A.12/A.17: access and refresh tokens are visible ASCII (VSCHAR, %x20-7E). They go into
 * an Authorization header, a form body, a curl line: a CR/LF (header injection), a NUL, a bidi
 * override or bytes that were not UTF-8 (decoded as U+FFFD) make the answer malformed.
 */
function checkToken(what: string, token: string, httpStatus: number | undefined): void {
  if (token.length > MAX_TOKEN_LENGTH) throw malformed(`${what} is ${token.length} characters long, more than ${MAX_TOKEN_LENGTH}`, httpStatus);
  if (!/^[\x20-\x7e]+$/.test(token)) throw malformed(`${what} contains a control, non-ASCII or invalid character`, httpStatus);
}

/** Builds a TokenSet, resolving expiry and keeping the old refresh token when none came back. */
export function toTokenSet(raw: RawTokens, ctx: ParseContext, httpStatus?: number): TokenSet {
  checkToken('access_token', raw.accessToken, httpStatus);
  if (raw.refreshToken !== undefined) checkToken('refresh_token', raw.refreshToken, httpStatus);
  if (raw.idToken !== undefined) checkToken('id_token', raw.idToken, httpStatus);
  // RFC 6749 A.13: a type name or a URI; it is written into Authorization headers.
  if (raw.tokenType !== undefined && raw.tokenType !== '' && !/^[\x21-\x7e]{1,128}$/.test(raw.tokenType)) {
    throw malformed('token_type is not a token type name', httpStatus);
  }
  // Past this point the answer is well-formed but for its lifetime: if it rotated the refresh
  // token, the vendor has retired ours, so a refusal must still hand the new one to the engine.
  const rotatedRefreshToken = raw.refreshToken !== undefined && raw.refreshToken !== ctx.sentRefreshToken ? raw.refreshToken : undefined;
  let expiresInSeconds: number | undefined;
  let refreshSeconds: number | undefined;
  let expiry;
  try {
    expiresInSeconds = parseLifetimeSeconds(raw.expiresIn, 'expires_in');
    refreshSeconds = parseLifetimeSeconds(raw.refreshTokenExpiresIn, 'refresh_token_expires_in');
    expiry = resolveExpiry({ expiresInSeconds, accessToken: raw.accessToken, refreshEveryMs: ctx.account.refreshEveryMs, now: ctx.now });
  } catch (err) {
    if (err instanceof ExpiryError) throw malformed(err.message, httpStatus, rotatedRefreshToken);
    throw err;
  }
  // A token that is already dead would be stored over a live one, and rescheduled at once (a refresh loop).
  if (expiry.expiresAt !== undefined && expiry.expiresAt <= ctx.now) {
    throw malformed(`the access token it issued is already expired (${expiry.expirySource === 'jwt_exp' ? "the JWT's exp claim" : 'expires_in'} is not in the future)`, httpStatus, rotatedRefreshToken);
  }
  const refreshToken = raw.refreshToken ?? ctx.sentRefreshToken;
  return {
    accessToken: raw.accessToken,
    refreshToken,
    ...(raw.idToken ? { idToken: raw.idToken } : {}),
    rotated: raw.refreshToken !== undefined && raw.refreshToken !== ctx.sentRefreshToken,
    tokenType: raw.tokenType || 'Bearer',
    expiresAt: expiry.expiresAt,
    expirySource: expiry.expirySource,
    refreshTokenExpiresAt: refreshSeconds !== undefined ? ctx.now + refreshSeconds * 1000 : undefined,
    scope: raw.scope || undefined,
    obtainedAt: ctx.now,
    meta: raw.meta ?? {},
  };
}
