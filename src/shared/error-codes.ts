// The error codes of the contract, without zod: the CLI's client path checks an owner's
// error reply with isWireError() and never loads the contract's schemas.
/** Error codes that cross a transport (`{code, message}`); the CLI maps them to exit codes. */
export const ERROR_CODES = [
  'invalid_input',
  /** The caller is not allowed (e.g. an IPC message from a frame that is not ours). */
  'forbidden',
  'not_found',
  'conflict',
  'reauth_required',
  'config_error',
  'rate_limited',
  'transient',
  'vault_locked',
  'owner_busy',
  'storage_error',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** `{code, message}` as the wire carries it, checked by hand (WireErrorSchema in contract.ts says the same). */
export function isWireError(value: unknown): value is { code: ErrorCode; message: string } {
  if (typeof value !== 'object' || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return typeof message === 'string' && (ERROR_CODES as readonly unknown[]).includes(code);
}
