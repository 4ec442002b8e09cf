// Runs a provider spec over the HTTP layer: resolve endpoints, send, classify or
// parse. Every error leaving here is a ProviderError with the account's secrets
// redacted — the engine, history and UI can show its message as it is.
import type { TokenSet } from '../../../shared/domain.js';
import { sendRequest, type HttpOptions, type WireRequest, type WireResponse } from '../net/http.js';
import { ProviderError } from '../net/provider-error.js';
import { Redactor } from '../net/redact.js';
import { parseJsonLoose } from './common.js';
import type { ProviderAccount, ProviderSpec, ResolvedEndpoints } from './types.js';

export interface CallOptions extends Omit<HttpOptions, 'secrets'> {
  now?: () => number;
  /** Endpoints discovered earlier for this account (saves a round trip). */
  endpoints?: ResolvedEndpoints;
}

export interface RefreshResult {
  tokens: TokenSet;
  /** Non-secret settings the answer carried (a password sign-in's `sub`), merged into the account. */
  settings?: Record<string, string>;
  httpStatus: number;
  durationMs: number;
  endpoints?: ResolvedEndpoints;
}

export function accountRedactor(account: ProviderAccount): Redactor {
  return new Redactor(Object.values(account.secrets));
}

export async function refreshTokens(spec: ProviderSpec, account: ProviderAccount, options: CallOptions = {}): Promise<RefreshResult> {
  return requestTokens(spec, account, (endpoints) => spec.buildRefreshRequest(account, endpoints), options);
}

/**
 * Sends the token request `build` makes (a refresh, a code exchange, a device poll) and reads
 * the answer as a refresh's: classified on failure, parsed into a TokenSet on success.
 * `secrets` are redacted besides the account's (a sign-in's code and verifier).
 */
export async function requestTokens(
  spec: ProviderSpec,
  account: ProviderAccount,
  build: (endpoints: ResolvedEndpoints | undefined) => WireRequest,
  options: CallOptions & { secrets?: string[]; settingsFrom?: (response: WireResponse) => Record<string, string> } = {},
): Promise<RefreshResult> {
  const now = options.now ?? Date.now;
  const secrets = [...Object.values(account.secrets), ...(options.secrets ?? [])];
  const started = performance.now();
  return guard(new Redactor(secrets), async () => {
    const endpoints = await resolveEndpoints(spec, account, options);
    const response = await sendRequest(build(endpoints), { ...options, secrets });
    if (response.status < 200 || response.status >= 300) throw new ProviderError(spec.classifyFailure(response));
    const settings = options.settingsFrom?.(response);
    const tokens = spec.parseRefreshResponse(response, { account, sentRefreshToken: account.secrets['refresh_token'], now: now() });
    return { tokens, httpStatus: response.status, durationMs: performance.now() - started, endpoints, ...(settings ? { settings } : {}) };
  });
}

export interface RevokeResult {
  /** 'remote' when the vendor's revocation endpoint confirmed it; 'local_only' otherwise. */
  kind: 'remote' | 'local_only';
  httpStatus?: number;
  message: string;
}

/** RFC 7009 where the spec can; otherwise says that only local deletion is possible. */
export async function revokeTokens(spec: ProviderSpec, account: ProviderAccount, options: CallOptions = {}): Promise<RevokeResult> {
  const redactor = accountRedactor(account);
  return guard(redactor, async () => {
    if (!spec.buildRevokeRequest) return { kind: 'local_only', message: spec.revoke.sentence };
    const endpoints = await resolveEndpoints(spec, account, options);
    const request = spec.buildRevokeRequest(account, endpoints);
    if (!request) {
      return { kind: 'local_only', message: 'This server has no revocation endpoint: the tokens are deleted from this computer only, and stay valid at the server until they expire.' };
    }
    const response = await sendRequest(request, { ...options, secrets: Object.values(account.secrets) });
    // RFC 7009 §2.2: 200 even for unknown tokens; §2.2.1: 503 + Retry-After means try again.
    if (response.status === 200) return { kind: 'remote', httpStatus: 200, message: 'The server revoked the grant.' };
    throw new ProviderError(spec.classifyFailure(response));
  });
}

/** The account's endpoints: named by it, cached from an earlier discovery (`options.endpoints`), or discovered now. */
export async function resolveEndpoints(spec: ProviderSpec, account: ProviderAccount, options: CallOptions): Promise<ResolvedEndpoints | undefined> {
  if (!spec.discovery) return undefined;
  const given = spec.discovery.direct(account) ?? options.endpoints;
  if (given) return given;
  const candidates = spec.discovery.candidates(account);
  if (candidates.length === 0) {
    throw new ProviderError({ errorClass: 'config_error', message: 'Set either a token URL or an issuer URL for discovery' });
  }
  const failures: string[] = [];
  for (const url of candidates) {
    let response: WireResponse;
    try {
      response = await sendRequest({ method: 'GET', url, headers: {} }, { ...options, secrets: Object.values(account.secrets) });
    } catch (err) {
      if (err instanceof ProviderError && err.errorClass === 'transient') throw err;
      failures.push(`${new URL(url).pathname}: ${(err as Error).message}`);
      continue;
    }
    if (response.status >= 500) throw new ProviderError({ errorClass: 'transient', httpStatus: response.status, message: `Discovery failed: HTTP ${response.status} from ${url}` });
    if (response.status !== 200) {
      failures.push(`${new URL(url).pathname}: HTTP ${response.status}`);
      continue;
    }
    const doc = parseJsonLoose(response.bodyText);
    if (doc === undefined) {
      failures.push(`${new URL(url).pathname}: not JSON`);
      continue;
    }
    return spec.discovery.parse(doc, account);
  }
  throw new ProviderError({ errorClass: 'config_error', message: `No discovery document found for the issuer (${failures.join('; ')})` });
}

export async function guard<T>(redactor: Redactor, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ProviderError) {
      throw new ProviderError({
        errorClass: err.errorClass,
        httpStatus: err.httpStatus,
        retryAfterMs: err.retryAfterMs,
        vendorCode: err.vendorCode,
        rotatedRefreshToken: err.rotatedRefreshToken,
        message: redactor.redact(err.message),
      });
    }
    // A bug of ours must not lose the token either: report it as transient, redacted.
    throw new ProviderError({ errorClass: 'transient', message: redactor.redact(`Internal error: ${(err as Error)?.message ?? String(err)}`) });
  }
}
