// UPS OAuth refresh (docs/PROVIDERS.md "ups"): POST /security/v1/oauth/refresh with
// Basic client auth and a form body; every value of the success answer is a JSON string.
import {
  basicCredentials,
  grantFor,
  json,
  mediaType,
  opaqueToken,
  randomAlnum,
  startSimulatorServer,
  type HarnessContext,
  type Reply,
  type Simulator,
  type SimulatorOptions,
  type SuccessView,
  type VendorWire,
} from './harness.js';

const REFRESH_PATH = '/security/v1/oauth/refresh';

function upsError(status: number, code: string, message: string): Reply {
  return json(status, { response: { errors: [{ code, message }] } });
}

const INVALID_AUTH_HEADER = () => upsError(400, '10400', 'Invalid Authentication Header');
const INVALID_CLIENT = () => upsError(401, '10401', 'ClientId is Invalid');
const INVALID_REFRESH_TOKEN = () => upsError(401, '10400', 'Invalid Refresh Token');

interface UpsSuccess {
  clientId: string;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  issuedAt: number;
  refreshIssuedAt: number;
  refreshExpiresIn: number | undefined;
  refreshCount: number;
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
    scope: '',
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

function setup(h: HarnessContext): VendorWire {
  // One registered application (client) per simulator; every grant belongs to it.
  const client = { id: randomAlnum(48), secret: randomAlnum(64) };
  const remainingSec = (expiresAt: number | undefined) =>
    expiresAt === undefined ? undefined : Math.max(0, Math.round((expiresAt - h.now()) / 1000));

  return {
    routes: [
      {
        method: 'POST',
        path: REFRESH_PATH,
        faults: true,
        handle(req, ctx) {
          const creds = basicCredentials(req);
          if (!creds) return INVALID_AUTH_HEADER();
          if (creds.user !== client.id || creds.pass !== client.secret) return INVALID_CLIENT();
          if (mediaType(req) !== 'application/x-www-form-urlencoded') return upsError(400, '10400', 'Invalid Content-Type');
          const form = new URLSearchParams(req.bodyText);
          if (form.get('grant_type') !== 'refresh_token') return upsError(400, '10400', 'Invalid grant_type');
          const token = form.get('refresh_token');
          if (!token) return upsError(400, '10400', 'Missing refresh_token');

          const result = h.grants.redeem(token, {
            accessTtlSec: ctx.accessTtlSec,
            belongsTo: (g) => g.attrs['client_id'] === creds.user,
          });
          if (!result.ok) return INVALID_REFRESH_TOKEN();
          return success({
            clientId: client.id,
            accessToken: result.accessToken,
            refreshToken: result.refreshToken,
            expiresIn: result.expiresIn,
            issuedAt: h.now(),
            refreshIssuedAt: result.refreshIssuedAt,
            refreshExpiresIn: remainingSec(result.refreshExpiresAt),
            refreshCount: result.grant.refreshCount,
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
