// Helpers for writing a vendor's wire format: answers to build, recorded requests to read.
import type { RecordedRequest } from './api.js';

/** An HTTP answer. Build with json() / text(). */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

export function text(
  status: number,
  body: string,
  contentType = 'text/plain; charset=utf-8',
  headers: Record<string, string> = {},
): Reply {
  return { status, headers: { 'content-type': contentType, ...headers }, body };
}

/** The Retry-After header value for a number of seconds. */
export function retryAfter(seconds: number): string {
  return String(Math.max(0, Math.ceil(seconds)));
}

/** The media type of a request, lower-cased, without parameters ('' when absent). */
export function mediaType(req: RecordedRequest): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

export type JsonParse = { ok: true; value: unknown } | { ok: false; message: string };

export function parseJson(bodyText: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(bodyText) as unknown };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Names of form parameters that occur more than once (RFC 6749 §3.2 forbids it). */
export function repeatedParams(params: URLSearchParams): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const key of params.keys()) {
    if (seen.has(key)) repeated.add(key);
    seen.add(key);
  }
  return [...repeated];
}

/** Splits an Authorization header into scheme and credentials; undefined when absent or malformed. */
export function authorization(req: RecordedRequest): { scheme: string; credentials: string } | undefined {
  const header = req.headers['authorization'];
  if (header === undefined) return undefined;
  const match = /^([A-Za-z][A-Za-z0-9._~+/-]*) +(\S+)$/.exec(header.trim());
  return match ? { scheme: match[1]!.toLowerCase(), credentials: match[2]! } : undefined;
}

/** `Authorization: Basic base64(user:pass)`, decoded but not URL-decoded; undefined when absent or malformed. */
export function basicCredentials(req: RecordedRequest): { user: string; pass: string } | undefined {
  const auth = authorization(req);
  if (!auth || auth.scheme !== 'basic' || !/^[A-Za-z0-9+/]+={0,2}$/.test(auth.credentials)) return undefined;
  const decoded = Buffer.from(auth.credentials, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), pass: decoded.slice(colon + 1) };
}
