// TeamUp refresh (docs/PROVIDERS.md "teamup"): a Django REST Framework view.
// POST {base}/auth/refresh_access_token?format=json|xml, body JSON, form or multipart with
// refresh_token, scope[] and new_access_token_type. Errors are DRF's: {"detail": "..."} or
// {"field": ["message"]}; ?format=xml renders everything as <root>…</root>.
// Sign-in (harness/authorization.ts): authorization code + PKCE at {base}/auth/oauth/authorize
// and {base}/auth/oauth/token (form; client_id with client_secret, or a public client with
// code_verifier), scope read_write; the token answer has the refresh answer's shape and its
// errors are RFC 6749 §5.2 JSON (an OAuth library's, assumed).
import {
  SignIn,
  basicCredentials,
  grantFor,
  isRecord,
  json,
  mediaType,
  opaqueToken,
  parseJson,
  randomAlnum,
  startSimulatorServer,
  text,
  type HarnessContext,
  type IssuedGrant,
  type RecordedRequest,
  type Reply,
  type ScopeCheck,
  type SignInClient,
  type Simulator,
  type SimulatorOptions,
  type SuccessView,
  type VendorWire,
} from './harness.js';

const BASE_PATH = '/api/v2';
const OAUTH_PATH = `${BASE_PATH}/auth/oauth`;
const TOKEN_TYPES = ['customer', 'provider'] as const;
type TokenType = (typeof TOKEN_TYPES)[number];
type Format = 'json' | 'xml';

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** rest_framework_xml's XMLRenderer: lists as <list-item>, null as an empty element. */
function xmlNode(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((item) => `<list-item>${xmlNode(item)}</list-item>`).join('');
  if (isRecord(value)) return Object.entries(value).map(([k, v]) => `<${k}>${xmlNode(v)}</${k}>`).join('');
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return escapeXml(String(value));
}

function renderXml(body: unknown): { contentType: string; text: string } {
  return { contentType: 'application/xml; charset=utf-8', text: `<?xml version="1.0" encoding="utf-8"?>\n<root>${xmlNode(body)}</root>` };
}

function drf(status: number, body: Record<string, unknown>, format: Format = 'json'): Reply {
  if (format === 'json') return json(status, body);
  const xml = renderXml(body);
  return text(status, xml.text, xml.contentType);
}

const INVALID_TOKEN = (format?: Format) => drf(401, { detail: 'Invalid refresh token.' }, format);
const FORBIDDEN = (format?: Format) => drf(403, { detail: 'You do not have permission to perform this action.' }, format);
const BLANK = ['This field may not be blank.'];

function pythonType(value: unknown): string {
  if (typeof value === 'string') return 'str';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'boolean') return 'bool';
  return isRecord(value) ? 'dict' : 'NoneType';
}

/** multipart/form-data, enough for text fields. */
function parseMultipart(req: RecordedRequest): Map<string, string[]> | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(req.headers['content-type'] ?? '');
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!marker) return undefined;
  const fields = new Map<string, string[]>();
  for (const part of req.bodyText.split(`--${marker}`).slice(1)) {
    if (part.startsWith('--')) break;
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const name = /name="([^"]*)"/i.exec(part.slice(0, split))?.[1];
    if (name === undefined) continue;
    fields.set(name, [...(fields.get(name) ?? []), part.slice(split + 4).replace(/\r\n$/, '')]);
  }
  return fields;
}

/** request.data as DRF's parsers would give it: an object (lists for repeated form keys) or an error reply. */
function requestData(req: RecordedRequest, format: Format): { ok: true; data: Record<string, unknown> } | { ok: false; reply: Reply } {
  const type = mediaType(req);
  const fail = (reply: Reply) => ({ ok: false as const, reply });
  if (req.bodyText === '' && type === '') return { ok: true, data: {} };
  if (type === 'application/json') {
    const parsed = parseJson(req.bodyText);
    if (!parsed.ok) return fail(drf(400, { detail: `JSON parse error - ${parsed.message}` }, format));
    if (isRecord(parsed.value)) return { ok: true, data: parsed.value };
    return fail(drf(400, { non_field_errors: [`Invalid data. Expected a dictionary, but got ${pythonType(parsed.value)}.`] }, format));
  }
  let fields: Map<string, string[]> | undefined;
  if (type === 'application/x-www-form-urlencoded') {
    const form = new URLSearchParams(req.bodyText);
    fields = new Map([...new Set(form.keys())].map((k) => [k, form.getAll(k)]));
  } else if (type === 'multipart/form-data') {
    fields = parseMultipart(req);
    if (!fields) return fail(drf(400, { detail: 'Multipart form parse error - Invalid boundary in multipart: None' }, format));
  } else {
    return fail(drf(415, { detail: `Unsupported media type "${type}" in request.` }, format));
  }
  // QueryDict: a single value per key, except list fields (scope) which take every value.
  const data: Record<string, unknown> = {};
  for (const [key, values] of fields) data[key] = key === 'scope' ? values : values[values.length - 1];
  return { ok: true, data };
}

