// UPS OAuth (docs/PROVIDERS.md "ups"): every value of a success answer is a JSON string.
// - refresh: POST /security/v1/oauth/refresh, Basic client auth, form grant_type=refresh_token.
// - sign-in (harness/authorization.ts): GET /security/v1/oauth/authorize, then POST
//   /security/v1/oauth/token with grant_type=authorization_code, code, redirect_uri and Basic
//   client auth, or with PKCE client_id + code_verifier in the body and no Basic.
// - client credentials: POST /security/v1/oauth/token, Basic, grant_type=client_credentials,
//   optional x-merchant-id header (kept on the grant as merchant_id).
import {
  SignIn,
  basicCredentials,
  grantFor,
  json,
  mediaType,
  opaqueToken,
  randomAlnum,
  startSimulatorServer,
  type CodeExchange,
  type HarnessContext,
  type IssuedGrant,
  type Reply,
  type SignInClient,
  type Simulator,
  type SimulatorOptions,
  type SuccessView,
  type VendorWire,
} from './harness.js';

const REFRESH_PATH = '/security/v1/oauth/refresh';
const TOKEN_PATH = '/security/v1/oauth/token';
const AUTHORIZE_PATH = '/security/v1/oauth/authorize';
const FORM = 'application/x-www-form-urlencoded';

function upsError(status: number, code: string, message: string): Reply {
  return json(status, { response: { errors: [{ code, message }] } });
}

const INVALID_AUTH_HEADER = () => upsError(400, '10400', 'Invalid Authentication Header');
const INVALID_CLIENT = () => upsError(401, '10401', 'ClientId is Invalid');
const INVALID_REFRESH_TOKEN = () => upsError(401, '10400', 'Invalid Refresh Token');
const INVALID_CONTENT_TYPE = () => upsError(400, '10400', 'Invalid Content-Type');
const INVALID_GRANT_TYPE = () => upsError(400, '10400', 'Invalid grant_type');

/** A refused code exchange in UPS's error shape; the wording of the code refusal is the one UPS users report. */
function codeError(result: Extract<CodeExchange, { ok: false }>): Reply {
  switch (result.reason) {
    case 'missing':
      return upsError(400, '10400', result.description);
    case 'redirect_uri':
      return upsError(400, '10400', 'Redirect URI mismatch');
    case 'pkce':
      return upsError(400, '10400', 'Invalid code_verifier');
    default:
      return upsError(401, '10400', 'Invalid Authorization Code');
  }
}

interface UpsSuccess {
  clientId: string;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  issuedAt: number;
  refreshIssuedAt: number;
  refreshExpiresIn: number | undefined;
  refreshCount: number;
  scope?: string;
}

function success(s: UpsSuccess): SuccessView {
  const body: Record<string, unknown> = {
    refresh_token_expires_in: s.refreshExpiresIn === undefined ? '' : String(s.refreshExpiresIn),
    refresh_token_status: 'approved',
    token_type: 'Bearer',
    issued_at: String(s.issuedAt),
    client_id: s.clientId,
    access_token: s.accessToken,
    refresh_token: s.refreshToken,
    scope: s.scope ?? '',
    refresh_token_issued_at: String(s.refreshIssuedAt),
    expires_in: String(s.expiresIn),
    refresh_count: String(s.refreshCount),
    status: 'approved',
  };
  return {
    success: true,
    body,
    accessTokenPath: ['access_token'],
    refreshTokenPath: ['refresh_token'],
    expiresInPath: ['expires_in'],
  };
}

/** The client-credentials answer: UPS's token shape without any refresh-token member. */
function clientCredentialsSuccess(clientId: string, accessToken: string, expiresIn: number, issuedAt: number): SuccessView {
  return {
    success: true,
    body: {
      token_type: 'Bearer',
      issued_at: String(issuedAt),
      client_id: clientId,
      access_token: accessToken,
      expires_in: String(expiresIn),
      status: 'approved',
    },
    accessTokenPath: ['access_token'],
    expiresInPath: ['expires_in'],
  };
}

