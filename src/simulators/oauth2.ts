// A standard OAuth 2.0 authorization server (docs/PROVIDERS.md "oauth2"):
// - refresh, RFC 6749 §6: POST {issuer}/oauth/token, form grant_type=refresh_token&refresh_token=…[&scope=…],
//   client auth client_secret_basic (id and secret form-urlencoded before base64, §2.3.1),
//   client_secret_post or none; success §5.1 with Cache-Control: no-store; errors §5.2.
// - revocation, RFC 7009: POST {issuer}/oauth/revoke, form token=…[&token_type_hint=…], same client
//   auth, 200 even for unknown tokens; revoking a refresh token revokes the grant.
// - discovery: RFC 8414 /.well-known/oauth-authorization-server and OIDC /.well-known/openid-configuration.
// - RFC 9700: refresh tokens rotate, and presenting a used one revokes the whole grant.
import {
  basicCredentials,
  grantFor,
  json,
  mediaType,
  opaqueToken,
  randomAlnum,
  randomToken,
  repeatedParams,
  startSimulatorServer,
  type CallContext,
  type GrantRecord,
  type HarnessContext,
  type OAuth2ClientAuth,
  type RecordedRequest,
  type RefreshRejection,
  type Reply,
  type Simulator,
  type SimulatorOptions,
  type SuccessView,
  type VendorWire,
} from './harness.js';

const GRANT_SCOPE = 'read write';
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

const DESCRIPTIONS: Record<string, string> = {
  invalid_request: 'The request is missing a required parameter or is otherwise malformed.',
  invalid_client: 'Client authentication failed.',
  invalid_grant: 'The refresh token is invalid, expired or revoked.',
  unauthorized_client: 'The client is not authorized to use this grant type.',
  unsupported_grant_type: 'The grant type is not supported.',
  invalid_scope: 'The requested scope is invalid or exceeds the granted scope.',
  unsupported_token_type: 'The token type is not supported.',
  server_error: 'The server encountered an unexpected condition.',
  temporarily_unavailable: 'The server is temporarily unavailable.',
};

const STATUS_OF: Record<string, number> = { invalid_client: 401, server_error: 500, temporarily_unavailable: 503 };

/** RFC 6749 §5.2 error answer; invalid_client is 401 with WWW-Authenticate. */
function oauthError(error: string, description = DESCRIPTIONS[error] ?? error): Reply {
  const status = STATUS_OF[error] ?? 400;
  const challenge: Record<string, string> =
    status === 401 ? { 'www-authenticate': `Basic realm="tokendesk-simulator", error="${error}"` } : {};
  return json(status, { error, error_description: description }, { ...NO_STORE, ...challenge });
}

const REJECTIONS: Record<RefreshRejection, string> = {
  unknown: 'The refresh token is invalid.',
  mismatch: 'The refresh token was issued to another client.',
  revoked: 'The refresh token has been revoked.',
  reused: 'The refresh token was already used; the grant has been revoked.',
  expired: 'The refresh token has expired.',
};

/** application/x-www-form-urlencoded decoding of one Basic credential part (RFC 6749 §2.3.1). */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

