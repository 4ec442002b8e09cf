// Runs a provider file (README "Provider files"): turns a checked ProviderDefinition into a
// ProviderSpec, so call.ts and the engine treat it like a built-in. Templates fill in the
// account's values, the answer mapping reads JSON pointers, the error rules classify. The
// few things data cannot say are named hooks, listed in HOOKS below.
import type { TokenSet } from '../../../shared/domain.js';
import { firstMatch, placeholders, resolvePointer, templateOf } from '../../../shared/provider-definition-check.js';
import { descriptorFromDefinition } from '../../../shared/provider-definition-descriptor.js';
import type { ExpiryDefinition, ProviderDefinition, RequestDefinition, ValueSpec } from '../../../shared/provider-definition.js';
import type { FieldValues } from '../../../shared/provider-fields.js';
import type { WireRequest, WireResponse } from '../net/http.js';
import { ProviderError, type ProviderFailure } from '../net/provider-error.js';
import {
  baseUrlOf, basicAuthPlain, basicAuthRfc6749, classifyCommon, classifyUnknown, describeBody, formBody, malformed, parseJsonLoose, retryAfterMs, toTokenSet, vendorText,
} from './common.js';
import { oauth2, withClientAuth } from './oauth2.js';
import { errorText as djangoErrorText } from './teamup.js';
import type { ParseContext, ProviderAccount, ProviderSpec, ResolvedEndpoints } from './types.js';

/** The named hooks a definition may ask for, and what each does. */
export const HOOKS = {
  'oauth2-client-auth': 'client authentication as the account\'s client_auth field says (client_secret_basic, client_secret_post or none), RFC 6749 §2.3',
  'oauth2-discovery': 'endpoints from the token_url field or discovered from the issuer (RFC 8414 / OpenID Connect); {{tokenUrl}}, {{revocationUrl}} and {{deviceAuthorizationUrl}} in URLs',
  'django-errors': 'the error message read from a Django REST error body ({"detail": …} or {"field": ["…"]})',
} as const;

interface Vars {
  account: ProviderAccount;
  endpoints?: ResolvedEndpoints;
  extra?: Record<string, string>;
  labels: ReadonlyMap<string, string>;
}

function lookup(name: string, vars: Vars, spec: ProviderSpec): string | undefined {
  if (vars.extra && Object.prototype.hasOwnProperty.call(vars.extra, name)) return vars.extra[name];
  if (name === 'baseUrl') return spec.baseUrl(vars.account)?.replace(/\/+$/, '');
  if (name === 'tokenUrl') return vars.endpoints?.tokenUrl;
  if (name === 'revocationUrl') return vars.endpoints?.revocationUrl;
  if (name === 'deviceAuthorizationUrl') return vars.endpoints?.deviceAuthorizationUrl;
  return vars.account.secrets[name] || vars.account.settings[name] || undefined;
}

/** The error a missing value is: no refresh token means signing in, anything else a setting to fix. */
function missing(name: string, vars: Vars): ProviderError {
  if (name === 'refresh_token') return new ProviderError({ errorClass: 'reauth_required', message: 'This account has no refresh token yet: sign in to get one' });
  if (name === 'baseUrl') return new ProviderError({ errorClass: 'config_error', message: 'No base URL is set for this account' });
  if (name === 'tokenUrl') return new ProviderError({ errorClass: 'config_error', message: 'Neither a token URL nor a discovered token endpoint is known for this account' });
  if (name === 'deviceAuthorizationUrl') return new ProviderError({ errorClass: 'config_error', message: 'Neither a device authorization URL nor a discovered device authorization endpoint is known for this account' });
  return new ProviderError({ errorClass: 'config_error', message: `${vars.labels.get(name) ?? name} is missing from this account` });
}

/** A template filled in; undefined when a value is missing and `lenient` (the spec has a default or may be left out). */
function fill(template: string, vars: Vars, spec: ProviderSpec, lenient: boolean, encode?: (v: string) => string): string | undefined {
  let gap = false;
  const text = template.replace(/\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}/g, (_m, name: string) => {
    const value = lookup(name, vars, spec);
    if (value === undefined) {
      if (!lenient) throw missing(name, vars);
      gap = true;
      return '';
    }
    return encode ? encode(value) : value;
  });
  return gap ? undefined : text;
}

