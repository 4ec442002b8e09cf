// Banyan Security Command Center refresh (docs/PROVIDERS.md "banyan"), base path /api.
// v1: POST /v1/refresh_token, `Authorization: Bearer <refresh token or API key>`, no body →
//     {"Message": "<access token JWT>"}; the refresh token is reusable unless `rotate` is set.
// v2: POST /v2/refresh_token, `Authorization: Bearer <access token>` → a new refresh token in
//     the envelope {request_id, error_code, error_description, data}.
// The access token's lifetime is only in its JWT `exp` (no expires_in anywhere).
import {
  authorization,
  grantFor,
  json,
  opaqueToken,
  randomAlnum,
  randomUUID,
  startSimulatorServer,
  text,
  type HarnessContext,
  type RecordedRequest,
  type Reply,
  type Simulator,
  type SimulatorOptions,
  type SuccessView,
  type VendorWire,
} from './harness.js';

const BASE_PATH = '/api';

function envelopeError(status: number, description: string): Reply {
  return json(status, { request_id: randomUUID(), error_code: status, error_description: description, data: 0 });
}

const UNAUTHORIZED = () => envelopeError(401, 'invalid or expired token');
const FORBIDDEN = () => envelopeError(403, 'forbidden');
const BAD_REQUEST = () => json(400, { Message: 'bad request' });

function envelope(data: Record<string, unknown>): SuccessView {
  return {
    success: true,
    body: { request_id: randomUUID(), error_code: 0, error_description: '', data },
    accessTokenPath: 'access_token' in data ? ['data', 'access_token'] : undefined,
    refreshTokenPath: 'refresh_token' in data ? ['data', 'refresh_token'] : undefined,
  };
}

/** The v1 answer: {"Message": token}, or the envelope (always when a new refresh token must travel). */
function v1Success(accessToken: string, newRefreshToken: string | undefined, useEnvelope: boolean): SuccessView {
  if (newRefreshToken !== undefined) return envelope({ access_token: accessToken, refresh_token: newRefreshToken });
  if (useEnvelope) return envelope({ access_token: accessToken });
  return { success: true, body: { Message: accessToken }, accessTokenPath: ['Message'] };
}

/** The bearer token, or the reply for a missing (401) or malformed (400) Authorization header. */
function bearer(req: RecordedRequest): string | Reply {
  if (req.headers['authorization'] === undefined) return UNAUTHORIZED();
  const auth = authorization(req);
  return auth?.scheme === 'bearer' ? auth.credentials : BAD_REQUEST();
}

function setup(h: HarnessContext): VendorWire {
  const useEnvelope = h.options.raw.v2Envelope ?? false;
  return {
    routes: [
      {
        method: 'POST',
        path: `${BASE_PATH}/v1/refresh_token`,
        faults: true,
        handle(req, ctx) {
          const token = bearer(req);
          if (typeof token !== 'string') return token;
          const result = h.grants.redeem(token, { accessTtlSec: ctx.accessTtlSec });
          if (!result.ok) return h.grants.accessGrant(token) ? FORBIDDEN() : UNAUTHORIZED();
          return v1Success(result.accessToken, result.rotated ? result.refreshToken : undefined, useEnvelope);
        },
      },
      {
        method: 'POST',
        path: `${BASE_PATH}/v2/refresh_token`,
        faults: true,
        handle(req) {
          const token = bearer(req);
          if (typeof token !== 'string') return token;
          const grant = h.grants.accessGrant(token);
          if (!grant) return h.grants.isValidRefreshToken(token) ? FORBIDDEN() : UNAUTHORIZED();
          return envelope({ refresh_token: h.grants.renewRefreshToken(grant) });
        },
      },
    ],
    rateLimited: () => envelopeError(429, 'too many requests'),
    serverError: () => text(500, 'Internal Server Error'),
    vendorError(code) {
      if (code === '401') return UNAUTHORIZED();
      if (code === '403') return FORBIDDEN();
      if (code === '400') return BAD_REQUEST();
      return undefined;
    },
    sampleSuccess: () => v1Success(opaqueToken('at'), undefined, useEnvelope),
    issue(overrides) {
      const email = `user-${randomAlnum(8).toLowerCase()}@example.com`;
      const issued = h.grants.create({
        subject: randomUUID(),
        claims: { Email: email, OrgName: 'tokendesk-sim' },
        refreshTtlSec: overrides.refreshTtlSec,
      });
      return grantFor(issued, {});
    },
  };
}

export function startBanyanSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulatorServer(
    {
      providerId: 'banyan',
      basePath: BASE_PATH,
      defaults: { accessTtlSec: 3600, rotate: false, jwtAccessTokens: true },
      expiresInOnlyInJwt: true,
      setup,
    },
    options,
  );
}
