// A standard OAuth 2.0 authorization server (docs/PROVIDERS.md "oauth2"):
// - refresh, RFC 6749 §6: POST {issuer}/oauth/token, form grant_type=refresh_token&refresh_token=…[&scope=…],
//   client auth client_secret_basic (id and secret form-urlencoded before base64, §2.3.1),
//   client_secret_post or none; success §5.1 with Cache-Control: no-store; errors §5.2.
// - revocation, RFC 7009: POST {issuer}/oauth/revoke, form token=…[&token_type_hint=…], same client
//   auth, 200 even for unknown tokens; revoking a refresh token revokes the grant.
// - discovery: RFC 8414 /.well-known/oauth-authorization-server and OIDC /.well-known/openid-configuration.
// - RFC 9700: refresh tokens rotate, and presenting a used one revokes the whole grant.
// - sign-in (harness/authorization.ts): authorization code + PKCE S256 at {issuer}/oauth/authorize,
//   the device authorization grant (RFC 8628) at {issuer}/oauth/device_authorization with its
//   page at {issuer}/device, and client credentials (RFC 6749 §4.4), all on the same token
//   endpoint with the same client authentication.
// - OpenID Connect: a grant whose scope has `openid` gets an ID token (a JWT with iss, sub,
//   aud, iat, exp; OIDC Core §2) beside its access token, at sign-in and at every refresh (§12.2).
import {
  SignIn,
  basicCredentials,
  grantFor,
  json,
  mediaType,
  mintJwt,
  opaqueToken,
  randomAlnum,
  randomToken,
  repeatedParams,
  startSimulatorServer,
  type CallContext,
  type GrantRecord,
  type HarnessContext,
  type IssuedGrant,
  type OAuth2ClientAuth,
  type RecordedRequest,
  type RefreshRejection,
  type Reply,
  type ScopeCheck,
  type SignInClient,
  type Simulator,
  type SimulatorOptions,
  type SuccessView,
  type VendorWire,
} from './harness.js';

const GRANT_SCOPE = 'read write';
/** Every scope a client may ask for: the grant's default ones, and `openid` for an ID token. */
const SUPPORTED_SCOPES = ['openid', ...GRANT_SCOPE.split(' ')];
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
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

/** The ID token of a grant with the `openid` scope (OIDC Core §2): who signed in, for which client, until when. */
function idTokenFor(issuer: string, grant: GrantRecord, expiresIn: number): string {
  const iat = Math.floor(Date.now() / 1000);
  return mintJwt({ iss: issuer, sub: grant.subject, aud: grant.attrs['client_id'], iat, exp: iat + expiresIn, auth_time: iat, name: `Simulated ${grant.subject}` });
}

function success(accessToken: string, expiresIn: number, refreshToken: string | undefined, scope: string, idToken?: string): SuccessView {
  const body: Record<string, unknown> = { access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn };
  if (refreshToken !== undefined) body['refresh_token'] = refreshToken;
  body['scope'] = scope;
  if (idToken !== undefined) body['id_token'] = idToken;
  return {
    success: true,
    body,
    headers: NO_STORE,
    accessTokenPath: ['access_token'],
    refreshTokenPath: ['refresh_token'],
    expiresInPath: ['expires_in'],
  };
}

function ownedBy(client: SignInClient): (grant: GrantRecord) => boolean {
  return (grant) => grant.attrs['client_id'] === client.id;
}

/** A requested scope within the server's scopes ('read write', the default when none is asked). */
function grantableScope(requested: string | undefined): ScopeCheck {
  if (requested === undefined) return { ok: true, scope: GRANT_SCOPE };
  const asked = requested.split(' ').filter(Boolean);
  const unknown = asked.filter((s) => !SUPPORTED_SCOPES.includes(s));
  if (asked.length === 0 || unknown.length > 0) return { ok: false, description: `Unknown scope: ${unknown.join(' ') || '(empty)'}.` };
  return { ok: true, scope: asked.join(' ') };
}

const tokenUrl = (issuer: string): string => `${issuer}/oauth/token`;
const revocationUrl = (issuer: string): string => `${issuer}/oauth/revoke`;