type Rendered = string | string[] | number;

function renderValue(spec: ValueSpec, vars: Vars, provider: ProviderSpec): Rendered | undefined {
  if (typeof spec === 'string') return fill(spec, vars, provider, false);
  const lenient = spec.default !== undefined || spec.omitIfEmpty === true;
  let text = fill(spec.value, vars, provider, lenient);
  if ((text === undefined || text === '') && spec.default !== undefined) text = fill(spec.default, vars, provider, false);
  if (text === undefined || (text === '' && spec.omitIfEmpty)) return undefined;
  if (spec.as === 'list') {
    const list = text.split(/[\s,]+/).filter(Boolean);
    return list.length || !spec.omitIfEmpty ? list : undefined;
  }
  if (spec.as === 'number') {
    if (!/^-?\d+(\.\d+)?$/.test(text)) throw new ProviderError({ errorClass: 'config_error', message: `"${text.slice(0, 40)}" is not a number` });
    return Number(text);
  }
  return text;
}

function renderMap(map: Record<string, ValueSpec> | undefined, vars: Vars, provider: ProviderSpec): Record<string, Rendered> {
  const out: Record<string, Rendered> = Object.create(null) as Record<string, Rendered>;
  for (const [key, spec] of Object.entries(map ?? {})) {
    const value = renderValue(spec, vars, provider);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function renderUrl(req: RequestDefinition, vars: Vars, provider: ProviderSpec): string {
  // The leading {{baseUrl}} / URL field is the origin (and maybe a prefix): as it is; later values are path parts.
  const lead = /^\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}/.exec(req.url);
  let url = lead ? fill(lead[0], vars, provider, false)! + fill(req.url.slice(lead[0].length), vars, provider, false, encodeURIComponent)! : fill(req.url, vars, provider, false, encodeURIComponent)!;
  const query = renderMap(req.query, vars, provider);
  if (Object.keys(query).length) {
    const params = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
    url += `${url.includes('?') ? '&' : '?'}${params.toString()}`;
  }
  return url;
}

/** Builds the wire request of a definition's request part. */
export function renderRequest(def: ProviderDefinition, req: RequestDefinition, vars: Vars, provider: ProviderSpec): WireRequest {
  const url = renderUrl(req, vars, provider);
  const headers: Record<string, string> = {};
  const credential = req.credential;
  if (credential?.kind === 'basic') {
    const user = fill(credential.username, vars, provider, false)!;
    const secret = fill(credential.password, vars, provider, false)!;
    headers['authorization'] = credential.encoding === 'rfc6749' ? basicAuthRfc6749(user, secret) : basicAuthPlain(user, secret);
  } else if (credential?.kind === 'bearer') {
    headers['authorization'] = `Bearer ${fill(credential.value, vars, provider, false)!}`;
  }
  const encoding = req.body?.encoding ?? 'none';
  const named = renderMap(req.headers, vars, provider);
  const hasType = Object.keys(named).some((k) => k.toLowerCase() === 'content-type');
  if (!hasType && encoding === 'form') headers['content-type'] = 'application/x-www-form-urlencoded';
  if (!hasType && encoding === 'json') headers['content-type'] = 'application/json';
  const namedText: Record<string, string> = Object.fromEntries(Object.entries(named).map(([k, v]) => [k, String(v)]));
  Object.assign(headers, namedText);
  const fields = renderMap(req.body?.fields, vars, provider);
  if (def.hooks?.includes('oauth2-client-auth') && encoding === 'form') {
    const form: Record<string, string> = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)]));
    const authed = withClientAuth(vars.account, url, form);
    return { ...authed, method: req.method, headers: { ...authed.headers, ...namedText } };
  }
  if (encoding === 'none') return { method: req.method, url, headers };
  const body = encoding === 'json' ? JSON.stringify(nest(fields)) : formBody(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)])));
  return { method: req.method, url, headers, body };
}

