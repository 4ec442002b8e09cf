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
  /** Where a browser sign-in starts (RFC 6749 §3.1). */
  authorizationUrl?: string;
  /** Where a device sign-in starts (RFC 8628 §3.1). */
  deviceAuthorizationUrl?: string;
}

/** Sign-in with authorization code + PKCE in the system browser (RFC 6749 §4.1, RFC 7636). */
export interface AuthorizationCodeSignIn {
  /** The authorization endpoint for the account; throws ProviderError (config_error) when none is known. */
  authorizeUrl(account: ProviderAccount, endpoints?: ResolvedEndpoints): string;
  /** Query parameters besides response_type, client_id, redirect_uri, state and the PKCE pair. */
  extraParams(account: ProviderAccount): Record<string, string | undefined>;
  /** The exchange of the code for tokens (answered like a refresh). */
  buildExchange(account: ProviderAccount, grant: { code: string; redirectUri: string; codeVerifier: string }, endpoints?: ResolvedEndpoints): WireRequest;
  /** A redirect URI the provider requires exactly (from the account), else a free loopback port. */
  registeredRedirectUri?(account: ProviderAccount): string | undefined;
}

/**
 * Sign-in with the user's password, where a vendor has no OAuth flow (PathStack, Vault.ist).
 * `verified: false` when public material describes the request without confirming it: the UI
 * and docs say "unverified", and a failure suggests pasting a refresh token instead.
 */
export interface PasswordSignIn {
  verified: boolean;
  /** What the vendor calls the user name ("Email", "Username"). */
  userLabel: string;
  buildRequest(account: ProviderAccount, credentials: { username: string; password: string }): WireRequest;
  /** Non-secret settings the answer carries that later refreshes need (PathStack's `sub`). */
  settingsFrom?(response: WireResponse): FieldValues;
}

/** Sign-in with a code shown to the user, entered on another device (RFC 8628). */
export interface DeviceSignIn {
  buildDeviceRequest(account: ProviderAccount, endpoints?: ResolvedEndpoints): WireRequest;
  /** The token request polled until the user decides (answered like a refresh once approved). */
  buildPollRequest(account: ProviderAccount, deviceCode: string, endpoints?: ResolvedEndpoints): WireRequest;
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
  /** The ways TokenDesk can sign in to this provider (none: the user pastes what the vendor issued). */
  signIn?: { authorizationCode?: AuthorizationCodeSignIn; device?: DeviceSignIn; password?: PasswordSignIn };
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
