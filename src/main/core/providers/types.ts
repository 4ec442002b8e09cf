// The shape every provider spec has (docs/ARCHITECTURE.md "Providers"): data plus small
// pure functions, one file per provider, all the same shape.
import type { TokenSet } from '../../../shared/domain.js';
import type { FieldValues, ProviderDescriptor } from '../../../shared/provider-fields.js';
import type { WireRequest, WireResponse } from '../net/http.js';
import type { ProviderFailure } from '../net/provider-error.js';

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