/** JSON body fields: a key written as a JSON pointer ("/session/renewal") places its value in nested objects. */
function nest(fields: Record<string, Rendered>): Record<string, unknown> {
  // Null prototypes: a key can never reach Object.prototype (the checker refuses __proto__ too).
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of Object.entries(fields)) {
    if (!key.startsWith('/')) {
      out[key] = value;
      continue;
    }
    const parts = key.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    let at = out;
    for (const part of parts.slice(0, -1)) {
      const next = at[part];
      at = (at[part] = typeof next === 'object' && next !== null && !Array.isArray(next) ? next : Object.create(null)) as Record<string, unknown>;
    }
    at[parts[parts.length - 1]!] = value;
  }
  return out;
}

/** The seconds until an expiry the answer gives in one of the supported shapes. */
function lifetimeOf(expiry: ExpiryDefinition | undefined, body: unknown, now: number, status: number, what: string): unknown {
  if (!expiry || expiry.kind === 'none' || expiry.kind === 'jwt_exp') return undefined;
  if (expiry.kind === 'fixed') return expiry.seconds;
  const hit = firstMatch(body, expiry.pointer);
  if (!hit.found || hit.value === null) {
    if (expiry.required) throw malformed(`${what}: missing (${[expiry.pointer].flat().join(' or ')})`, status);
    return undefined;
  }
  const value = hit.value;
  const wrong = (shape: string) => malformed(`${what}: expected ${shape}`, status);
  switch (expiry.kind) {
    case 'seconds':
      if (typeof value !== 'number') throw wrong('a number of seconds');
      return value;
    case 'string_seconds':
      if (typeof value !== 'string' && typeof value !== 'number') throw wrong('seconds as a string');
      return value;
    case 'iso_date': {
      const at = typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value) ? Date.parse(value) : NaN;
      if (Number.isNaN(at)) throw wrong('an ISO 8601 date and time');
      // Whole seconds (rounded down: never later than the vendor said), so expiresAt stays whole milliseconds.
      return Math.floor((at - now) / 1000);
    }
    case 'epoch_ms':
    case 'epoch_seconds': {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw wrong('a timestamp');
      return Math.floor(((expiry.kind === 'epoch_ms' ? value : value * 1000) - now) / 1000);
    }
  }
}

function optionalString(body: unknown, pointers: string | readonly string[] | undefined, what: string, status: number, required = false): string | undefined {
  const hit = firstMatch(body, pointers);
  if (!hit.found || hit.value === null) {
    if (required) throw malformed(`${what}: missing`, status);
    return undefined;
  }
  if (typeof hit.value !== 'string' || hit.value === '') throw malformed(`${what}: expected a non-empty string`, status);
  return hit.value;
}

/** Reads a 2xx answer with the definition's mapping (after the 2xx error rules). */
export function parseAnswer(def: ProviderDefinition, response: WireResponse, ctx: ParseContext): TokenSet {
  const body = parseJsonLoose(response.bodyText);
  if (body === undefined) throw malformed(`expected JSON but got ${describeBody(response)}`, response.status);
  const failure = matchRules(def, response, body, true);
  if (failure) throw new ProviderError(failure);
  const a = def.refresh.answer;
  const status = response.status;
  const accessToken = optionalString(body, a.accessToken, 'access token', status, true)!;
  const refreshToken = optionalString(body, a.refreshToken, 'refresh token', status);
  const tokenType = a.tokenType && typeof a.tokenType === 'object' && 'fixed' in a.tokenType ? a.tokenType.fixed : optionalString(body, a.tokenType as string | string[] | undefined, 'token type', status, a.tokenTypeRequired);
  const meta: TokenSet['meta'] = {};
  for (const [key, keep] of Object.entries(a.keep ?? {})) {
    if ('field' in keep) {
      const value = ctx.account.settings[keep.field] || keep.default;
      if (value !== undefined) meta[key] = value;
      continue;
    }
    const hit = firstMatch(body, keep.pointer);
    if (!hit.found || hit.value === null || typeof hit.value === 'object') continue;
    meta[key] = keep.as === 'number' ? Number(hit.value) : keep.as === 'boolean' ? Boolean(hit.value) : typeof hit.value === 'string' ? hit.value : String(hit.value);
  }
  const scopeHit = firstMatch(body, a.scope);
  return toTokenSet(
    {
      accessToken,
      refreshToken,
      tokenType,
      expiresIn: lifetimeOf(a.expiry, body, ctx.now, status, 'expiry'),
      refreshTokenExpiresIn: lifetimeOf(a.refreshTokenExpiry, body, ctx.now, status, 'refresh token expiry'),
      scope: scopeHit.found && typeof scopeHit.value === 'string' ? scopeHit.value : undefined,
      meta,
    },
    ctx,
    status,
  );
}

