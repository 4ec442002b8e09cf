// node:http plumbing: reading a request into a RecordedRequest, writing a Reply.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RecordedRequest } from './api.js';
import type { Reply } from './wire.js';

/** Larger request bodies are not kept: the request is recorded with an empty body and answered 413. */
const MAX_REQUEST_BODY = 1024 * 1024;

/** Reads the whole request; `tooLarge` when its body was over the limit. `at` is `now()` once read. */
export async function readRequest(req: IncomingMessage, now: () => number): Promise<{ request: RecordedRequest; tooLarge: boolean }> {
  const bodyText = await readBody(req);
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const request: RecordedRequest = {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: flattenHeaders(req),
    bodyText: bodyText ?? '',
    at: now(),
  };
  return { request, tooLarge: bodyText === undefined };
}

export function send(res: ServerResponse, reply: Reply): void {
  const body = reply.body ?? '';
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_REQUEST_BODY ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
