// What a vendor file hands the harness: its routes and handlers, its error shapes, a sample
// success for the malformed-body faults, and how it issues a grant. The harness gives it a
// HarnessContext (options, grant store, clock, URL) in return.
import type { ProviderId } from '../../shared/domain.js';
import type { Grant, RecordedRequest } from './api.js';
import type { GrantStore } from './grants.js';
import type { ResolvedOptions, VendorDefaults } from './options.js';
import type { Reply } from './wire.js';

/**
 * A 2xx answer a handler wants to give, in a form the harness can spoil for a fault:
 * the vendor's own success shape plus where its access token / refresh token / expires_in sit.
 */
export interface SuccessView {
  success: true;
  body: Record<string, unknown>;
  accessTokenPath?: readonly string[];
  refreshTokenPath?: readonly string[];
  /** Absent when the vendor gives no expires_in (banyan: lifetime only in the JWT). */
  expiresInPath?: readonly string[];
  headers?: Record<string, string>;
  /** Non-JSON rendering (teamup format=xml). */
  serialize?: (body: Record<string, unknown>) => { contentType: string; text: string };
}

export interface CallContext {
  /** Lifetime for an access token minted by this call (a fault can make it lie, see expiresInOnlyInJwt). */
  accessTtlSec: number;
}

export interface Route {
  method: 'GET' | 'POST';
  /** Full path from the origin. */
  path: string;
  /** Refresh and revocation calls take faults; discovery does not. */
  faults: boolean;
  handle(req: RecordedRequest, ctx: CallContext): Reply | SuccessView;
}

export interface VendorWire {
  routes: Route[];
  /** 429 body in the vendor's shape (the harness adds Retry-After). */
  rateLimited(retryAfterSec: number): Reply;
  /** 500 in the vendor's shape (or plain text). */
  serverError(): Reply;
  /** The vendor's own error answer for `code`; undefined for a code the vendor does not have. */
  vendorError(code: string): Reply | undefined;
  /** A success answer with throwaway tokens, for the malformed-body faults. */
  sampleSuccess(): SuccessView;
  issue(overrides: Partial<{ refreshTtlSec: number }>): Grant;
  /** Sign-in (authorization endpoint, codes, device flow, client credentials: harness/authorization.ts); absent for vendors without it. */
  signIn?: SignInHandle;
  /** Password sign-in (pathstack, vaultist): the user it accepts. */
  passwordUser?: { username: string; password: string };
}

/** What the harness's handle needs of a vendor's sign-in (the SignIn class of harness/authorization.ts). */
export interface SignInHandle {
  readonly authorizationRequests: RecordedRequest[];
  approveDevice(userCode: string): void;
  denyDevice(userCode: string): void;
  defaultClientCredentials(): { clientId: string; clientSecret: string };
}

export interface HarnessContext {
  readonly options: ResolvedOptions;
  readonly grants: GrantStore;
  now(): number;
  /** http://127.0.0.1:PORT (only once listening, i.e. inside handlers and issue()). */
  readonly origin: string;
  /** origin + basePath. */
  readonly url: string;
}

export interface SimulatorDefinition {
  providerId: ProviderId | (string & {});
  /** Path prefix of `url` (teamup '/api/v2', banyan '/api'); '' for none. */
  basePath: string;
  defaults: VendorDefaults;
  /** RFC 9700 family revocation on reuse (oauth2). */
  revokeFamilyOnReuse?: boolean;
  /** The answer carries no expires_in: expires_in faults make the minted JWT's `exp` lie instead. */
  expiresInOnlyInJwt?: boolean;
  setup(h: HarnessContext): VendorWire;
}