function vendorSaid(def: ProviderDefinition, response: WireResponse, body: unknown): { message?: string; code?: string } {
  const e = def.refresh.errors;
  const codeHit = firstMatch(body, e.code);
  const code = codeHit.found && (typeof codeHit.value === 'string' || typeof codeHit.value === 'number') ? String(codeHit.value) : undefined;
  const messageHit = firstMatch(body, e.message);
  const message = def.hooks?.includes('django-errors') ? djangoErrorText(body) : vendorText(messageHit.found ? messageHit.value : undefined);
  return { message, code };
}

function conditionHolds(cond: NonNullable<ProviderDefinition['refresh']['errors']['rules'][number]['match']>[number], body: unknown, bodyText: string): boolean {
  const hit = cond.pointer === '' && body === undefined ? { found: true as const, value: bodyText } : resolvePointer(body, cond.pointer);
  if (cond.exists !== undefined && hit.found !== cond.exists) return false;
  if (!hit.found) return cond.exists === false;
  if (cond.equals !== undefined && hit.value !== cond.equals) return false;
  if (cond.in !== undefined && !cond.in.includes(hit.value as string | number | boolean)) return false;
  const text = typeof hit.value === 'string' ? hit.value : JSON.stringify(hit.value);
  return [cond.matches ?? []].flat().every((source) => new RegExp(source, 'i').test(text));
}

/** The first rule that matches; on a 2xx only rules with a match count (errors sent as HTTP 200). */
function matchRules(def: ProviderDefinition, response: WireResponse, body: unknown, success: boolean): ProviderFailure | undefined {
  const { status } = response;
  for (const rule of def.refresh.errors.rules) {
    if (success && !rule.match?.length) continue;
    if (rule.status !== undefined && ![rule.status].flat().includes(status)) continue;
    if (!(rule.match ?? []).every((cond) => conditionHolds(cond, body, response.bodyText))) continue;
    const { message, code } = vendorSaid(def, response, body);
    const said = [code, message].filter(Boolean).join(': ') || `HTTP ${status}`;
    return {
      errorClass: rule.class,
      httpStatus: status,
      vendorCode: code,
      message: `${said}${rule.message ? ` — ${rule.message}` : ''}`,
      ...(rule.class === 'rate_limited' ? { retryAfterMs: retryAfterMs(response.headers, Date.now()) } : {}),
    };
  }
  return undefined;
}

/** Classifies a non-2xx answer: 429/408/5xx as every provider, then the definition's rules, then the common fallbacks. */
export function classifyAnswer(def: ProviderDefinition, response: WireResponse): ProviderFailure {
  const body = parseJsonLoose(response.bodyText);
  const { message, code } = vendorSaid(def, response, body);
  const said = [code, message].filter(Boolean).join(': ') || undefined;
  const common = classifyCommon(response, said);
  if (common) return { ...common, vendorCode: code };
  return matchRules(def, response, body, false) ?? { ...classifyUnknown(response, said), vendorCode: code };
}

function requestFor(def: ProviderDefinition, account: ProviderAccount): RequestDefinition {
  const variant = def.refresh.variants?.find((v) => (account.settings[v.when.field] ?? account.secrets[v.when.field]) === v.when.equals);
  return variant ?? def.refresh;
}

