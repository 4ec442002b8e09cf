// Errors a client of the owner raises for what the owner said over a transport.
import { ContractError } from '../contract.js';

/** A client-side error carrying what the owner said. */
export class RemoteError extends ContractError {
  override name = 'RemoteError';
}

/** The message of the RemoteError a client gets when the owner hangs up mid-call. */
export const CONNECTION_LOST = 'The TokenDesk owner closed the connection';
