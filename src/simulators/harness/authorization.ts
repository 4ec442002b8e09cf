// Sign-in, shared by the vendors that have it (oauth2, ups, teamup): registered clients, the
// authorization endpoint with its consent page (RFC 6749 §4.1, PKCE S256 per RFC 7636,
// loopback redirects per RFC 8252 §7.3), single-use authorization codes, the device
// authorization grant (RFC 8628) and client credentials (RFC 6749 §4.4). The vendor file
// keeps what differs: paths, client authentication at its token endpoint, scopes, and the
// shape of its answers and errors.
import { createHash } from 'node:crypto';
import type { RecordedRequest } from './api.js';
import { DeviceFlow, type DevicePoll } from './device.js';
import type { GrantRecord, GrantStore } from './grants.js';
import { checkNonNegative } from './options.js';
import { consentPage, deviceConsentPage, deviceDonePage, deviceEntryPage, errorPage } from './pages.js';
import { randomToken, recordIssuedSecret } from './tokens.js';
import type { HarnessContext, Route } from './vendor.js';
import { mediaType, type Reply } from './wire.js';

/** A registered client: its id and secret (an empty secret never authenticates). */
export interface SignInClient {
  id: string;
  secret: string;
}

/** What a sign-in hands out: a new grant in the GrantStore, so refresh, rotation and reuse detection apply. */
export type IssuedGrant = ReturnType<GrantStore['create']>;

export type ScopeCheck = { ok: true; scope: string } | { ok: false; description: string };

export interface SignInConfig {
  /** Shown on the pages: "Sign in to <vendor> (simulator)". */
  vendor: string;
  /** Full paths from the origin. */
  authorizePath: string;
  decisionPath: string;
  /** The client `issue()` uses, always accepted. */
  defaultClient: SignInClient;
  /** Vendor defaults of the options requirePkce and clientCredentials. */
  requirePkce: boolean;
  clientCredentials: boolean;
  /** The scope granted for a requested one (undefined when the request names none), or why it is refused. */
  scope(requested: string | undefined): ScopeCheck;
  /** Mints the grant of a finished sign-in in the vendor's token shapes. */
  createGrant(clientId: string, scope: string): IssuedGrant;
  /** A replayed code revokes the grant it produced (RFC 6749 §4.1.2 "SHOULD"). */
  revokeOnCodeReuse?: boolean;
  /** The device flow's page paths (full paths) and the verification URL it announces; absent: no device flow. */
  device?: { pagePath: string; decisionPath: string; verificationUri: () => string };
}

export type CodeRejection = 'missing' | 'unknown' | 'client' | 'used' | 'expired' | 'redirect_uri' | 'pkce';

export type CodeExchange =
  | { ok: true; issued: IssuedGrant; clientId: string; scope: string }
  | { ok: false; error: 'invalid_request' | 'invalid_grant'; reason: CodeRejection; description: string };

export type DeviceExchange = { ok: true; issued: IssuedGrant; clientId: string; scope: string } | Extract<DevicePoll, { ok: false }>;

interface Consent {
  clientId: string;
  redirectUri: string;
  state: string;
  challenge: string | undefined;
  scope: string;
}

interface CodeRecord extends Consent {
  expiresAt: number;
  used: boolean;
  grant: GrantRecord | undefined;
}

const DEFAULT_CODE_TTL_SEC = 60;
const DEFAULT_DEVICE_EXPIRES_IN_SEC = 600;
const DEFAULT_DEVICE_INTERVAL_SEC = 5;
/** How long a consent page stays answerable. */
const CONSENT_TTL_MS = 10 * 60 * 1000;
/** RFC 7636 §4.1 code_verifier and §4.2 S256 code_challenge (base64url of 32 bytes). */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** A redirect back to the client with `params` added to its query (RFC 6749 §4.1.2). */
function redirectTo(redirectUri: string, params: Record<string, string | undefined>): Reply {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.append(name, value);
  return { status: 302, headers: { location: url.toString(), 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }, body: '' };
}

