// Answers written over time or cut short: a trickled body, an oversized body, and the
// hand-made `raw` answer (delayed, chunked, or ended mid-body). Each stops writing when the
// client goes away or the server closes.
import type { ServerResponse } from 'node:http';
import type { Fault } from './api.js';
import type { Scheduler } from './lifecycle.js';
import type { SuccessView } from './vendor.js';

/** Sends `body` at about `bytesPerSec`: ten chunks a second, or one byte at a time below 10 B/s. */
export function trickle(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: Buffer,
  bytesPerSec: number,
  scheduler: Scheduler,
): void {
  const chunk = bytesPerSec >= 10 ? Math.ceil(bytesPerSec / 10) : 1;
  const interval = bytesPerSec >= 10 ? 100 : 1000 / bytesPerSec;
  res.writeHead(status, { ...headers, 'content-length': String(body.length) });
  res.flushHeaders();
  let offset = 0;
  const tick = (): void => {
    if (res.destroyed || scheduler.closing) return;
    const end = Math.min(body.length, offset + chunk);
    res.write(body.subarray(offset, end));
    offset = end;
    if (offset >= body.length) res.end();
    else scheduler.later(tick, interval);
  };
  scheduler.later(tick, interval);
}

/** Valid JSON in the vendor's success shape with a huge padding member first, sent chunked. */
export function oversize(res: ServerResponse, view: SuccessView, bytes: number, scheduler: Scheduler): void {
  const tail = JSON.stringify(view.body).slice(1);
  const head = '{"padding":"';
  const padding = Math.max(0, bytes - head.length - tail.length - 2);
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write(head);
  let left = padding;
  const block = Buffer.alloc(64 * 1024, 'x');
  const pump = (): void => {
    while (left > 0) {
      if (res.destroyed || scheduler.closing) return;
      const n = Math.min(left, block.length);
      left -= n;
      if (!res.write(n === block.length ? block : block.subarray(0, n))) {
        res.once('drain', pump);
        return;
      }
    }
    res.end(`",${tail}`);
  };
  pump();
}

/** The `raw` fault: the answer exactly as the test wrote it (see Fault). */
export function raw(res: ServerResponse, fault: Extract<Fault, { kind: 'raw' }>, scheduler: Scheduler): void {
  const body = fault.bodyBase64 !== undefined ? Buffer.from(fault.bodyBase64, 'base64') : Buffer.from(fault.body ?? '', 'utf8');
  const headers: Record<string, string> = { ...fault.headers };
  const declared = Object.keys(headers).some((name) => name.toLowerCase() === 'content-length');
  if (!fault.chunked && !declared) headers['content-length'] = String(body.length);
  const answer = (): void => {
    if (res.destroyed || scheduler.closing) return;
    res.writeHead(fault.status, headers);
    if (fault.closeAfterBytes === undefined) {
      res.end(body);
      return;
    }
    res.write(body.subarray(0, fault.closeAfterBytes));
    // Let the bytes go out, then cut the connection mid-body.
    scheduler.later(() => res.destroy(), 20);
  };
  if (fault.delayMs) scheduler.later(answer, fault.delayMs);
  else answer();
}
