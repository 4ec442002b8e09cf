// Routing a request: record it, find its route (404, 405 with Allow), take the next fault
// if the route takes faults, and hand it to the fault's answer or the vendor's handler.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { RecordedRequest } from './api.js';
import { answerFault, answerSuccess } from './answers.js';
import { expiresInLie, isPerforming, type FaultQueue } from './faults.js';
import { readRequest, send } from './http.js';
import type { Scheduler } from './lifecycle.js';
import type { ResolvedOptions } from './options.js';
import type { CallContext, SimulatorDefinition, VendorWire } from './vendor.js';
import { text } from './wire.js';

export interface Routing {
  def: SimulatorDefinition;
  options: ResolvedOptions;
  wire: VendorWire;
  /** Every request is appended here, answered or not. */
  requests: RecordedRequest[];
  faults: FaultQueue;
  scheduler: Scheduler;
}

/** The server's request listener; a handler that throws gets a 500 unless the client is gone. */
export function requestListener(routing: Routing): RequestListener {
  return (req, res) => {
    dispatch(routing, req, res).catch((err: unknown) => {
      // A client that went away mid-request: nothing to answer.
      if (res.headersSent || res.destroyed || req.destroyed) res.destroy();
      else send(res, text(500, `simulator error: ${err instanceof Error ? err.message : String(err)}`));
    });
  };
}

async function dispatch(routing: Routing, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { def, options, wire, requests, faults, scheduler } = routing;
  const { request, tooLarge } = await readRequest(req, options.now);
  requests.push(request);
  if (tooLarge) return send(res, text(413, 'Payload Too Large'));

  const onPath = wire.routes.filter((r) => r.path === request.path);
  if (onPath.length === 0) return send(res, text(404, 'Not Found'));
  const route = onPath.find((r) => r.method === request.method);
  if (!route) return send(res, text(405, 'Method Not Allowed', undefined, { allow: onPath.map((r) => r.method).join(', ') }));

  const fault = route.faults ? faults.take() : undefined;
  if (fault && !isPerforming(fault)) return answerFault(fault, req, res, wire, scheduler);

  const lie = expiresInLie(fault);
  const ctx: CallContext = { accessTtlSec: lie !== undefined && def.expiresInOnlyInJwt ? lie : options.accessTtlSec };
  const result = route.handle(request, ctx);
  if (!('success' in result)) return send(res, result);
  answerSuccess(res, result, fault, scheduler);
}