/** The registered client that authenticated as the server demands (`auth`), else the error answer. */
function authenticate(signIn: SignIn, auth: OAuth2ClientAuth, req: RecordedRequest, form: URLSearchParams): SignInClient | Reply {
  const header = req.headers['authorization'];
  const bodyId = form.get('client_id');
  const bodySecret = form.get('client_secret');
  if (header !== undefined && bodySecret !== null) return oauthError('invalid_request', 'More than one client authentication method.');
  if (auth === 'client_secret_basic') {
    if (header === undefined) return oauthError('invalid_client', 'Client authentication required (client_secret_basic).');
    const creds = basicCredentials(req);
    if (!creds) return oauthError('invalid_client', 'Malformed Basic credentials.');
    const id = formDecode(creds.user);
    const client = signIn.authenticates(id, formDecode(creds.pass));
    if (!client) return oauthError('invalid_client', 'Client authentication failed.');
    if (bodyId !== null && bodyId !== id) return oauthError('invalid_client', 'client_id does not match the authenticated client.');
    return client;
  }
  if (auth === 'client_secret_post') {
    if (header !== undefined) return oauthError('invalid_client', 'This client authenticates with client_secret_post.');
    if (bodyId === null || bodySecret === null) return oauthError('invalid_client', 'client_id and client_secret are required in the body.');
    return signIn.authenticates(bodyId, bodySecret) ?? oauthError('invalid_client', 'Client authentication failed.');
  }
  if (header !== undefined || bodySecret !== null) return oauthError('invalid_client', 'This is a public client: send client_id only.');
  if (bodyId === null) return oauthError('invalid_client', 'client_id is required.');
  return signIn.client(bodyId) ?? oauthError('invalid_client', 'Unknown client.');
}

const isReply = (value: SignInClient | Reply): value is Reply => 'status' in value;

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

interface ServerShape {
  clientAuth: OAuth2ClientAuth;
  revocation: boolean;
  clientCredentials: boolean;
}

/** The discovery document of the server at `issuer`: RFC 8414, plus the OIDC members with `oidc`. */
function metadata(issuer: string, shape: ServerShape, oidc: boolean): Record<string, unknown> {
  const { clientAuth } = shape;
  const doc: Record<string, unknown> = {
    issuer,
    authorization_endpoint: `${issuer}/oauth/authorize`,
    token_endpoint: tokenUrl(issuer),
    device_authorization_endpoint: `${issuer}/oauth/device_authorization`,
    ...(shape.revocation
      ? { revocation_endpoint: revocationUrl(issuer), revocation_endpoint_auth_methods_supported: [clientAuth] }
      : {}),
    grant_types_supported: ['authorization_code', 'refresh_token', ...(shape.clientCredentials ? ['client_credentials'] : []), DEVICE_GRANT],
    response_types_supported: ['code'],
    token_endpoint_auth_methods_supported: [clientAuth],
    scopes_supported: SUPPORTED_SCOPES,
    code_challenge_methods_supported: ['S256'],
  };
  if (oidc) {
    doc['jwks_uri'] = `${issuer}/oauth/jwks`;
    doc['subject_types_supported'] = ['public'];
    doc['id_token_signing_alg_values_supported'] = ['RS256'];
  }
  return doc;
}

/** The token endpoint: the client authenticated, then its grant type served. */
function token(h: HarnessContext, signIn: SignIn, clientAuth: OAuth2ClientAuth, req: RecordedRequest, ctx: CallContext): Reply | SuccessView {
  const form = readForm(req);
  if (!(form instanceof URLSearchParams)) return form;
  const client = authenticate(signIn, clientAuth, req, form);
  if (isReply(client)) return client;
  const grantType = form.get('grant_type');
  if (!grantType) return oauthError('invalid_request', 'grant_type is required.');
  const withOpenId = (scope: string, grant: GrantRecord, expiresIn: number) => (scope.split(' ').includes('openid') ? idTokenFor(h.url, grant, expiresIn) : undefined);
  const signedIn = (issued: IssuedGrant, scope: string) => success(issued.accessToken, issued.expiresIn, issued.refreshToken, scope, withOpenId(scope, issued.grant, issued.expiresIn));
  switch (grantType) {
    case 'refresh_token':
      return refresh(h, client, form, ctx);
    case 'authorization_code': {
      const result = signIn.exchangeCode(client.id, form);
      return result.ok ? signedIn(result.issued, result.scope) : oauthError(result.error, result.description);
    }
    case DEVICE_GRANT: {
      const result = signIn.pollDevice(client.id, form);
      return result.ok ? signedIn(result.issued, result.scope) : oauthError(result.error, result.description);
    }
    case 'client_credentials': {
      if (!signIn.clientCredentialsEnabled) return oauthError('unsupported_grant_type', 'Unsupported grant_type "client_credentials".');
      if (clientAuth === 'none') return oauthError('unauthorized_client', 'A public client cannot use client_credentials.');
      const scope = grantableScope(form.get('scope') ?? undefined);
      if (!scope.ok) return oauthError('invalid_scope', scope.description);
      const granted = signIn.clientCredentialsGrant(client.id, scope.scope, ctx.accessTtlSec);
      return success(granted.accessToken, granted.expiresIn, undefined, granted.scope);
    }
    default:
      return oauthError('unsupported_grant_type', `Unsupported grant_type "${grantType}".`);
  }
}