function setup(h: HarnessContext): VendorWire {
  // The registered application (client) issue() uses; the clients option can add more.
  const client: SignInClient = { id: randomAlnum(48), secret: randomAlnum(64) };
  const remainingSec = (expiresAt: number | undefined) =>
    expiresAt === undefined ? undefined : Math.max(0, Math.round((expiresAt - h.now()) / 1000));
  const signIn = new SignIn(h, {
    vendor: 'UPS',
    authorizePath: AUTHORIZE_PATH,
    decisionPath: `${AUTHORIZE_PATH}/decision`,
    defaultClient: client,
    requirePkce: false,
    clientCredentials: true,
    // UPS documents scope as optional and free-form: whatever is asked is granted.
    scope: (requested) => ({ ok: true, scope: requested ?? '' }),
    createGrant: (clientId, scope): IssuedGrant => h.grants.create({ subject: randomAlnum(16), attrs: { client_id: clientId, scope } }),
  });

  /** POST /security/v1/oauth/token: authorization_code (Basic, or PKCE without Basic) or client_credentials (Basic). */
  const token: VendorWire['routes'][number]['handle'] = (req, ctx) => {
    let authenticated: SignInClient | undefined;
    if (req.headers['authorization'] !== undefined) {
      const creds = basicCredentials(req);
      if (!creds) return INVALID_AUTH_HEADER();
      authenticated = signIn.authenticates(creds.user, creds.pass);
      if (!authenticated) return INVALID_CLIENT();
    }
    if (mediaType(req) !== FORM) return INVALID_CONTENT_TYPE();
    const form = new URLSearchParams(req.bodyText);
    const grantType = form.get('grant_type');
    const merchant = req.headers['x-merchant-id'];

    if (grantType === 'authorization_code') {
      const bodyId = form.get('client_id');
      let caller = authenticated;
      if (!caller) {
        // The PKCE form: no Basic; the client names itself and proves the code with its verifier.
        if (!form.get('code_verifier')) return INVALID_AUTH_HEADER();
        caller = signIn.client(bodyId);
        if (!caller) return INVALID_CLIENT();
      } else if (bodyId !== null && bodyId !== caller.id) {
        return INVALID_CLIENT();
      }
      const result = signIn.exchangeCode(caller.id, form, { requireVerifier: !authenticated });
      if (!result.ok) return codeError(result);
      const issued = result.issued;
      return success({
        clientId: caller.id,
        accessToken: issued.accessToken,
        refreshToken: issued.refreshToken,
        expiresIn: issued.expiresIn,
        issuedAt: h.now(),
        refreshIssuedAt: h.now(),
        refreshExpiresIn: issued.grant.refreshTtlSec,
        refreshCount: 0,
        scope: result.scope,
      });
    }
    if (grantType === 'client_credentials' && signIn.clientCredentialsEnabled) {
      if (!authenticated) return INVALID_AUTH_HEADER();
      const granted = signIn.clientCredentialsGrant(authenticated.id, '', ctx.accessTtlSec, merchant ? { merchant_id: merchant } : {});
      return clientCredentialsSuccess(authenticated.id, granted.accessToken, granted.expiresIn, h.now());
    }
    return INVALID_GRANT_TYPE();
  };

  return {
    signIn,
    routes: [
      ...signIn.routes(),
      { method: 'POST', path: TOKEN_PATH, faults: true, handle: token },
      {
        method: 'POST',
        path: REFRESH_PATH,
        faults: true,
        handle(req, ctx) {
          const creds = basicCredentials(req);
          if (!creds) return INVALID_AUTH_HEADER();
          if (!signIn.authenticates(creds.user, creds.pass)) return INVALID_CLIENT();
          if (mediaType(req) !== FORM) return INVALID_CONTENT_TYPE();
          const form = new URLSearchParams(req.bodyText);
          if (form.get('grant_type') !== 'refresh_token') return INVALID_GRANT_TYPE();
          const token = form.get('refresh_token');
          if (!token) return upsError(400, '10400', 'Missing refresh_token');

          const result = h.grants.redeem(token, {
            accessTtlSec: ctx.accessTtlSec,
            belongsTo: (g) => g.attrs['client_id'] === creds.user,
          });
          if (!result.ok) return INVALID_REFRESH_TOKEN();
          return success({
            clientId: creds.user,
            accessToken: result.accessToken,
            refreshToken: result.refreshToken,
            expiresIn: result.expiresIn,
            issuedAt: h.now(),
            refreshIssuedAt: result.refreshIssuedAt,
            refreshExpiresIn: remainingSec(result.refreshExpiresAt),
            refreshCount: result.grant.refreshCount,
            scope: result.grant.attrs['scope'],
          });
        },
      },
    ],
    rateLimited: () => upsError(429, '10429', 'Too Many Requests'),
    serverError: () => upsError(500, '10500', 'Internal Server Error'),
    vendorError(code) {
      switch (code) {
        case '10400':
          return INVALID_REFRESH_TOKEN();
        case '10400-auth':
          return INVALID_AUTH_HEADER();
        case '10401':
          return INVALID_CLIENT();
        case '10429':
          return upsError(429, '10429', 'Too Many Requests');
        default:
          return undefined;
      }
    },
    sampleSuccess: () =>
      success({
        clientId: client.id,
        accessToken: opaqueToken('at'),
        refreshToken: opaqueToken('rt'),
        expiresIn: h.options.accessTtlSec,
        issuedAt: h.now(),
        refreshIssuedAt: h.now(),
        refreshExpiresIn: h.options.refreshTtlSec,
        refreshCount: 1,
      }),
    issue(overrides) {
      const issued = h.grants.create({
        subject: randomAlnum(16),
        attrs: { client_id: client.id },
        refreshTtlSec: overrides.refreshTtlSec,
      });
      return grantFor(issued, { client_id: client.id }, { client_secret: client.secret });
    },
  };
}

export function startUpsSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulatorServer(
    {
      providerId: 'ups',
      basePath: '',
      defaults: { accessTtlSec: 14399, refreshTtlSec: 5183999, rotate: true, jwtAccessTokens: false },
      setup,
    },
    options,
  );
}
