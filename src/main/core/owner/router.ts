// Serves the contract: validates every input with its zod schema, runs the
// handler, validates the output, and turns any failure into {code, message}.
// Transports (socket, IPC, WebSocket) only move bytes; this is where calls are judged.
import { z } from 'zod';
import { calls, type CallName, type WireError } from '../../../shared/contract.js';
import { printableKey, quoteKey } from '../../../shared/provider-fields.js';
import { AccountNotFoundError } from '../engine/engine.js';
import { ProviderError } from '../net/provider-error.js';
import { ContractError, type Caller, type Handlers } from '../contract.js';

export type RouterReply = { ok: true; result: unknown } | { ok: false; error: WireError };

/** Contract codes for the errors core modules raise, matched by the error's `name`. */
const ERROR_NAME_CODES: Record<string, WireError['code']> = {
  VaultLockedError: 'vault_locked',
  VaultCorruptError: 'storage_error',
  OwnerLockedError: 'owner_busy',
  DuplicateNameError: 'conflict',
  AccountNotFoundError: 'not_found',
  // Data-dir files the owner will not open (storage/versioned.ts): the message names the file.
  UnreadableFileError: 'storage_error',
  SchemaVersionTooNewError: 'storage_error',
  CorruptFileError: 'storage_error',
  HistoryNotSavedError: 'storage_error',
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
  return describeIssues(err.issues, []);
}

function describeIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => {
      const path = [...prefix, ...issue.path];
      if (issue.code === 'invalid_union' && issue.errors.length) {
        // zod says only "Invalid input" for a union: name the problem inside it instead — in the
        // closest alternative whose literals matched (`to: "passphrase"`), else in each of them.
        const matching = issue.errors.filter((branch) => !branch.some((i) => i.code === 'invalid_value'));
        const fewest = Math.min(...matching.map((branch) => branch.length));
        const closest = matching.length ? matching.filter((branch) => branch.length === fewest) : issue.errors;
        const described = [...new Set(closest.map((branch) => describeIssues(branch, path)))];
        return described.length === 1 ? described[0]! : `either ${described.join(', or ')}`;
      }
      // Keys come from the caller: printableKey quotes, shortens and escapes odd ones.
      return path.length ? `${path.map((key) => (typeof key === 'string' ? printableKey(key) : String(key))).join('.')}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/**
 * A call's input checked by its schema: the data, or the message of an invalid_input reply.
 * zod's safeParse can throw instead of reporting: a length check on a value that is not a
 * string converts `{"length": {"toString": "x"}}.length` to a number, and an object whose
 * toString and valueOf are not functions cannot be converted. Such input is invalid too;
 * the top-level key that holds it is named when it can be found.
 */
export function validateInput(name: CallName, params: unknown): { ok: true; data: unknown } | { ok: false; message: string } {
  const schema = calls[name].input as z.ZodType;
  try {
    const parsed = schema.safeParse(params);
    return parsed.success ? { ok: true, data: parsed.data } : { ok: false, message: `${name}: ${describeZod(parsed.error)}` };
  } catch {
    const key = keyThatThrows(schema, params);
    return { ok: false, message: `${name}: ${key ? `${printableKey(key)}: ` : ''}Invalid input: a malformed value (an object where text or a number was expected)` };
  }
}

function keyThatThrows(schema: z.ZodType, params: unknown): string | undefined {
  if (!(schema instanceof z.ZodObject) || typeof params !== 'object' || params === null) return undefined;
  for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    const value = Object.prototype.hasOwnProperty.call(params, key) ? (params as Record<string, unknown>)[key] : undefined;
    try {
      field.safeParse(value);
    } catch {
      return key;
    }
  }
  return undefined;
}

export class Router {
  /** `self`: the owner's own calls (no transport), e.g. the demo seeding its accounts. */
  constructor(
    private readonly handlers: Handlers,
    private readonly self: Caller = { actor: 'daemon' },
  ) {}

  /** `caller` is set by the transport the call came through; absent for the owner's own calls. */
  async handle(method: unknown, params: unknown, caller: Caller = this.self): Promise<RouterReply> {
    if (typeof method !== 'string' || !Object.prototype.hasOwnProperty.call(calls, method)) {
      return { ok: false, error: { code: 'invalid_input', message: `Unknown call ${typeof method === 'string' ? quoteKey(method) : `(${typeof method})`}` } };
    }
    const name = method as CallName;
    const parsed = validateInput(name, params ?? {});
    if (!parsed.ok) return { ok: false, error: { code: 'invalid_input', message: parsed.message } };
    try {
      const handler = this.handlers[name] as (input: unknown, caller: Caller) => Promise<unknown>;
      const result = await handler(parsed.data, caller);
      const checked = calls[name].output.safeParse(result);
      if (!checked.success) return { ok: false, error: { code: 'internal', message: `${name} produced an invalid result: ${describeZod(checked.error)}` } };
      return { ok: true, result: checked.data };
    } catch (err) {
      return { ok: false, error: toWireError(err) };
    }
  }
}