/** grant_type=refresh_token: a grant of this client redeemed (RFC 6749 §6), the scope narrowed on request. */
function refresh(h: HarnessContext, client: SignInClient, form: URLSearchParams, ctx: CallContext): Reply | SuccessView {
  const token = form.get('refresh_token');
  if (!token) return oauthError('invalid_request', 'refresh_token is required.');
  const requested = form.get('scope')?.split(' ').filter(Boolean);

  let scope = GRANT_SCOPE;
  const result = h.grants.redeem(token, {
    accessTtlSec: ctx.accessTtlSec,
    belongsTo: ownedBy(client),
    check: (grant) => {
      scope = grant.attrs['scope'] ?? GRANT_SCOPE;
      const granted = scope.split(' ');
      if (requested === undefined) return undefined;
      const excess = requested.filter((s) => !granted.includes(s));
      if (requested.length === 0 || excess.length > 0) return oauthError('invalid_scope', `Scope not granted: ${excess.join(' ') || '(empty)'}.`);
      scope = requested.join(' ');
      return undefined;
    },
    claims: () => ({ scope }),
  });
  if (!result.ok) return result.reason === 'check' ? result.reply : oauthError('invalid_grant', REJECTIONS[result.reason]);
  const idToken = scope.split(' ').includes('openid') ? idTokenFor(h.url, result.grant, result.expiresIn) : undefined;
  return success(result.accessToken, result.expiresIn, result.rotated ? result.refreshToken : undefined, scope, idToken);
}

function setup(h: HarnessContext): VendorWire {
  const raw = h.options.raw;
  const clientAuth: OAuth2ClientAuth = raw.clientAuth ?? 'client_secret_basic';
  const discovery = raw.discovery ?? 'both';
  const revocation = raw.revocation ?? true;
  const issuerPath = normalizeIssuerPath(raw.issuerPath);
  // The secret has characters that must be form-encoded inside Basic credentials (RFC 6749 §2.3.1).
  const client: SignInClient = { id: `sim-client-${randomAlnum(12)}`, secret: `${randomToken(24)}~+/=:%` };
  const createGrant = (clientId: string, scope: string): IssuedGrant =>
    h.grants.create({
      subject: `user-${randomAlnum(10)}`,
      attrs: { client_id: clientId, scope },
      claims: { client_id: clientId, aud: clientId, scope },
    });
  const signIn = new SignIn(h, {
    vendor: 'OAuth 2.0 server',
    authorizePath: `${issuerPath}/oauth/authorize`,
    decisionPath: `${issuerPath}/oauth/authorize/decision`,
    defaultClient: client,
    requirePkce: true,
    clientCredentials: true,
    scope: grantableScope,
    createGrant,
    revokeOnCodeReuse: true,
    device: { pagePath: `${issuerPath}/device`, decisionPath: `${issuerPath}/device/decision`, verificationUri: () => `${h.url}/device` },
  });
  const shape: ServerShape = { clientAuth, revocation, clientCredentials: signIn.clientCredentialsEnabled };

  const routes: VendorWire['routes'] = [
    {
      method: 'POST',
      path: `${issuerPath}/oauth/token`,
      faults: true,
      handle: (req, ctx) => token(h, signIn, clientAuth, req, ctx),
    },
    {
      method: 'POST',
      path: `${issuerPath}/oauth/device_authorization`,
      faults: false,
      handle(req) {
        const form = readForm(req);
        if (!(form instanceof URLSearchParams)) return form;
        const authenticated = authenticate(signIn, clientAuth, req, form);
        if (isReply(authenticated)) return authenticated;
        const scope = grantableScope(form.get('scope') ?? undefined);
        if (!scope.ok) return oauthError('invalid_scope', scope.description);
        return json(200, signIn.startDevice(authenticated.id, scope.scope), NO_STORE);
      },
    },
    ...signIn.routes(),
  ];
  if (revocation) {
    routes.push({
      method: 'POST',
      path: `${issuerPath}/oauth/revoke`,
      faults: true,
      handle(req) {
        const form = readForm(req);
        if (!(form instanceof URLSearchParams)) return form;
        const authenticated = authenticate(signIn, clientAuth, req, form);
        if (isReply(authenticated)) return authenticated;
        const token = form.get('token');
        if (!token) return oauthError('invalid_request', 'token is required.');
        h.grants.revokeToken(token, ownedBy(authenticated)); // unknown tokens too: 200 (RFC 7009 §2.2)
        return { status: 200, headers: NO_STORE, body: '' };
      },
    });
  }
  const discoveryDocument = (oidc: boolean): Reply => json(200, metadata(h.url, shape, oidc));
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
    signIn,
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