function normalizeIssuerPath(path: string | undefined): string {
  const trimmed = (path ?? '').replace(/\/+$/, '');
  return trimmed === '' || trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

function success(accessToken: string, expiresIn: number, refreshToken: string | undefined, scope: string): SuccessView {
  const body: Record<string, unknown> = { access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn };
  if (refreshToken !== undefined) body['refresh_token'] = refreshToken;
  body['scope'] = scope;
  return {
    success: true,
    body,
    headers: NO_STORE,
    accessTokenPath: ['access_token'],
    refreshTokenPath: ['refresh_token'],
    expiresInPath: ['expires_in'],
  };
}

/** The one registered client, and how the server demands it authenticate. */
interface Client {
  id: string;
  secret: string;
  auth: OAuth2ClientAuth;
}

function ownedBy(client: Client): (grant: GrantRecord) => boolean {
  return (grant) => grant.attrs['client_id'] === client.id;
}

const tokenUrl = (issuer: string): string => `${issuer}/oauth/token`;
const revocationUrl = (issuer: string): string => `${issuer}/oauth/revoke`;

/** Undefined when the client authenticated as the server demands, else the error answer. */
function authenticate(client: Client, req: RecordedRequest, form: URLSearchParams): Reply | undefined {
  const header = req.headers['authorization'];
  const bodyId = form.get('client_id');
  const bodySecret = form.get('client_secret');
  if (header !== undefined && bodySecret !== null) return oauthError('invalid_request', 'More than one client authentication method.');
  if (client.auth === 'client_secret_basic') {
    if (header === undefined) return oauthError('invalid_client', 'Client authentication required (client_secret_basic).');
    const creds = basicCredentials(req);
    if (!creds) return oauthError('invalid_client', 'Malformed Basic credentials.');
    const id = formDecode(creds.user);
    const secret = formDecode(creds.pass);
    if (id !== client.id || secret !== client.secret) return oauthError('invalid_client', 'Client authentication failed.');
    if (bodyId !== null && bodyId !== id) return oauthError('invalid_client', 'client_id does not match the authenticated client.');
    return undefined;
  }
  if (client.auth === 'client_secret_post') {
    if (header !== undefined) return oauthError('invalid_client', 'This client authenticates with client_secret_post.');
    if (bodyId === null || bodySecret === null) return oauthError('invalid_client', 'client_id and client_secret are required in the body.');
    if (bodyId !== client.id || bodySecret !== client.secret) return oauthError('invalid_client', 'Client authentication failed.');
    return undefined;
  }
  if (header !== undefined || bodySecret !== null) return oauthError('invalid_client', 'This is a public client: send client_id only.');
  if (bodyId === null) return oauthError('invalid_client', 'client_id is required.');
  if (bodyId !== client.id) return oauthError('invalid_client', 'Unknown client.');
  return undefined;
}

/** The form of a token/revocation call, or the invalid_request answer. */
function readForm(req: RecordedRequest): URLSearchParams | Reply {
  if (mediaType(req) !== 'application/x-www-form-urlencoded') {
    return oauthError('invalid_request', 'The body must be application/x-www-form-urlencoded.');
  }
  const form = new URLSearchParams(req.bodyText);
  const repeated = repeatedParams(form);
  if (repeated.length > 0) return oauthError('invalid_request', `Parameter repeated: ${repeated.join(', ')}.`);
  return form;
}

/** The discovery document of the server at `issuer`: RFC 8414, plus the OIDC members with `oidc`. */
function metadata(issuer: string, clientAuth: OAuth2ClientAuth, revocation: boolean, oidc: boolean): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    issuer,
    authorization_endpoint: `${issuer}/oauth/authorize`,
    token_endpoint: tokenUrl(issuer),
    ...(revocation
      ? { revocation_endpoint: revocationUrl(issuer), revocation_endpoint_auth_methods_supported: [clientAuth] }
      : {}),
    grant_types_supported: ['authorization_code', 'refresh_token'],
    response_types_supported: ['code'],
    token_endpoint_auth_methods_supported: [clientAuth],
    scopes_supported: GRANT_SCOPE.split(' '),
    code_challenge_methods_supported: ['S256'],
  };
  if (oidc) {
    doc['jwks_uri'] = `${issuer}/oauth/jwks`;
    doc['subject_types_supported'] = ['public'];
    doc['id_token_signing_alg_values_supported'] = ['RS256'];
  }
  return doc;
}

/** The token endpoint: a refresh_token grant of this client redeemed (RFC 6749 §6), the scope narrowed on request. */
function refresh(h: HarnessContext, client: Client, req: RecordedRequest, ctx: CallContext): Reply | SuccessView {
  const form = readForm(req);
  if (!(form instanceof URLSearchParams)) return form;
  const refused = authenticate(client, req, form);
  if (refused) return refused;
  const grantType = form.get('grant_type');
  if (!grantType) return oauthError('invalid_request', 'grant_type is required.');
  if (grantType === 'authorization_code') return oauthError('invalid_grant', 'The authorization code is invalid or expired.');
  if (grantType !== 'refresh_token') return oauthError('unsupported_grant_type', `Unsupported grant_type "${grantType}".`);
  const token = form.get('refresh_token');
  if (!token) return oauthError('invalid_request', 'refresh_token is required.');
  const requested = form.get('scope')?.split(' ').filter(Boolean);

  let scope = GRANT_SCOPE;
  const result = h.grants.redeem(token, {
    accessTtlSec: ctx.accessTtlSec,
    belongsTo: ownedBy(client),
    check: (grant) => {
      const granted = (grant.attrs['scope'] ?? '').split(' ');
      if (requested === undefined) return undefined;
      const excess = requested.filter((s) => !granted.includes(s));
      if (requested.length === 0 || excess.length > 0) return oauthError('invalid_scope', `Scope not granted: ${excess.join(' ') || '(empty)'}.`);
      scope = requested.join(' ');
      return undefined;
    },
    claims: () => ({ scope }),
  });
  if (!result.ok) return result.reason === 'check' ? result.reply : oauthError('invalid_grant', REJECTIONS[result.reason]);
  return success(result.accessToken, result.expiresIn, result.rotated ? result.refreshToken : undefined, scope);
}