const LOOPBACK_REDIRECT = /^http:\/\/(127\.0\.0\.1|\[::1\]|localhost):(\d{1,5})(\/[^?#]*)(\?[^#]*)?$/;

export class SignIn {
  /** Every request to the authorization endpoint, good or bad, in order. */
  readonly authorizationRequests: RecordedRequest[] = [];
  private readonly clients = new Map<string, SignInClient>();
  private readonly consents = new Map<string, Consent & { expiresAt: number }>();
  private readonly codes = new Map<string, CodeRecord>();
  private readonly device: DeviceFlow | undefined;
  private readonly requirePkce: boolean;
  private readonly clientCredentialsOn: boolean;
  private readonly codeTtlSec: number;

  constructor(
    private readonly h: HarnessContext,
    private readonly cfg: SignInConfig,
  ) {
    const raw = h.options.raw;
    checkNonNegative('codeTtlSec', raw.codeTtlSec);
    checkNonNegative('deviceExpiresInSec', raw.deviceExpiresInSec);
    checkNonNegative('deviceIntervalSec', raw.deviceIntervalSec);
    if (raw.autoConsent !== undefined && raw.autoConsent !== 'approve' && raw.autoConsent !== 'deny') {
      throw new RangeError(`autoConsent must be 'approve' or 'deny', got ${String(raw.autoConsent)}`);
    }
    if (raw.registeredRedirectUri !== undefined && !URL.canParse(raw.registeredRedirectUri)) {
      throw new RangeError('registeredRedirectUri must be an absolute URL');
    }
    this.clients.set(cfg.defaultClient.id, cfg.defaultClient);
    for (const client of raw.clients ?? []) {
      if (typeof client.id !== 'string' || client.id === '' || typeof client.secret !== 'string') {
        throw new RangeError('clients: each needs a non-empty id and a secret string');
      }
      if (client.secret !== '') recordIssuedSecret(client.secret);
      this.clients.set(client.id, { id: client.id, secret: client.secret });
    }
    this.requirePkce = raw.requirePkce ?? cfg.requirePkce;
    this.clientCredentialsOn = raw.clientCredentials ?? cfg.clientCredentials;
    this.codeTtlSec = raw.codeTtlSec ?? DEFAULT_CODE_TTL_SEC;
    if (cfg.device) {
      this.device = new DeviceFlow({
        now: h.now,
        expiresInSec: raw.deviceExpiresInSec ?? DEFAULT_DEVICE_EXPIRES_IN_SEC,
        intervalSec: raw.deviceIntervalSec ?? DEFAULT_DEVICE_INTERVAL_SEC,
        verificationUri: cfg.device.verificationUri,
      });
    }
  }

  /** A registered client by id. */
  client(id: string | null | undefined): SignInClient | undefined {
    return id ? this.clients.get(id) : undefined;
  }

  /** The registered client `id` names when `secret` is its (non-empty) secret; undefined otherwise. */
  authenticates(id: string | null | undefined, secret: string | null | undefined): SignInClient | undefined {
    const client = this.client(id);
    return client && client.secret !== '' && secret === client.secret ? client : undefined;
  }

  get clientCredentialsEnabled(): boolean {
    return this.clientCredentialsOn;
  }

  /** The simulator handle's clientCredentials(): the default client, its secret recorded for the leak scan. */
  defaultClientCredentials(): { clientId: string; clientSecret: string } {
    const { id, secret } = this.cfg.defaultClient;
    return { clientId: id, clientSecret: recordIssuedSecret(secret) };
  }

  /** The browser-facing routes: authorization endpoint, consent decision and, with a device flow, its pages. */
  routes(): Route[] {
    const routes: Route[] = [
      { method: 'GET', path: this.cfg.authorizePath, faults: false, handle: (req) => this.authorize(req) },
      { method: 'POST', path: this.cfg.decisionPath, faults: false, handle: (req) => this.consentDecision(req) },
    ];
    const device = this.cfg.device;
    if (device) {
      routes.push(
        { method: 'GET', path: device.pagePath, faults: false, handle: (req) => this.devicePage(req.query['user_code']) },
        { method: 'POST', path: device.decisionPath, faults: false, handle: (req) => this.deviceDecision(req) },
      );
    }
    return routes;
  }

  // --- authorization endpoint ---------------------------------------------------------

  private authorize(req: RecordedRequest): Reply {
    this.authorizationRequests.push(req);
    const q = req.query;
    const vendor = this.cfg.vendor;
    // RFC 6749 §4.1.2.1: with no trustworthy client or redirect URI, tell the user, never redirect.
    if (!q['client_id']) return errorPage(400, vendor, 'The request has no client_id.');
    const client = this.client(q['client_id']);
    if (!client) return errorPage(400, vendor, 'Unknown client_id: this application is not registered.');
    const redirectProblem = this.redirectProblem(q['redirect_uri']);
    if (redirectProblem) return errorPage(400, vendor, redirectProblem);
    const redirectUri = q['redirect_uri']!;
    const auto = q['auto'] ?? this.h.options.raw.autoConsent;
    if (auto !== undefined && auto !== 'approve' && auto !== 'deny') return errorPage(400, vendor, 'auto must be approve or deny.');

    const state = q['state'];
    const refuse = (error: string, description: string) => redirectTo(redirectUri, { error, error_description: description, state });
    if (!q['response_type']) return refuse('invalid_request', 'response_type is required.');
    if (q['response_type'] !== 'code') return refuse('unsupported_response_type', 'Only response_type=code is supported.');
    if (!state) return refuse('invalid_request', 'state is required.');
    const challenge = q['code_challenge'];
    const method = q['code_challenge_method'];
    if (challenge === undefined) {
      if (method !== undefined) return refuse('invalid_request', 'code_challenge_method without code_challenge.');
      if (this.requirePkce) return refuse('invalid_request', 'PKCE is required: send code_challenge with code_challenge_method=S256.');
    } else {
      if (method !== 'S256') return refuse('invalid_request', 'Only code_challenge_method=S256 is supported.');
      if (!S256_CHALLENGE.test(challenge)) return refuse('invalid_request', 'code_challenge is not a base64url SHA-256 value.');
    }
    const scope = this.cfg.scope(q['scope']);
    if (!scope.ok) return refuse('invalid_scope', scope.description);

    const consent: Consent = { clientId: client.id, redirectUri, state, challenge, scope: scope.scope };
    if (auto !== undefined) return this.decide(consent, auto === 'approve');
    const now = this.h.now();
    for (const [id, stale] of this.consents) if (now >= stale.expiresAt) this.consents.delete(id);
    const requestId = randomToken(18);
    this.consents.set(requestId, { ...consent, expiresAt: now + CONSENT_TTL_MS });
    return consentPage(vendor, this.cfg.decisionPath, requestId, client.id, scope.scope);
  }

  /** Why a redirect URI is refused, or undefined when it is acceptable. */
  private redirectProblem(redirectUri: string | undefined): string | undefined {
    if (!redirectUri) return 'The request has no redirect_uri.';
    const registered = this.h.options.raw.registeredRedirectUri;
    if (registered !== undefined) {
      return redirectUri === registered ? undefined : 'redirect_uri does not match the registered redirect URI.';
    }
    const match = LOOPBACK_REDIRECT.exec(redirectUri);
    if (!match) return 'redirect_uri must be a loopback URL: http://127.0.0.1:PORT/PATH or http://[::1]:PORT/PATH.';
    const port = Number(match[2]);
    if (!(port >= 1 && port <= 65535)) return 'redirect_uri has no valid port.';
    if (match[1] === 'localhost' && !this.h.options.raw.allowLocalhostRedirect) {
      return 'redirect_uri uses localhost: use the loopback IP literal 127.0.0.1 or [::1] (RFC 8252 §8.3).';
    }
    return undefined;
  }

  private consentDecision(req: RecordedRequest): Reply {
    const vendor = this.cfg.vendor;
    if (mediaType(req) !== 'application/x-www-form-urlencoded') return errorPage(400, vendor, 'The decision must be a form post.');
    const form = new URLSearchParams(req.bodyText);
    const decision = form.get('decision');
    if (decision !== 'approve' && decision !== 'deny') return errorPage(400, vendor, 'decision must be approve or deny.');
    const id = form.get('request_id') ?? '';
    const consent = this.consents.get(id);
    this.consents.delete(id);
    if (!consent || this.h.now() >= consent.expiresAt) {
      return errorPage(400, vendor, 'This sign-in request is unknown, expired or already answered. Start the sign-in again.');
    }
    return this.decide(consent, decision === 'approve');
  }

  /** Approve: a code bound to client, redirect URI and challenge. Deny: access_denied. Both back to the client with its state. */
  private decide(consent: Consent, approve: boolean): Reply {
    if (!approve) {
      return redirectTo(consent.redirectUri, { error: 'access_denied', error_description: 'The user denied the request.', state: consent.state });
    }
    const code = recordIssuedSecret(`ac_${randomToken(32)}`);
    this.codes.set(code, { ...consent, expiresAt: this.h.now() + this.codeTtlSec * 1000, used: false, grant: undefined });
    return redirectTo(consent.redirectUri, { code, state: consent.state });
  }

  // --- token endpoint: authorization_code ----------------------------------------------

  /**
   * RFC 6749 §4.1.3 for a client the vendor has already authenticated (or identified, for a
   * public client). The code is used up by the first exchange of its own client, whatever
   * the outcome. `requireVerifier`: the client sent no secret, so the code must carry PKCE.
   */
  exchangeCode(clientId: string, form: URLSearchParams, opts: { requireVerifier?: boolean } = {}): CodeExchange {
    const code = form.get('code');
    const redirectUri = form.get('redirect_uri');
    const verifier = form.get('code_verifier');
    const fail = (error: 'invalid_request' | 'invalid_grant', reason: CodeRejection, description: string): CodeExchange => ({
      ok: false,
      error,
      reason,
      description,
    });
    if (verifier) recordIssuedSecret(verifier);
    if (!code) return fail('invalid_request', 'missing', 'code is required.');
    if (!redirectUri) return fail('invalid_request', 'missing', 'redirect_uri is required.');
    const record = this.codes.get(code);
    if (!record) return fail('invalid_grant', 'unknown', 'The authorization code is invalid.');
    if (record.clientId !== clientId) return fail('invalid_grant', 'client', 'The authorization code was issued to another client.');
    if (record.used) {
      if (this.cfg.revokeOnCodeReuse && record.grant) this.h.grants.revokeGrant(record.grant);
      return fail('invalid_grant', 'used', 'The authorization code was already used.');
    }
    record.used = true;
    if (this.h.now() >= record.expiresAt) return fail('invalid_grant', 'expired', 'The authorization code has expired.');
    if (redirectUri !== record.redirectUri) return fail('invalid_grant', 'redirect_uri', 'redirect_uri does not match the authorization request.');
    if (record.challenge === undefined) {
      if (verifier !== null) return fail('invalid_grant', 'pkce', 'code_verifier sent, but the authorization request had no code_challenge.');
      if (opts.requireVerifier) return fail('invalid_grant', 'pkce', 'A client without a secret must use PKCE.');
    } else {
      if (verifier === null) return fail('invalid_grant', 'pkce', 'code_verifier is required: the authorization request had a code_challenge.');
      if (!VERIFIER.test(verifier) || s256(verifier) !== record.challenge) return fail('invalid_grant', 'pkce', 'code_verifier does not match the code_challenge.');
    }
    const issued = this.cfg.createGrant(clientId, record.scope);
    record.grant = issued.grant;
    return { ok: true, issued, clientId, scope: record.scope };
  }

  // --- client credentials ---------------------------------------------------------------

  /** RFC 6749 §4.4: an access token for the client itself, no refresh token. */
  clientCredentialsGrant(
    clientId: string,
    scope: string,
    accessTtlSec: number,
    attrs: Record<string, string> = {},
  ): { accessToken: string; expiresIn: number; scope: string } {
    const { accessToken, expiresIn } = this.h.grants.createAccessOnly({
      subject: clientId,
      attrs: { client_id: clientId, scope, grant_type: 'client_credentials', ...attrs },
      claims: { client_id: clientId, scope },
      accessTtlSec,
    });
    return { accessToken, expiresIn, scope };
  }

  // --- device flow ----------------------------------------------------------------------

  get hasDeviceFlow(): boolean {
    return this.device !== undefined;
  }

  /** RFC 8628 §3.2: the device authorization answer (the vendor authenticated the client and checked the scope). */
  startDevice(clientId: string, scope: string): Record<string, unknown> {
    return this.requireDevice().start(clientId, scope);
  }

  /** RFC 8628 §3.4: a token-endpoint poll; approved once → a new grant. */
  pollDevice(clientId: string, form: URLSearchParams): DeviceExchange {
    const polled = this.requireDevice().poll(clientId, form.get('device_code'));
    if (!polled.ok) return polled;
    const issued = this.cfg.createGrant(clientId, polled.record.scope);
    return { ok: true, issued, clientId, scope: polled.record.scope };
  }

  approveDevice(userCode: string): void {
    this.decideDevice(userCode, true);
  }

  denyDevice(userCode: string): void {
    this.decideDevice(userCode, false);
  }

  private decideDevice(userCode: string, approve: boolean): void {
    if (!this.requireDevice().decide(userCode, approve)) {
      throw new RangeError('no pending device authorization has this user code (unknown, expired or already decided)');
    }
  }

  private requireDevice(): DeviceFlow {
    if (!this.device) throw new Error(`the ${this.cfg.vendor} simulator has no device flow`);
    return this.device;
  }

  private devicePage(typed: string | undefined): Reply {
    const { vendor } = this.cfg;
    const device = this.cfg.device!;
    if (typed === undefined || typed.trim() === '') return deviceEntryPage(200, vendor, device.pagePath);
    const record = this.requireDevice().pending(typed);
    if (!record) return deviceEntryPage(400, vendor, device.pagePath, 'That code is unknown, expired or already used. Check the code on your device.');
    return deviceConsentPage(vendor, device.decisionPath, record.userCode, record.clientId, record.scope);
  }

  private deviceDecision(req: RecordedRequest): Reply {
    const vendor = this.cfg.vendor;
    if (mediaType(req) !== 'application/x-www-form-urlencoded') return errorPage(400, vendor, 'The decision must be a form post.');
    const form = new URLSearchParams(req.bodyText);
    const decision = form.get('decision');
    if (decision !== 'approve' && decision !== 'deny') return errorPage(400, vendor, 'decision must be approve or deny.');
    if (!this.requireDevice().decide(form.get('user_code') ?? '', decision === 'approve')) {
      return errorPage(400, vendor, 'That code is unknown, expired or already answered.');
    }
    return deviceDonePage(vendor, decision === 'approve');
  }
}
