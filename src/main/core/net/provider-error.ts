// How a provider call fails: a classified failure (transient, auth, config…) that the HTTP
// layer, the provider specs and the engine all raise and read.
import type { ErrorClass } from '../../../shared/domain.js';

export interface ProviderFailure {
  errorClass: ErrorClass;
  /** The vendor's own words (already free of secrets), or ours when it said nothing useful. */
  message: string;
  httpStatus?: number;
  /** For rate_limited (and 503s that say so): how long the vendor asked us to wait. */
  retryAfterMs?: number;
  /** The vendor's error code when it has one (UPS 10401, oauth2 invalid_grant…). */
  vendorCode?: string;
  /**
   * A SECRET. The answer was refused, but only for its lifetime: the vendor did rotate, and this
   * new refresh token is now the only live one — the engine must keep it (the old one is spent).
   */
  rotatedRefreshToken?: string;
}

/** A classified failure, thrown through the HTTP layer and the engine. */
export class ProviderError extends Error implements ProviderFailure {
  readonly errorClass: ErrorClass;
  readonly httpStatus?: number;
  readonly retryAfterMs?: number;
  readonly vendorCode?: string;
  declare readonly rotatedRefreshToken?: string;

  constructor(failure: ProviderFailure) {
    super(failure.message);
    this.name = 'ProviderError';
    this.errorClass = failure.errorClass;
    this.httpStatus = failure.httpStatus;
    this.retryAfterMs = failure.retryAfterMs;
    this.vendorCode = failure.vendorCode;
    // Not enumerable: a spread, JSON.stringify or util.inspect of the error does not carry the secret.
    if (failure.rotatedRefreshToken) Object.defineProperty(this, 'rotatedRefreshToken', { value: failure.rotatedRefreshToken, enumerable: false });
  }
}