/** The ProviderSpec of a checked definition (checkProviderDefinition first). */
export function specFromDefinition(def: ProviderDefinition): ProviderSpec {
  const descriptor = descriptorFromDefinition(def);
  const labels = new Map(descriptor.fields.map((f) => [f.id, f.label]));
  const discovery = def.hooks?.includes('oauth2-discovery');
  const vars = (account: ProviderAccount, endpoints?: ResolvedEndpoints, extra?: Record<string, string>): Vars => ({
    account,
    endpoints: discovery ? (endpoints ?? oauth2.discovery!.direct(account)) : endpoints,
    extra,
    labels,
  });
  const password = def.signIn?.password;
  const code = def.signIn?.authorizationCode;
  const device = def.signIn?.device;
  const settingsPointers = password?.settings ?? def.refresh.answer.settings;
  const spec: ProviderSpec = {
    ...descriptor,
    baseUrl: (account) => (discovery ? oauth2.baseUrl(account) : baseUrlOf(account, descriptor.environments, descriptor.defaultEnvironment)),
    buildRefreshRequest: (account, endpoints) => renderRequest(def, requestFor(def, account), vars(account, endpoints), spec),
    parseRefreshResponse: (response, ctx) => parseAnswer(def, response, ctx),
    classifyFailure: (response) => classifyAnswer(def, response),
    ...(def.revoke ? { buildRevokeRequest: (account: ProviderAccount, endpoints?: ResolvedEndpoints) => renderRequest(def, def.revoke!, vars(account, endpoints), spec) } : {}),
    ...(discovery ? { discovery: oauth2.discovery } : {}),
    ...(password || code || device
      ? {
          signIn: {
            ...(password
              ? {
                  password: {
                    verified: true,
                    userLabel: password.userLabel,
                    buildRequest: (account: ProviderAccount, credentials: { username: string; password: string }) =>
                      renderRequest(def, password, vars(account, undefined, { username: credentials.username, password: credentials.password }), spec),
                    ...(settingsPointers ? { settingsFrom: (response: WireResponse) => settingsFrom(settingsPointers, response) } : {}),
                  },
                }
              : {}),
            ...(code
              ? {
                  authorizationCode: {
                    authorizeUrl: (account: ProviderAccount, endpoints?: ResolvedEndpoints) => renderUrl({ method: 'GET', url: code.authorizeUrl }, vars(account, endpoints), spec),
                    extraParams: (account: ProviderAccount) => Object.fromEntries(Object.entries(renderMap(code.params, vars(account), spec)).map(([k, v]) => [k, String(v)])),
                    buildExchange: (account: ProviderAccount, grant: { code: string; redirectUri: string; codeVerifier: string }, endpoints?: ResolvedEndpoints) =>
                      renderRequest(def, code.exchange, vars(account, endpoints, { code: grant.code, redirect_uri: grant.redirectUri, code_verifier: grant.codeVerifier }), spec),
                  },
                }
              : {}),
            ...(device
              ? {
                  device: {
                    buildDeviceRequest: (account: ProviderAccount, endpoints?: ResolvedEndpoints) => renderRequest(def, device.authorize, vars(account, endpoints), spec),
                    buildPollRequest: (account: ProviderAccount, deviceCode: string, endpoints?: ResolvedEndpoints) =>
                      renderRequest(def, device.poll, vars(account, endpoints, { device_code: deviceCode }), spec),
                  },
                }
              : {}),
          },
        }
      : {}),
  };
  return spec;
}

function settingsFrom(pointers: Record<string, string | string[]>, response: WireResponse): FieldValues {
  const body = parseJsonLoose(response.bodyText);
  const out: FieldValues = {};
  for (const [key, pointer] of Object.entries(pointers)) {
    const hit = firstMatch(body, pointer);
    if (!hit.found || (typeof hit.value !== 'string' && typeof hit.value !== 'number')) {
      throw new ProviderError({ errorClass: 'config_error', message: `The sign-in answer carried no ${key}, which refreshes need` });
    }
    out[key] = String(hit.value);
  }
  return out;
}

/** Every placeholder of a template (for previews). */
export function templateNames(spec: ValueSpec): string[] {
  return placeholders(templateOf(spec)) ?? [];
}
