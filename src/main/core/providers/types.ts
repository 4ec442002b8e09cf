// The shape every provider spec has (docs/ARCHITECTURE.md "Providers"): data plus small
// pure functions, one file per provider, all the same shape.
import type { ErrorClass, TokenSet } from '../../../shared/domain.js';
import type { FieldValues, ProviderDescriptor } from '../../../shared/provider-fields.js';

/** Everything a spec needs to talk about one account. */
export interface ProviderAccount {
  id: string;
  /** Non-secret field values (client_id, sub, partner_id…). */
  settings: FieldValues;
  /** Secret field values from the vault (refresh_token, client_secret…). */
  secrets: FieldValues;
  environment?: string;
  /** Per-account override of the environment's base URL. */
  baseUrl?: string;
  /** "Refresh every" interval, used when a response gives no expiry. */
  refreshEveryMs?: number;
}

/** A request as it goes on the wire. Bodies are already encoded. */
export interface WireRequest {
  method: 'POST' | 'GET';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** A response as it came off the wire (body capped by the HTTP layer). */
export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  bodyText: string;
}

/** Endpoints found by discovery (oauth2) and cached on the account. */
export interface ResolvedEndpoints {
  tokenUrl: string;
  revocationUrl?: string;
}

export interface ParseContext {
  account: ProviderAccount;
  /** The refresh token that was sent, to tell rotation from echo. */
  sentRefreshToken?: string;
  /** Clock for expiresAt. */
  now: number;
}

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

export interface ProviderSpec extends ProviderDescriptor {
  /** The base URL for an account: its override, else its environment's default. */
  baseUrl(account: ProviderAccount): string | undefined;
  /** Builds the refresh request. `endpoints` is given only for providers that discover them. */
  buildRefreshRequest(account: ProviderAccount, endpoints?: ResolvedEndpoints): WireRequest;
  /** Reads a 2xx response into a TokenSet; throws ProviderError (transient) on a malformed body. */
  parseRefreshResponse(response: WireResponse, ctx: ParseContext): TokenSet;
  /** Classifies a non-2xx response. */
  classifyFailure(response: WireResponse): ProviderFailure;
  /** Present when the vendor has a revocation endpoint. */
  buildRevokeRequest?(account: ProviderAccount, endpoints?: ResolvedEndpoints): WireRequest | undefined;
  /** Present when endpoints must be resolved (oauth2 issuer discovery). */
  discovery?: {
    /** Well-known URLs to try, in order, when the account gives an issuer instead of a token URL. */
    candidates(account: ProviderAccount): string[];
    /** Reads a discovery document; throws ProviderError (config_error) when unusable. */
    parse(doc: unknown, account: ProviderAccount): ResolvedEndpoints;
    /** Endpoints given directly by the account, when no discovery is needed. */
    direct(account: ProviderAccount): ResolvedEndpoints | undefined;
  };
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
