// What a simulator offers the tests and the demo: its options, the faults it can be told
// to commit, the grants it hands out and the handle to drive and close it.
import type { ProviderId } from '../../shared/domain.js';

export type OAuth2ClientAuth = 'client_secret_basic' | 'client_secret_post' | 'none';
export type OAuth2Discovery = 'rfc8414' | 'oidc' | 'both';

export interface SimulatorOptions {
  /** Access-token lifetime in seconds (vendor default otherwise: ups 14399, every other vendor 3600). */
  accessTtlSec?: number;
  /** Refresh-token lifetime in seconds (ups default 5183999; elsewhere refresh tokens do not expire unless set). */
  refreshTtlSec?: number;
  /** Issue a new refresh token on each refresh (default true; banyan default false). */
  rotate?: boolean;
  /**
   * Default true: an already-used refresh token gets the vendor's invalid-grant answer (oauth2
   * also revokes the whole grant family, RFC 9700). False: used refresh tokens keep working.
   */
  reuseDetection?: boolean;
  /** JWT-shaped access tokens (default true for banyan, teamup, oauth2; false elsewhere). */
  jwtAccessTokens?: boolean;
  /** Clock in epoch ms (default Date.now). Token expiry, `iat`/`exp`, recordings all use it. */
  now?: () => number;

  /** pathstack: leave `refresh_token` out of the answer; the sent refresh token stays valid. */
  omitRefreshToken?: boolean;
  /** teamup: answer `expires_in: null` (the access token is still a JWT with `exp` unless jwtAccessTokens is false). */
  expiresInNull?: boolean;
  /** teamup: whether the user may ask for `provider` tokens (default true; false → 403). */
  providerAllowed?: boolean;
  /** banyan: answer v1 in the v2 envelope `{request_id, error_code, error_description, data: {access_token}}`. */
  v2Envelope?: boolean;
  /** oauth2: the client authentication the server demands (default client_secret_basic). */
  clientAuth?: OAuth2ClientAuth;
  /** oauth2: which discovery documents are served (default both). */
  discovery?: OAuth2Discovery;
  /** oauth2: RFC 7009 revocation endpoint present (default true). */
  revocation?: boolean;
  /**
   * oauth2: a path for the issuer (e.g. '/tenant1'): the issuer becomes `http://127.0.0.1:PORT/tenant1`,
   * the RFC 8414 document moves to `/.well-known/oauth-authorization-server/tenant1` (inserted), the
   * OIDC one to `/tenant1/.well-known/openid-configuration` (appended). Default '' (none).
   */
  issuerPath?: string;

  /** Sign-in (oauth2, ups, teamup): more registered clients, accepted besides the default one wherever a client is checked. */
  clients?: { id: string; secret: string }[];
  /** Sign-in: the one redirect URI registered; authorization requests must name exactly it (default: any http://127.0.0.1:PORT/PATH or http://[::1]:PORT/PATH). */
  registeredRedirectUri?: string;
  /** Sign-in: also accept http://localhost:PORT/PATH redirect URIs (default false: RFC 8252 §8.3 wants the IP literal). */
  allowLocalhostRedirect?: boolean;
  /** Sign-in: authorization requests must carry an S256 code_challenge (default true for oauth2 and teamup, false for ups). */
  requirePkce?: boolean;
  /** Sign-in: skip the consent page and answer as if the user clicked Approve or Deny (default: show the page; `auto=` in the query wins). */
  autoConsent?: 'approve' | 'deny';
  /** Sign-in: authorization-code lifetime in seconds (default 60). */
  codeTtlSec?: number;
  /** oauth2: device-code lifetime in seconds, the device authorization's `expires_in` (default 600). */
  deviceExpiresInSec?: number;
  /** oauth2: the device flow's polling `interval` in seconds (default 5; 0 never answers slow_down). */
  deviceIntervalSec?: number;
  /** oauth2, ups: serve the client_credentials grant (default true; teamup default false). */
  clientCredentials?: boolean;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  bodyText: string;
  /** `now()` when the request had been read. */
  at: number;
}

export type Fault =
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  | { kind: 'rate_limit'; retryAfterSec: number }
  | { kind: 'unavailable'; retryAfterSec?: number }
  | { kind: 'server_error' }
  | { kind: 'hang' }
  | { kind: 'reset' }
  | { kind: 'trickle'; bytesPerSec: number }
  | { kind: 'html' }
  | { kind: 'truncated_json' }
  | { kind: 'wrong_types' }
  | { kind: 'missing_fields' }
  | { kind: 'oversize'; bytes?: number }
  | { kind: 'negative_expires_in' }
  | { kind: 'absurd_expires_in' }
  | { kind: 'vendor_error'; code: string }
  | { kind: 'redirect'; location: string; status?: number }
  /**
   * A hand-made answer, sent as given (tests of hostile responses). `body` is UTF-8 text,
   * `bodyBase64` raw bytes (invalid UTF-8, a lying gzip…); one of them or neither (empty body).
   * A content-length of the real size is added unless `headers` sets one or `chunked` is true
   * (then none: chunked transfer). `delayMs` waits before the status line; `closeAfterBytes`
   * sends that many body bytes and then ends the connection (a body shorter than declared).
   */
  | {
      kind: 'raw';
      status: number;
      headers?: Record<string, string>;
      body?: string;
      bodyBase64?: string;
      chunked?: boolean;
      delayMs?: number;
      closeAfterBytes?: number;
    }
  /** Reads the request, waits `afterMs` (default 0), then closes the connection without a byte of answer. */
  | { kind: 'close'; afterMs?: number };

export interface Grant {
  refreshToken: string;
  accessToken: string;
  expiresIn: number;
  settings: Record<string, string>;
  secrets: Record<string, string>;
}

export interface TokenRotation {
  at: number;
  oldTokenHash: string;
  newTokenHash: string;
}

export interface Simulator {
  /** A built-in provider's id, or the id a provider file gives (ledgerly). */
  readonly providerId: ProviderId | (string & {});
  /** Base URL to give the account (http://127.0.0.1:PORT[/prefix]); for oauth2 the issuer. */
  readonly url: string;
  /** Every request received (refresh, revoke, discovery, unknown paths), in order. */
  readonly requests: RecordedRequest[];
  /** sha256 hex prefixes, never raw tokens. */
  readonly rotations: TokenRotation[];
  issue(overrides?: Partial<{ refreshTtlSec: number }>): Grant;
  fail(fault: Fault, times?: number): void;
  clearFaults(): void;
  isValidAccessToken(token: string): boolean;
  isValidRefreshToken(token: string): boolean;
  /** Successful refreshes served (for banyan, v1 and v2 calls both count). */
  refreshCount: number;
  /** Every request to the authorization endpoint (sign-in), answered or refused, in order; always empty without sign-in. */
  readonly authorizationRequests: RecordedRequest[];
  /** Approves a pending device authorization as the user would on the device page; throws when the code is unknown, expired or decided. */
  approveDevice(userCode: string): void;
  /** Denies a pending device authorization (the next poll gets access_denied); throws like approveDevice. */
  denyDevice(userCode: string): void;
  /** A client the simulator accepts for client credentials and sign-in, its secret recorded for the leak scan; throws without sign-in. */
  clientCredentials(): { clientId: string; clientSecret: string };
  /** pathstack, vaultist: the one user whose password signs in (recorded for the leak scan). */
  passwordUser(): { username: string; password: string };
  close(): Promise<void>;
}