interface RefreshInput {
  refreshToken: string;
  scope: string[] | undefined;
  tokenType: TokenType;
}

/** The serializer: every field's errors at once, as DRF reports them. */
function validate(data: Record<string, unknown>): { ok: true; input: RefreshInput } | { ok: false; errors: Record<string, unknown> } {
  const errors: Record<string, unknown> = {};
  const token = data['refresh_token'];
  if (token === undefined) errors['refresh_token'] = ['This field is required.'];
  else if (token === null) errors['refresh_token'] = ['This field may not be null.'];
  else if (typeof token !== 'string' && typeof token !== 'number') errors['refresh_token'] = ['Not a valid string.'];
  else if (String(token).trim() === '') errors['refresh_token'] = BLANK;

  const scope = data['scope'];
  if (scope === null) errors['scope'] = ['This field may not be null.'];
  else if (scope !== undefined && !Array.isArray(scope)) errors['scope'] = [`Expected a list of items but got type "${pythonType(scope)}".`];
  else if (Array.isArray(scope)) {
    if (scope.length === 0) errors['scope'] = ['This list may not be empty.'];
    const itemErrors: Record<string, string[]> = {};
    scope.forEach((item, i) => {
      if (typeof item !== 'string') itemErrors[String(i)] = ['Not a valid string.'];
      else if (item.trim() === '') itemErrors[String(i)] = BLANK;
    });
    if (Object.keys(itemErrors).length > 0) errors['scope'] = itemErrors;
  }

  const type = data['new_access_token_type'] ?? 'customer';
  if (!TOKEN_TYPES.includes(type as TokenType)) errors['new_access_token_type'] = [`"${String(type)}" is not a valid choice.`];

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    input: {
      refreshToken: String(token).trim(),
      scope: Array.isArray(scope) ? scope.map((s: string) => s.trim()) : undefined,
      tokenType: type as TokenType,
    },
  };
}

function success(accessToken: string, expiresIn: number | null, refreshToken: string, format: Format): SuccessView {
  return {
    success: true,
    body: { access_token: accessToken, expires_in: expiresIn, refresh_token: refreshToken },
    accessTokenPath: ['access_token'],
    refreshTokenPath: ['refresh_token'],
    expiresInPath: ['expires_in'],
    serialize: format === 'xml' ? renderXml : undefined,
  };
}

/** TeamUp's documented scopes: read_write, always, and provider:<ID> to pick a business. */
function teamupScope(requested: string | undefined): ScopeCheck {
  const asked = (requested ?? '').split(' ').filter(Boolean);
  if (!asked.includes('read_write')) return { ok: false, description: 'scope must include read_write.' };
  const unknown = asked.filter((s) => s !== 'read_write' && !/^provider:\d+$/.test(s));
  if (unknown.length > 0) return { ok: false, description: `Unknown scope: ${unknown.join(' ')}.` };
  return { ok: true, scope: asked.join(' ') };
}

/** RFC 6749 §5.2 error JSON of the OAuth token endpoint; invalid_client is 401. */
function oauthError(error: string, description: string): Reply {
  return json(error === 'invalid_client' ? 401 : 400, { error, error_description: description }, { 'cache-control': 'no-store' });
}

/** The client of a token request: Basic or client_id + client_secret in the form, or a public client (client_id alone). */
function tokenClient(signIn: SignIn, req: RecordedRequest, form: URLSearchParams): { client: SignInClient; secret: boolean } | Reply {
  const creds = req.headers['authorization'] === undefined ? undefined : basicCredentials(req);
  if (req.headers['authorization'] !== undefined && !creds) return oauthError('invalid_client', 'Malformed Basic credentials.');
  const id = creds?.user ?? form.get('client_id');
  const secret = creds?.pass ?? form.get('client_secret');
  if (!id) return oauthError('invalid_client', 'client_id is required.');
  if (secret !== null) {
    const client = signIn.authenticates(id, secret);
    return client ? { client, secret: true } : oauthError('invalid_client', 'Client authentication failed.');
  }
  const client = signIn.client(id);
  return client ? { client, secret: false } : oauthError('invalid_client', 'Unknown client.');
}

