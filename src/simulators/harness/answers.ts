// Writing the answer to a routed request: a handler's success, spoiled when a performing
// fault says so, or a fault the harness answers by itself (statuses, the vendor's own error
// shapes, malformed bodies, hangs, resets, redirects, hand-made answers).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Fault } from './api.js';
import { expiresInLie, type PerformingFault } from './faults.js';
import { send } from './http.js';
import type { Scheduler } from './lifecycle.js';
import { oversize, raw, trickle } from './slow-writers.js';
import type { SuccessView, VendorWire } from './vendor.js';
import { isRecord, json, retryAfter, text } from './wire.js';

const DEFAULT_OVERSIZE = 2 * 1024 * 1024;

/** Sends a handler's success; a performing fault makes its expires_in lie or trickles it out. */
export function answerSuccess(res: ServerResponse, view: SuccessView, fault: PerformingFault | undefined, scheduler: Scheduler): void {
  const lie = expiresInLie(fault);
  if (lie !== undefined && view.expiresInPath) {
    const current = getAt(view.body, view.expiresInPath);
    setAt(view.body, view.expiresInPath, typeof current === 'string' ? String(lie) : lie);
  }
  const { contentType, text: body } = serialize(view);
  const headers = { 'content-type': contentType, ...view.headers };
  if (fault?.kind === 'trickle') return trickle(res, 200, headers, Buffer.from(body), fault.bytesPerSec, scheduler);
  send(res, { status: 200, headers, body });
}

/** Answers a fault that does not involve the vendor handler. */
export function answerFault(
  fault: Exclude<Fault, PerformingFault>,
  req: IncomingMessage,
  res: ServerResponse,
  wire: VendorWire,
  scheduler: Scheduler,
): void {
  switch (fault.kind) {
    case 'status':
      return send(res, { status: fault.status, headers: fault.headers, body: fault.body });
    case 'rate_limit': {
      const reply = wire.rateLimited(fault.retryAfterSec);
      return send(res, { ...reply, headers: { ...reply.headers, 'retry-after': retryAfter(fault.retryAfterSec) } });
    }
    case 'unavailable':
      return send(
        res,
        text(503, 'Service Unavailable', undefined, fault.retryAfterSec === undefined ? {} : { 'retry-after': retryAfter(fault.retryAfterSec) }),
      );
    case 'server_error':
      return send(res, wire.serverError());
    case 'hang':
      return; // never answered; close() destroys the socket
    case 'reset':
      req.socket.resetAndDestroy();
      return;
    case 'html':
      return send(res, text(200, LOGIN_PAGE, 'text/html; charset=utf-8'));
    case 'truncated_json': {
      const full = JSON.stringify(wire.sampleSuccess().body);
      return send(res, text(200, full.slice(0, Math.max(1, Math.floor(full.length * 0.6))), 'application/json'));
    }
    case 'wrong_types': {
      const view = wire.sampleSuccess();
      setAt(view.body, view.accessTokenPath, 12345);
      setAt(view.body, view.refreshTokenPath, ['not', 'a', 'string']);
      setAt(view.body, view.expiresInPath, { seconds: 3600 });
      return send(res, json(200, view.body));
    }
    case 'missing_fields': {
      const view = wire.sampleSuccess();
      deleteAt(view.body, view.accessTokenPath);
      return send(res, json(200, view.body));
    }
    case 'oversize':
      return oversize(res, wire.sampleSuccess(), fault.bytes ?? DEFAULT_OVERSIZE, scheduler);
    case 'vendor_error':
      return send(res, wire.vendorError(fault.code)!);
    case 'redirect':
      return send(res, { status: fault.status ?? 302, headers: { location: fault.location } });
    case 'raw':
      return raw(res, fault, scheduler);
    case 'close':
      return scheduler.later(() => req.socket.destroy(), fault.afterMs ?? 0);
  }
}

type Path = readonly string[];

function getAt(body: Record<string, unknown>, path: Path): unknown {
  let node: unknown = body;
  for (const key of path) node = isRecord(node) ? node[key] : undefined;
  return node;
}

function parentOf(body: Record<string, unknown>, path: Path): { parent: Record<string, unknown>; key: string } | undefined {
  const key = path[path.length - 1];
  const parent = getAt(body, path.slice(0, -1));
  return key !== undefined && isRecord(parent) ? { parent, key } : undefined;
}

function setAt(body: Record<string, unknown>, path: Path | undefined, value: unknown): void {
  const at = path && parentOf(body, path);
  if (at) at.parent[at.key] = value;
}

function deleteAt(body: Record<string, unknown>, path: Path | undefined): void {
  const at = path && parentOf(body, path);
  if (at) delete at.parent[at.key];
}

function serialize(view: SuccessView): { contentType: string; text: string } {
  return view.serialize ? view.serialize(view.body) : { contentType: 'application/json', text: JSON.stringify(view.body) };
}

const LOGIN_PAGE = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in</title></head>
<body>
  <h1>Sign in to continue</h1>
  <form method="post" action="/login">
    <label>Email <input type="email" name="email"></label>
    <label>Password <input type="password" name="password"></label>
    <button type="submit">Sign in</button>
  </form>
</body>
</html>
`;
