// The contract (src/shared/contract.ts) as the core serves it: the handlers the service
// provides and every transport calls, and the error that carries a contract code to the caller.
import type { z } from 'zod';
import type { calls, CallName, CallOutput, ErrorCode, WireError } from '../../shared/contract.js';
import type { HistoryActor } from '../../shared/domain.js';

/**
 * Who makes a call, as its transport knows it (never as the caller claims): the socket serves
 * the CLI, IPC and the `serve` WebSocket the dashboard, the tray calls in process, and calls
 * the owner makes itself (the demo's seeding) are its own. History rows record it.
 */
export interface Caller {
  actor: HistoryActor;
}

/** One handler per call: it gets the input as its schema parsed it, and who asked. */
export type Handlers = {
  [N in CallName]: (input: z.output<(typeof calls)[N]['input']>, caller: Caller) => Promise<CallOutput<N>>;
};

/** An error with a contract error code; its message is shown to the user as it is. */
export class ContractError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ContractError';
  }

  toWire(): WireError {
    return { code: this.code, message: this.message };
  }
}