function setup(h: HarnessContext): VendorWire {
  const raw = h.options.raw;
  const clientAuth: OAuth2ClientAuth = raw.clientAuth ?? 'client_secret_basic';
  const discovery = raw.discovery ?? 'both';
  const revocation = raw.revocation ?? true;
  const issuerPath = normalizeIssuerPath(raw.issuerPath);
  // The secret has characters that must be form-encoded inside Basic credentials (RFC 6749 §2.3.1).
  const client: Client = { id: `sim-client-${randomAlnum(12)}`, secret: `${randomToken(24)}~+/=:%`, auth: clientAuth };

  const routes: VendorWire['routes'] = [
    {
      method: 'POST',
      path: `${issuerPath}/oauth/token`,
      faults: true,
      handle: (req, ctx) => refresh(h, client, req, ctx),
    },
  ];
  if (revocation) {
    routes.push({
      method: 'POST',
      path: `${issuerPath}/oauth/revoke`,
      faults: true,
      handle(req) {
        const form = readForm(req);
        if (!(form instanceof URLSearchParams)) return form;
        const refused = authenticate(client, req, form);
        if (refused) return refused;
        const token = form.get('token');
        if (!token) return oauthError('invalid_request', 'token is required.');
        h.grants.revokeToken(token, ownedBy(client)); // unknown tokens too: 200 (RFC 7009 §2.2)
        return { status: 200, headers: NO_STORE, body: '' };
      },
    });
  }
  const discoveryDocument = (oidc: boolean): Reply => json(200, metadata(h.url, clientAuth, revocation, oidc));
  if (discovery !== 'oidc') {
    routes.push({ method: 'GET', path: `/.well-known/oauth-authorization-server${issuerPath}`, faults: false, handle: () => discoveryDocument(false) });
  }
  if (discovery !== 'rfc8414') {
    routes.push({ method: 'GET', path: `${issuerPath}/.well-known/openid-configuration`, faults: false, handle: () => discoveryDocument(true) });
  }

  return {
    routes,
    rateLimited: () => json(429, { error: 'too_many_requests', error_description: 'Rate limit exceeded.' }),
    serverError: () => oauthError('server_error'),
    vendorError: (code) => (/^[a-z_]+$/.test(code) ? oauthError(code) : undefined),
    sampleSuccess: () => success(opaqueToken('at'), h.options.accessTtlSec, opaqueToken('rt'), GRANT_SCOPE),
    issue(overrides) {
      const issued = h.grants.create({
        subject: `user-${randomAlnum(10)}`,
        attrs: { client_id: client.id, scope: GRANT_SCOPE },
        claims: { client_id: client.id, aud: client.id, scope: GRANT_SCOPE },
        refreshTtlSec: overrides.refreshTtlSec,
      });
      const settings: Record<string, string> = {
        issuer: h.url,
        token_url: tokenUrl(h.url),
        ...(revocation ? { revocation_url: revocationUrl(h.url) } : {}),
        client_id: client.id,
        client_auth: clientAuth,
        scope: GRANT_SCOPE,
      };
      return grantFor(issued, settings, clientAuth === 'none' ? {} : { client_secret: client.secret });
    },
  };
}

export function startOAuth2Simulator(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulatorServer(
    {
      providerId: 'oauth2',
      basePath: normalizeIssuerPath(options.issuerPath),
      defaults: { accessTtlSec: 3600, rotate: true, jwtAccessTokens: true },
      revokeFamilyOnReuse: true,
      setup,
    },
    options,
  );
}
