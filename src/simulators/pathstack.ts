// PathStack refresh (docs/PROVIDERS.md "pathstack"): a FastAPI service. POST /refresh with
// a JSON body {sub, refresh_token}, optional x-api-version header, no auth header. Validation
// errors are pydantic's, wrapped in PathStack's {"error": {...}} envelope (first error only).
// Sign-in: POST /token with JSON {username, password} → the same {data: {...}} with `sub` and
// a refresh token (the shape public material describes but does not confirm).
import {
  grantFor,
  isRecord,
  json,
  mediaType,
  opaqueToken,
  parseJson,
  randomAlnum,
  randomUUID,
  recordIssuedSecret,
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

const DEFAULT_API_VERSION = '2024-03-27';

function pathstackError(code: number, message: string): Reply {
  return json(code, { error: { code, message } });
}

function validationError(loc: (string | number)[], msg: string, type: string): Reply {
  return json(422, { error: { code: 422, message: msg, loc, msg, type } });
}

const INVALID_REFRESH_TOKEN = () => pathstackError(401, 'Invalid Refresh Token');
const FIELD_REQUIRED = (field: string) => validationError(['body', field], 'Field required', 'missing');

/** pydantic `date`: YYYY-MM-DD that exists in the calendar. */
function isDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}

/** pydantic UUID4: hyphenated or 32 hex digits, version nibble 4. Returns the canonical hex or a validation error. */
function uuid4(value: unknown): string | Reply {
  if (typeof value !== 'string') return validationError(['body', 'sub'], 'UUID input should be a string, bytes or UUID object', 'uuid_type');
  const hex = value.trim().toLowerCase().replace(/^urn:uuid:/, '').replace(/^\{(.*)\}$/, '$1').replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/.test(hex)) return validationError(['body', 'sub'], 'Input should be a valid UUID', 'uuid_parsing');
  if (hex[12] !== '4') return validationError(['body', 'sub'], 'UUID version 4 expected', 'uuid_version');
  return hex;
}

/** The request validated as FastAPI would: the first error as a Reply, else the fields. */
function validate(req: RecordedRequest): Reply | { subHex: string; refreshToken: string } {
  const version = req.headers['x-api-version'];
  if (version !== undefined && !isDate(version)) {
    return validationError(['header', 'x-api-version'], 'Input should be a valid date in the format YYYY-MM-DD', 'date_from_datetime_parsing');
  }
  if (req.bodyText.trim() === '') return validationError(['body'], 'Field required', 'missing');
  const type = mediaType(req);
  const isJson = type === '' || type === 'application/json' || type.endsWith('+json');
  const parsed = isJson ? parseJson(req.bodyText) : undefined;
  if (parsed && !parsed.ok) return validationError(['body', 0], 'JSON decode error', 'json_invalid');
  const body = parsed?.ok ? parsed.value : undefined;
  if (!isRecord(body)) {
    return validationError(['body'], 'Input should be a valid dictionary or object to extract fields from', 'model_attributes_type');
  }
  if (!('sub' in body)) return FIELD_REQUIRED('sub');
  const subHex = uuid4(body['sub']);
  if (typeof subHex !== 'string') return subHex;
  if (!('refresh_token' in body)) return FIELD_REQUIRED('refresh_token');
  const refreshToken = body['refresh_token'];
  if (typeof refreshToken !== 'string') return validationError(['body', 'refresh_token'], 'Input should be a valid string', 'string_type');
  return { subHex, refreshToken };
}

function success(accessToken: string, expiresIn: number, refreshToken: string | undefined): SuccessView {
  const data: Record<string, unknown> = { token_type: 'bearer', expires_in: expiresIn, access_token: accessToken };
  if (refreshToken !== undefined) data['refresh_token'] = refreshToken;
  return {
    success: true,
    body: { data },
    accessTokenPath: ['data', 'access_token'],
    refreshTokenPath: ['data', 'refresh_token'],
    expiresInPath: ['data', 'expires_in'],
  };
}

/** A new grant for `sub`, as `issue()` and the password sign-in make. */
function newGrant(h: HarnessContext, refreshTtlSec?: number) {
  const sub = randomUUID();
  const issued = h.grants.create({ subject: sub, attrs: { sub, sub_hex: sub.replace(/-/g, '') }, refreshTtlSec });
  return { sub, issued };
}

function setup(h: HarnessContext): VendorWire {
  const omitRefreshToken = h.options.raw.omitRefreshToken ?? false;
  const user = { username: 'demo@pathstack.test', password: recordIssuedSecret(`pw-${randomAlnum(20)}`) };
  return {
    passwordUser: user,
    routes: [
      {
        method: 'POST',
        path: '/token',
        faults: true,
        handle(req) {
          const parsed = parseJson(req.bodyText);
          const body = parsed.ok && isRecord(parsed.value) ? parsed.value : undefined;
          if (!body) return validationError(['body'], 'Input should be a valid dictionary or object to extract fields from', 'model_attributes_type');
          if (typeof body['username'] !== 'string') return FIELD_REQUIRED('username');
          if (typeof body['password'] !== 'string') return FIELD_REQUIRED('password');
          if (body['username'] !== user.username || body['password'] !== user.password) return pathstackError(401, 'Incorrect username or password');
          const { sub, issued } = newGrant(h);
          const view = success(issued.accessToken, issued.expiresIn, issued.refreshToken);
          (view.body['data'] as Record<string, unknown>)['sub'] = sub;
          return view;
        },
      },
      {
        method: 'POST',
        path: '/refresh',
        faults: true,
        handle(req, ctx) {
          const input = validate(req);
          if ('status' in input) return input;
          const result = h.grants.redeem(input.refreshToken, {
            accessTtlSec: ctx.accessTtlSec,
            rotate: omitRefreshToken ? false : undefined,
            belongsTo: (g) => g.attrs['sub_hex'] === input.subHex,
          });
          if (!result.ok) return INVALID_REFRESH_TOKEN();
          return success(result.accessToken, result.expiresIn, result.rotated ? result.refreshToken : undefined);
        },
      },
    ],
    rateLimited: () => pathstackError(429, 'Too Many Requests'),
    serverError: () => text(500, 'Internal Server Error'),
    vendorError(code) {
      if (code === '401') return INVALID_REFRESH_TOKEN();
      if (code === '422') return FIELD_REQUIRED('sub');
      return undefined;
    },
    sampleSuccess: () => success(opaqueToken('at'), h.options.accessTtlSec, opaqueToken('rt')),
    issue(overrides) {
      const { sub, issued } = newGrant(h, overrides.refreshTtlSec);
      return grantFor(issued, { sub, api_version: DEFAULT_API_VERSION });
    },
  };
}

export function startPathstackSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulatorServer(
    {
      providerId: 'pathstack',
      basePath: '',
      defaults: { accessTtlSec: 3600, rotate: true, jwtAccessTokens: false },
      setup,
    },
    options,
  );
}
