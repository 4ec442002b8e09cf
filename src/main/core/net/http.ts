// The HTTP layer every provider call goes through: one timeout for the whole
// exchange (a trickling body counts), a response size cap, no redirect to another
// origin, our User-Agent, and secrets redacted from every error it raises.
import { USER_AGENT } from '../../../shared/version.js';
import { ProviderError } from './provider-error.js';
import { Redactor } from './redact.js';

export const DEFAULT_TIMEOUT_MS = 15_000;
export const MAX_RESPONSE_BYTES = 1024 * 1024;
const MAX_REDIRECTS = 3;

/** A request as it goes on the wire. Bodies are already encoded. */
export interface WireRequest {
  method: 'POST' | 'GET';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** A response as it came off the wire (body capped by the HTTP layer). */
export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  bodyText: string;
}

export interface HttpOptions {
  timeoutMs?: number;
  maxResponseBytes?: number;
  /** Every secret of the account: removed from any error text this call produces. */
  secrets?: Iterable<string | undefined>;
  /** Lets a caller abort (engine shutdown). */
  signal?: AbortSignal;
}

export async function sendRequest(request: WireRequest, options: HttpOptions = {}): Promise<WireResponse> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  const redactor = new Redactor(options.secrets ?? []);
  const origin = safeOrigin(request.url);
  // One controller for the whole exchange: aborted by the timeout or by the caller's signal.
  // (AbortSignal.timeout + AbortSignal.any cost ~4× this per request, and every `any` also
  // registers with the caller's long-lived signal until a GC collects it.)
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`The operation timed out after ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
  timer.unref(); // as AbortSignal.timeout's: the request itself keeps the process alive
  const callerSignal = options.signal;
  const onCallerAbort = () => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) onCallerAbort();
  else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  const signal = controller.signal;

  let url = request.url;
  try {
    for (let hop = 0; ; hop++) {
      const response = await fetch(url, {
        method: request.method,
        headers: { 'user-agent': USER_AGENT, accept: 'application/json', ...lowerCaseKeys(request.headers) },
        body: request.body,
        redirect: 'manual',
        signal,
      });
      if (isRedirect(response.status)) {
        await response.body?.cancel();
        const location = response.headers.get('location');
        const next = location ? parseLocation(location, url) : undefined;
        if (location && !next) {
          throw new ProviderError({ errorClass: 'config_error', httpStatus: response.status, message: `The server redirected to an invalid URL (HTTP ${response.status}); check the endpoint URL` });
        }
        if (!next || next.origin !== origin) {
          throw new ProviderError({
            errorClass: 'config_error',
            httpStatus: response.status,
            message: `The server redirected to ${next ? next.origin : 'nowhere'}, another origin than ${origin}; TokenDesk does not follow it (check the base URL)`,
          });
        }
        // Only 307/308 keep the method and body, which a token request needs.
        if (response.status !== 307 && response.status !== 308) {
          throw new ProviderError({
            errorClass: 'config_error',
            httpStatus: response.status,
            message: `The server answered HTTP ${response.status} (redirect to ${next.pathname}) to a ${request.method}; check the endpoint URL`,
          });
        }
        if (hop >= MAX_REDIRECTS) {
          throw new ProviderError({ errorClass: 'config_error', httpStatus: response.status, message: `More than ${MAX_REDIRECTS} redirects from ${origin}` });
        }
        url = next.toString();
        continue;
      }
      const bodyText = await readCapped(response, maxBytes);
      const headers: Record<string, string> = {};
      response.headers.forEach((value, key) => (headers[key] = value));
      return { status: response.status, headers, bodyText };
    }
  } catch (err) {
    throw toProviderError(err, { origin, timeoutMs, maxBytes, aborted: options.signal?.aborted ?? false }, redactor);
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener('abort', onCallerAbort);
  }
}

class ResponseTooLarge extends Error {}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw new ResponseTooLarge();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new ResponseTooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function toProviderError(
  err: unknown,
  ctx: { origin: string; timeoutMs: number; maxBytes: number; aborted: boolean },
  redactor: Redactor,
): ProviderError {
  if (err instanceof ProviderError) {
    return new ProviderError({ ...err, errorClass: err.errorClass, message: redactor.redact(err.message) });
  }
  if (err instanceof ResponseTooLarge) {
    return new ProviderError({
      errorClass: 'transient',
      message: `The response from ${ctx.origin} is larger than ${Math.round(ctx.maxBytes / 1024)} KiB; it was not read`,
    });
  }
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (ctx.aborted) return new ProviderError({ errorClass: 'transient', message: `The request to ${ctx.origin} was cancelled` });
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return new ProviderError({
      errorClass: 'transient',
      message: `No complete answer from ${ctx.origin} within ${formatSeconds(ctx.timeoutMs)}`,
    });
  }
  const refusal = localRefusal(e, ctx.origin);
  if (refusal) return new ProviderError({ errorClass: 'config_error', message: redactor.redact(refusal) });
  const code = e?.cause?.code;
  const what = code ? (NETWORK_CODES[code] ?? code) : (e?.cause?.message ?? e?.message ?? 'unknown error');
  return new ProviderError({
    errorClass: 'transient',
    message: redactor.redact(`Network error contacting ${ctx.origin}: ${what}${code && NETWORK_CODES[code] ? ` (${code})` : ''}`),
  });
}

/**
 * A request fetch refused on this computer, before anything went on the wire: a port the Fetch
 * standard blocks ("bad port": 1, 9, 25, 6000…), a scheme it cannot send to, a malformed URL, a
 * header that is not valid HTTP. Another try fails the same way, so these are configuration
 * errors, in words that name the problem. Undefined for a real network failure.
 */
function localRefusal(e: { name?: string; message?: string; cause?: { code?: string; message?: string } }, origin: string): string | undefined {
  if (e?.name !== 'TypeError') return undefined;
  const cause = e.cause?.message ?? '';
  if (cause === 'bad port') {
    const port = safePort(origin);
    return `TokenDesk cannot send requests to port ${port} (${origin}): browsers and Node block it as unsafe. Use the server's real port`;
  }
  if (e.cause?.code === 'ERR_INVALID_URL' || /^Failed to parse URL/.test(e.message ?? '')) return `The endpoint URL is not a valid URL (${origin})`;
  // Thrown while the request was being built (no cause): a header name or value HTTP refuses.
  if (!e.cause && /header|ByteString/i.test(e.message ?? '')) {
    return `TokenDesk could not build the request to ${origin}: a setting sent as a header contains characters HTTP does not allow`;
  }
  return undefined;
}

function safePort(origin: string): string {
  try {
    const url = new URL(origin);
    return url.port || (url.protocol === 'https:' ? '443' : '80');
  } catch {
    return 'that';
  }
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  CERT_HAS_EXPIRED: 'the server certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the server certificate does not match the host name',
};

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function parseLocation(location: string, base: string): URL | undefined {
  try {
    return new URL(location, base);
  } catch {
    return undefined;
  }
}

function isRedirect(status: number): boolean {
  return status >= 300 && status < 400 && status !== 304;
}

/** The origin of an http(s) URL; anything else is refused before a request is made. */
function safeOrigin(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ProviderError({ errorClass: 'config_error', message: 'The endpoint URL is not a valid URL' });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ProviderError({ errorClass: 'config_error', message: `The endpoint URL starts with ${parsed.protocol}; TokenDesk sends requests only to https:// (and http:// on localhost) URLs` });
  }
  return parsed.origin;
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}
