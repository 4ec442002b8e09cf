// The fault queue: faults a test asks for, checked when queued, then taken one per request
// by the routes that take faults, in order, each as many times as asked.
import type { Fault } from './api.js';
import { checkNonNegative } from './options.js';
import type { VendorWire } from './vendor.js';

/** Faults whose answer is a real success: the refresh is performed (and rotates), then the body misbehaves. */
const PERFORMING_KINDS = ['trickle', 'negative_expires_in', 'absurd_expires_in'] as const;
const PERFORMING_FAULTS = new Set<Fault['kind']>(PERFORMING_KINDS);

export type PerformingFault = Extract<Fault, { kind: (typeof PERFORMING_KINDS)[number] }>;

export function isPerforming(fault: Fault): fault is PerformingFault {
  return PERFORMING_FAULTS.has(fault.kind);
}

/** The expires_in a fault makes the answer claim; undefined when it leaves expires_in alone. */
export function expiresInLie(fault: Fault | undefined): number | undefined {
  return fault?.kind === 'negative_expires_in' ? -5 : fault?.kind === 'absurd_expires_in' ? 1e15 : undefined;
}

export class FaultQueue {
  private readonly queue: { fault: Fault; remaining: number }[] = [];

  constructor(private readonly wire: Pick<VendorWire, 'vendorError'>) {}

  /** Queues `fault` for the next `times` requests that take faults; throws RangeError on a malformed fault. */
  add(fault: Fault, times = 1): void {
    if (!(times >= 1 && (Number.isInteger(times) || times === Number.POSITIVE_INFINITY))) {
      throw new RangeError(`times must be a positive integer (or Infinity), got ${times}`);
    }
    validateFault(fault, this.wire);
    this.queue.push({ fault, remaining: times });
  }

  /** The fault for this request, if any is queued. */
  take(): Fault | undefined {
    const head = this.queue[0];
    if (!head) return undefined;
    head.remaining--;
    if (head.remaining <= 0) this.queue.shift();
    return head.fault;
  }

  clear(): void {
    this.queue.length = 0;
  }
}

function validateFault(fault: Fault, wire: Pick<VendorWire, 'vendorError'>): void {
  switch (fault.kind) {
    case 'status':
      if (!Number.isInteger(fault.status) || fault.status < 100 || fault.status > 599) throw new RangeError(`bad status ${fault.status}`);
      return;
    case 'rate_limit':
      checkNonNegative('retryAfterSec', fault.retryAfterSec);
      return;
    case 'unavailable':
      checkNonNegative('retryAfterSec', fault.retryAfterSec);
      return;
    case 'trickle':
      if (!(Number.isFinite(fault.bytesPerSec) && fault.bytesPerSec > 0)) throw new RangeError('trickle needs bytesPerSec > 0');
      return;
    case 'oversize':
      if (fault.bytes !== undefined && !(Number.isInteger(fault.bytes) && fault.bytes > 0)) throw new RangeError('oversize needs bytes > 0');
      return;
    case 'vendor_error':
      if (!wire.vendorError(fault.code)) throw new RangeError(`this simulator has no vendor error "${fault.code}"`);
      return;
    case 'redirect':
      if (fault.status !== undefined && !(fault.status >= 300 && fault.status <= 399)) throw new RangeError('redirect status must be 3xx');
      return;
    case 'raw':
      if (!Number.isInteger(fault.status) || fault.status < 100 || fault.status > 599) throw new RangeError(`bad status ${fault.status}`);
      if (fault.body !== undefined && fault.bodyBase64 !== undefined) throw new RangeError('raw takes body or bodyBase64, not both');
      checkNonNegative('delayMs', fault.delayMs);
      checkNonNegative('closeAfterBytes', fault.closeAfterBytes);
      return;
    case 'close':
      checkNonNegative('afterMs', fault.afterMs);
      return;
    default:
      return;
  }
}
