// Vault.ist partner API refresh (docs/PROVIDERS.md "vaultist"): an ASP.NET service.
// POST /v1/auth/token with headers `partnerId: <int32>` and `grantType: refresh_token`, JSON
// body {"refreshToken": "…"}. Token errors are OAuth-shaped {error, error_description}; the
// gateway's own errors (partner, media type, throttling) are {status, message, traceId, errors}.
// Sign-in: the same endpoint with `grantType: password_email` and {"email", "password"} (the
// shape public material describes but does not confirm).
import { randomBytes, randomInt } from 'node:crypto';
import {
  grantFor,
  isRecord,
  json,
  mediaType,
  opaqueToken,
  parseJson,
  randomAlnum,
  randomToken,
  recordIssuedSecret,
  startSimulatorServer,
  type HarnessContext,
  type RecordedRequest,
  type Reply,
  type Simulator,
  type SimulatorOptions,
  type SuccessView,
  type VendorWire,
} from './harness.js';

const INT32_MAX = 2 ** 31 - 1;

/** W3C trace-context id, as ASP.NET puts in traceId. */
function traceId(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-00`;
}

function problem(status: number, message: string): Reply {
  return json(status, { status, message, traceId: traceId(), errors: [] });
}

function oauthError(error: string, description: string): Reply {
  return json(400, { error, error_description: description });
}

const INVALID_GRANT = () => oauthError('invalid_grant', 'Refresh token has expired or is invalid.');
const MISSING_REFRESH_TOKEN = () => oauthError('invalid_request', 'Missing refresh token.');
const INVALID_PARTNER = () => problem(401, 'Invalid partner');

/** The refresh token from a JSON body {"refreshToken": "…"}; undefined when absent or unusable. */
function refreshTokenOf(req: RecordedRequest): string | undefined {
  const parsed = parseJson(req.bodyText);
  const token = parsed.ok && isRecord(parsed.value) ? parsed.value['refreshToken'] : undefined;
  return typeof token === 'string' && token.trim() !== '' ? token.trim() : undefined;
}

function success(accessToken: string, refreshToken: string | undefined, expiresIn: number): SuccessView {
  const body: Record<string, unknown> = { access_token: accessToken };
  if (refreshToken !== undefined) body['refresh_token'] = refreshToken;
  body['expires_in'] = expiresIn;
  body['token_type'] = 'Bearer';
  return {
    success: true,
    body,
    accessTokenPath: ['access_token'],
    refreshTokenPath: ['refresh_token'],
    expiresInPath: ['expires_in'],
  };
}

function setup(h: HarnessContext): VendorWire {
  // One partner per simulator, as one integration has one partner id.
  const partnerId = String(randomInt(1000, INT32_MAX));
  const user = { username: 'demo@vault.test', password: recordIssuedSecret(`pw-${randomAlnum(20)}`) };
  const newGrant = (refreshTtlSec?: number) =>
    h.grants.create({ subject: `partner-${partnerId}-user-${randomToken(6)}`, attrs: { partner_id: partnerId }, claims: { partnerId: Number(partnerId) }, refreshTtlSec });
  return {
    passwordUser: user,
    routes: [
      {
        method: 'POST',
        path: '/v1/auth/token',
        faults: true,
        handle(req, ctx) {
          const partner = (req.headers['partnerid'] ?? '').trim();
          if (!/^-?\d+$/.test(partner) || Math.abs(Number(partner)) > INT32_MAX || Number(partner) !== Number(partnerId)) {
            return INVALID_PARTNER();
          }
          const grantType = req.headers['granttype']?.trim();
          if (!grantType) return oauthError('invalid_request', 'Missing grant type.');
          if (grantType !== 'refresh_token' && grantType !== 'password_email') return oauthError('unsupported_grant_type', `Grant type "${grantType}" is not supported.`);
          const type = mediaType(req);
          if (type !== 'application/json' && !type.endsWith('+json')) return problem(415, 'Unsupported Media Type');
          if (grantType === 'password_email') {
            const parsed = parseJson(req.bodyText);
            const body = parsed.ok && isRecord(parsed.value) ? parsed.value : {};
            if (body['email'] !== user.username || body['password'] !== user.password) return oauthError('invalid_grant', 'Invalid email or password.');
            const issued = newGrant();
            return success(issued.accessToken, issued.refreshToken, issued.expiresIn);
          }
          const token = refreshTokenOf(req);
          if (token === undefined) return MISSING_REFRESH_TOKEN();

          const result = h.grants.redeem(token, {
            accessTtlSec: ctx.accessTtlSec,
            belongsTo: (g) => g.attrs['partner_id'] === partnerId,
          });
          if (!result.ok) return INVALID_GRANT();
          return success(result.accessToken, result.rotated ? result.refreshToken : undefined, result.expiresIn);
        },
      },
    ],
    rateLimited: () => problem(429, 'Too Many Requests'),
    serverError: () => problem(500, 'An unexpected error occurred.'),
    vendorError(code) {
      if (code === 'invalid_grant') return INVALID_GRANT();
      if (code === 'invalid_request') return MISSING_REFRESH_TOKEN();
      if (code === 'invalid_partner') return INVALID_PARTNER();
      return undefined;
    },
    sampleSuccess: () => success(opaqueToken('at'), opaqueToken('rt'), h.options.accessTtlSec),
    issue(overrides) {
      return grantFor(newGrant(overrides.refreshTtlSec), { partner_id: partnerId });
    },
  };
}

export function startVaultistSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulatorServer(
    {
      providerId: 'vaultist',
      basePath: '',
      defaults: { accessTtlSec: 3600, rotate: true, jwtAccessTokens: false },
      setup,
    },
    options,
  );
}
