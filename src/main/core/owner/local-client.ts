// A typed client of the owner's router in the same process (the desktop app's main, a
// one-shot CLI command): the same calls, validation and errors as over a transport, with
// no cast at the call site.
import type { CallName, CallOutput } from '../../../shared/contract.js';
import type { Caller } from '../contract.js';
import { RemoteError } from './errors.js';
import type { Router } from './router.js';

export interface OwnerCalls {
  call<N extends CallName>(method: N, params?: unknown): Promise<CallOutput<N>>;
}

/** `caller`: who this client's calls are for (the tray, a one-shot CLI command); history rows record it. */
export function localClient(router: Pick<Router, 'handle'>, caller: Caller): OwnerCalls {
  return {
    async call<N extends CallName>(method: N, params: unknown = {}): Promise<CallOutput<N>> {
      const reply = await router.handle(method, params, caller);
      if (!reply.ok) throw new RemoteError(reply.error.code, reply.error.message);
      return reply.result as CallOutput<N>;
    },
  };
}
