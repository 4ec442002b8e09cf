// Ledgerly: a made-up vendor whose token endpoint has a shape unlike any built-in, served to
// prove that a provider file alone can describe a provider (README "Provider files",
// examples/providers/ledgerly.json). POST /v3/session/renew with the API key in
// `X-Ledgerly-Key` and a JSON body {"session": {"renewal": "…"}}; the answer nests the token at
// /data/auth/token, gives the expiry as an ISO date, rotates the renewal token every time, and
// reports every error as HTTP 200 with {"ok": false, "code": "EXPIRED", "message": "…"}.
import {
  grantFor,
  isRecord,
  json,
  mediaType,
  opaqueToken,
  parseJson,
  randomAlnum,
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

/** Ledgerly's error codes, all sent with HTTP 200. */
const ERRORS: Record<string, string> = {
  EXPIRED: 'The renewal token has expired or was already used.',
  BAD_KEY: 'The API key is not valid for this workspace.',
  SLOW_DOWN: 'Too many renewals; wait a minute.',
  MAINTENANCE: 'Ledgerly is under maintenance; try again shortly.',
};

function failure(code: string): Reply {
  return json(200, { ok: false, code, message: ERRORS[code] ?? code });
}

/** The renewal token from {"session": {"renewal": "…"}}; undefined when absent or unusable. */
function renewalOf(req: RecordedRequest): string | undefined {
  const parsed = parseJson(req.bodyText);
  const session = parsed.ok && isRecord(parsed.value) ? parsed.value['session'] : undefined;
  const token = isRecord(session) ? session['renewal'] : undefined;
  return typeof token === 'string' && token !== '' ? token : undefined;
}

function success(h: HarnessContext, accessToken: string, renewal: string, expiresIn: number, workspace: string): SuccessView {
  return {
    success: true,
    body: {
      ok: true,
      data: { auth: { token: accessToken, renewal, expires: new Date(h.now() + expiresIn * 1000).toISOString() }, workspace: { id: workspace, plan: 'team' } },
    },
    accessTokenPath: ['data', 'auth', 'token'],
    refreshTokenPath: ['data', 'auth', 'renewal'],
  };
}

function setup(h: HarnessContext): VendorWire {
  // One workspace and API key per simulator.
  const workspace = `ws_${randomAlnum(10)}`;
  const apiKey = recordIssuedSecret(`lk_${randomAlnum(32)}`);
  const newGrant = (refreshTtlSec?: number) => h.grants.create({ subject: workspace, attrs: { workspace }, claims: {}, refreshTtlSec });
  return {
    routes: [
      {
        method: 'POST',
        path: '/v3/session/renew',
        faults: true,
        handle(req, ctx) {
          if (req.headers['x-ledgerly-key'] !== apiKey) return failure('BAD_KEY');
          if (mediaType(req) !== 'application/json') return json(415, { ok: false, code: 'MEDIA_TYPE', message: 'Send JSON' });
          const renewal = renewalOf(req);
          if (renewal === undefined) return failure('EXPIRED');
          const result = h.grants.redeem(renewal, { accessTtlSec: ctx.accessTtlSec, belongsTo: (g) => g.attrs['workspace'] === workspace });
          if (!result.ok) return failure('EXPIRED');
          return success(h, result.accessToken, result.refreshToken, result.expiresIn, workspace);
        },
      },
    ],
    rateLimited: () => json(429, { ok: false, code: 'SLOW_DOWN', message: ERRORS['SLOW_DOWN'] }),
    serverError: () => json(500, { ok: false, code: 'INTERNAL', message: 'Internal error' }),
    vendorError: (code) => (ERRORS[code] ? failure(code) : undefined),
    sampleSuccess: () => success(h, opaqueToken('at'), opaqueToken('rt'), h.options.accessTtlSec, workspace),
    issue(overrides) {
      return grantFor(newGrant(overrides.refreshTtlSec), {}, { api_key: apiKey });
    },
  };
}

export function startLedgerlySimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulatorServer({ providerId: 'ledgerly', basePath: '', defaults: { accessTtlSec: 1800, rotate: true, jwtAccessTokens: false }, setup }, options);
}