function setup(h: HarnessContext): VendorWire {
  const expiresInNull = h.options.raw.expiresInNull ?? false;
  const providerAllowed = h.options.raw.providerAllowed ?? true;
  const shownExpiresIn = (ttl: number) => (expiresInNull ? null : ttl);
  // The registered application of sign-in; refresh takes no client, as TeamUp documents it.
  const client: SignInClient = { id: `teamup-app-${randomAlnum(12)}`, secret: randomAlnum(40) };
  const signIn = new SignIn(h, {
    vendor: 'TeamUp',
    authorizePath: `${OAUTH_PATH}/authorize`,
    decisionPath: `${OAUTH_PATH}/authorize/decision`,
    defaultClient: client,
    requirePkce: true,
    clientCredentials: false,
    scope: teamupScope,
    createGrant: (clientId, scope): IssuedGrant =>
      h.grants.create({ subject: `user-${randomAlnum(10)}`, attrs: { client_id: clientId, scope }, claims: { request_mode: 'customer' } }),
  });

  /** POST {base}/auth/oauth/token: authorization_code (and client_credentials when the option turns it on). */
  const token: VendorWire['routes'][number]['handle'] = (req, ctx) => {
    if (mediaType(req) !== 'application/x-www-form-urlencoded') return oauthError('invalid_request', 'The body must be application/x-www-form-urlencoded.');
    const form = new URLSearchParams(req.bodyText);
    const caller = tokenClient(signIn, req, form);
    if ('status' in caller) return caller;
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const result = signIn.exchangeCode(caller.client.id, form, { requireVerifier: !caller.secret });
      if (!result.ok) return oauthError(result.error, result.description);
      return success(result.issued.accessToken, shownExpiresIn(result.issued.expiresIn), result.issued.refreshToken, 'json');
    }
    if (grantType === 'client_credentials' && signIn.clientCredentialsEnabled) {
      if (!caller.secret) return oauthError('unauthorized_client', 'A public client cannot use client_credentials.');
      const granted = signIn.clientCredentialsGrant(caller.client.id, 'read_write', ctx.accessTtlSec);
      return {
        success: true,
        body: { access_token: granted.accessToken, expires_in: shownExpiresIn(granted.expiresIn) },
        accessTokenPath: ['access_token'],
        expiresInPath: ['expires_in'],
      };
    }
    if (!grantType) return oauthError('invalid_request', 'grant_type is required.');
    return oauthError('unsupported_grant_type', `Unsupported grant_type "${grantType}".`);
  };

  return {
    signIn,
    routes: [
      ...signIn.routes(),
      { method: 'POST', path: `${OAUTH_PATH}/token`, faults: true, handle: token },
      {
        method: 'POST',
        path: `${BASE_PATH}/auth/refresh_access_token`,
        faults: true,
        handle(req, ctx) {
          const requested = req.query['format'] ?? 'json';
          if (requested !== 'json' && requested !== 'xml') return json(404, { detail: 'Not found.' });
          const format: Format = requested;
          const body = requestData(req, format);
          if (!body.ok) return body.reply;
          const validated = validate(body.data);
          if (!validated.ok) return drf(400, validated.errors, format);
          const valid = validated.input;
          if (valid.tokenType === 'provider' && !providerAllowed) return FORBIDDEN(format);

          const result = h.grants.redeem(valid.refreshToken, {
            accessTtlSec: ctx.accessTtlSec,
            claims: { request_mode: valid.tokenType, ...(valid.scope ? { scope: valid.scope } : {}) },
          });
          if (!result.ok) return INVALID_TOKEN(format);
          return success(result.accessToken, shownExpiresIn(result.expiresIn), result.refreshToken, format);
        },
      },
    ],
    rateLimited: (retryAfterSec) => drf(429, { detail: `Request was throttled. Expected available in ${Math.ceil(retryAfterSec)} seconds.` }),
    serverError: () => text(500, '\n<!doctype html>\n<html lang="en">\n<head>\n  <title>Server Error (500)</title>\n</head>\n<body>\n  <h1>Server Error (500)</h1><p></p>\n</body>\n</html>\n', 'text/html; charset=utf-8'),
    vendorError(code) {
      if (code === '401') return INVALID_TOKEN();
      if (code === '400') return drf(400, { refresh_token: BLANK });
      if (code === '403') return FORBIDDEN();
      return undefined;
    },
    sampleSuccess: () => success(opaqueToken('at'), shownExpiresIn(h.options.accessTtlSec), opaqueToken('rt'), 'json'),
    issue(overrides) {
      const issued = h.grants.create({
        subject: `user-${randomAlnum(10)}`,
        claims: { request_mode: 'customer' },
        refreshTtlSec: overrides.refreshTtlSec,
      });
      return grantFor(issued, { new_access_token_type: 'customer' });
    },
  };
}

export function startTeamupSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulatorServer(
    {
      providerId: 'teamup',
      basePath: BASE_PATH,
      defaults: { accessTtlSec: 3600, rotate: true, jwtAccessTokens: true },
      setup,
    },
    options,
  );
}
