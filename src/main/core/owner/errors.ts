// Errors that cross a transport as plain {code, message}.
import type { ErrorCode, WireError } from '../../../shared/contract.js';

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

/** A client-side error carrying what the owner said. */
export class RemoteError extends ContractError {
  override name = 'RemoteError';
}

/** The message of the RemoteError a client gets when the owner hangs up mid-call. */
export const CONNECTION_LOST = 'The TokenDesk owner closed the connection';
