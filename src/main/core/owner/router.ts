// Serves the contract: validates every input with its zod schema, runs the
// handler, validates the output, and turns any failure into {code, message}.
// Transports (socket, IPC, WebSocket) only move bytes; this is where calls are judged.
import { z } from 'zod';
import { calls, type CallName, type CallOutput, type WireError } from '../../../shared/contract.js';
import { AccountNotFoundError } from '../engine/engine.js';
import { ProviderError } from '../providers/types.js';
import { ContractError } from './errors.js';

export type Handlers = {
  [N in CallName]: (input: z.output<(typeof calls)[N]['input']>) => Promise<CallOutput<N>>;
};

export type RouterReply = { ok: true; result: unknown } | { ok: false; error: WireError };

/** Maps errors raised by core modules to contract codes (by name, to keep imports one-way). */
const ERROR_NAME_CODES: Record<string, WireError['code']> = {
  VaultLockedError: 'vault_locked',
  VaultCorruptError: 'storage_error',
  OwnerLockedError: 'owner_busy',
  DuplicateNameError: 'conflict',
  AccountNotFoundError: 'not_found',
};

export function toWireError(err: unknown): WireError {
  if (err instanceof ContractError) return err.toWire();
  if (err instanceof ProviderError) return { code: err.errorClass, message: err.message };
  if (err instanceof z.ZodError) return { code: 'invalid_input', message: describeZod(err) };
  if (err instanceof AccountNotFoundError) return { code: 'not_found', message: err.message };
  const name = (err as Error | undefined)?.name ?? '';
  const code = ERROR_NAME_CODES[name];
  if (code) return { code, message: (err as Error).message };
  const fsCode = (err as NodeJS.ErrnoException | undefined)?.code;
  if (fsCode && /^E[A-Z]+$/.test(fsCode)) return { code: 'storage_error', message: `Storage error: ${(err as Error).message}` };
  // Unknown errors: never echo their text (it could hold anything); the owner logs the name.
  return { code: 'internal', message: `Internal error (${name || typeof err}); the owner keeps running` };
}

export function describeZod(err: z.ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

export class Router {
  constructor(private readonly handlers: Handlers) {}

  async handle(method: unknown, params: unknown): Promise<RouterReply> {
    if (typeof method !== 'string' || !Object.prototype.hasOwnProperty.call(calls, method)) {
      return { ok: false, error: { code: 'invalid_input', message: `Unknown call ${typeof method === 'string' ? JSON.stringify(method.slice(0, 60)) : `(${typeof method})`}` } };
    }
    const name = method as CallName;
    const parsed = calls[name].input.safeParse(params ?? {});
    if (!parsed.success) return { ok: false, error: { code: 'invalid_input', message: `${name}: ${describeZod(parsed.error)}` } };
    try {
      const handler = this.handlers[name] as (input: unknown) => Promise<unknown>;
      const result = await handler(parsed.data);
      const checked = calls[name].output.safeParse(result);
      if (!checked.success) return { ok: false, error: { code: 'internal', message: `${name} produced an invalid result: ${describeZod(checked.error)}` } };
      return { ok: true, result: checked.data };
    } catch (err) {
      return { ok: false, error: toWireError(err) };
    }
  }
}
