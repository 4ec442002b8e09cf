// Sign-in sessions: get an account its first tokens (or new ones after "Sign in again")
// without leaving TokenDesk. A session starts, returns what the user must see (the
// authorization URL to open in the system browser, or a device code), waits in the
// background, and hands the final token answer to the engine, which saves it like a
// refresh's (durable save first, history row `sign_in`, the account active and scheduled).
//   browser: authorization code + PKCE, loopback redirect (RFC 6749 §4.1, RFC 7636, RFC 8252)
//   device:  device authorization grant (RFC 8628)
//   password: one request with the user's password, where the vendor has no OAuth flow
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EventPayload, SignInInfo } from '../../../shared/contract.js';
import type { HistoryActor } from '../../../shared/domain.js';
import { randomId } from '../ids.js';
import { isAllowedEndpointUrl } from '../../../shared/provider-fields.js';
import { ContractError } from '../contract.js';
import type { AccountView, RefreshOutcome } from '../engine/types.js';
import type { Engine } from '../engine/engine.js';
import { sendRequest, type WireRequest } from '../net/http.js';
import { ProviderError } from '../net/provider-error.js';
import { Redactor } from '../net/redact.js';
import { guard, requestTokens, resolveEndpoints, type RefreshResult } from '../providers/call.js';
import { parseJsonLoose } from '../providers/common.js';
import type { ProviderAccount, ProviderSpec, ResolvedEndpoints } from '../providers/types.js';
import { DEFAULT_SIGN_IN_TIMEOUT_MS, LoopbackRedirect } from './loopback.js';
import { createPkce, createState } from './pkce.js';

export type SignInMethod = 'browser' | 'device' | 'password';
export interface Credentials {
  username: string;
  password: string;
}
export type SignInState = SignInChange['state'];
export type { SignInInfo };

export interface SignInOptions {
  /** How long the user has (browser default 5 min; device: the code's own lifetime, at most this). */
  timeoutMs?: number;
  /** Per HTTP request (the exchange, each device poll). */
  httpTimeoutMs?: number;
  now?: () => number;
  /** Waits between device polls (tests shorten nothing: the provider's interval rules). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

interface Session {
  info: SignInInfo;
  controller: AbortController;
  done: Promise<AccountView>;
}

const DeviceAnswerSchema = z.object({
  device_code: z.string().min(1),
  user_code: z.string().min(1).max(64),
  verification_uri: z.string().min(1).optional(),
  verification_url: z.string().min(1).optional(), // an early draft's name, still served by some
  verification_uri_complete: z.string().optional(),
  expires_in: z.union([z.number(), z.string()]),
  interval: z.union([z.number(), z.string()]).optional(),
});

const PollErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

function abortable(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

const cancelled = () => new ProviderError({ errorClass: 'reauth_required', vendorCode: 'cancelled', message: 'Sign-in cancelled' });

/** The outcome of the engine's save, as the session's result. */
function accountOrThrow(outcome: RefreshOutcome, view: AccountView): AccountView {
  if (outcome.ok) return view;
  throw new ProviderError({ errorClass: outcome.event.errorClass ?? 'transient', httpStatus: outcome.event.httpStatus, message: outcome.event.message ?? 'The sign-in did not complete' });
}

type SignInChange = EventPayload<'signin-changed'>;

interface Asked {
  actor?: HistoryActor;
  /** The tokens reached the engine, which records the sign-in's row itself. */
  exchanged: boolean;
  started: number;
}

export class SignInSessions {
  readonly #sessions = new Map<string, Session>();
  /** Per account (one sign-in each at a time): who started it, and whether its tokens reached the engine (which records that row). */
  readonly #asked = new Map<string, Asked>();
  readonly #now: () => number;

  constructor(
    private readonly engine: Engine,
    private readonly options: SignInOptions = {},
  ) {
    this.#now = options.now ?? Date.now;
  }

  #emit(change: SignInChange): void {
    this.engine.emit('signin-changed', change);
  }

  /** Which sign-ins the provider of `accountId` offers. */
  methods(accountId: string): SignInMethod[] {
    const { spec } = this.engine.signInContext(accountId);
    return [
      ...(spec.signIn?.authorizationCode ? ['browser' as const] : []),
      ...(spec.signIn?.device ? ['device' as const] : []),
      ...(spec.signIn?.password ? ['password' as const] : []),
    ];
  }

  /** `actor`: who asked, for the history row of the sign-in (the engine's own actor when absent). */
  async start(
    accountId: string,
    method: SignInMethod,
    timeoutMs = this.options.timeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS,
    credentials?: Credentials,
    actor?: HistoryActor,
  ): Promise<SignInInfo> {
    const context = this.engine.signInContext(accountId);
    // One sign-in per account at a time: a new one replaces the one the user walked away from.
    for (const s of this.#sessions.values()) if (s.info.accountId === accountId) this.cancel(s.info.sessionId);
    const asked: Asked = { actor, exchanged: false, started: performance.now() };
    this.#asked.set(accountId, asked);
    const sessionId = randomUUID();
    const controller = new AbortController();
    const started =
      method === 'browser'
        ? await this.#startBrowser(sessionId, context, controller.signal, timeoutMs)
        : method === 'device'
          ? await this.#startDevice(sessionId, context, controller.signal, timeoutMs)
          : this.#startPassword(sessionId, context, controller.signal, credentials);
    const done = started.run().then(
      (view) => {
        this.#finish(started.info, 'done');
        if (this.#asked.get(accountId) === asked) this.#asked.delete(accountId);
        return view;
      },
      (err: unknown) => {
        const error = err instanceof ProviderError ? err : new ProviderError({ errorClass: 'transient', message: `Sign-in failed: ${(err as Error)?.message ?? String(err)}` });
        this.#finish(started.info, error.vendorCode === 'cancelled' ? 'cancelled' : 'failed', error.message);
        // Declined, timed out, refused before any tokens: the engine saw nothing, so the row is recorded here.
        if (error.vendorCode !== 'cancelled' && !asked.exchanged) this.#recordFailure(context.name, accountId, asked, error);
        if (this.#asked.get(accountId) === asked) this.#asked.delete(accountId);
        throw error;
      },
    );
    done.catch(() => undefined); // a failure is reported by the event and by wait(); never unhandled
    this.#sessions.set(sessionId, { info: started.info, controller, done });
    this.#emit({ sessionId, accountId, state: 'waiting' });
    return started.info;
  }

  /** Resolves with the signed-in account, or rejects with why not. Unknown id: not_found. */
  wait(sessionId: string): Promise<AccountView> {
    const session = this.#sessions.get(sessionId);
    if (!session) return Promise.reject(new ContractError('not_found', 'No such sign-in is waiting (it finished a while ago, or never started)'));
    return session.done;
  }

  cancel(sessionId: string): boolean {
    const session = this.#sessions.get(sessionId);
    if (!session) return false;
    session.controller.abort(cancelled());
    return true;
  }

  cancelAll(): void {
    for (const id of [...this.#sessions.keys()]) this.cancel(id);
  }

  /**
   * One device poll: the tokens once approved; 'pending' or 'slow_down' while the user has
   * not decided (RFC 8628 §3.5); a ProviderError when it is over (declined, expired, refused).
   */
  async #poll(spec: ProviderSpec, account: ProviderAccount, request: WireRequest, secrets: string[], signal: AbortSignal): Promise<RefreshResult | 'pending' | 'slow_down'> {
    const all = [...Object.values(account.secrets), ...secrets];
    return guard(new Redactor(all), async () => {
      const started = performance.now();
      const response = await sendRequest(request, { timeoutMs: this.options.httpTimeoutMs, secrets: all, signal });
      if (response.status >= 200 && response.status < 300) {
        const tokens = spec.parseRefreshResponse(response, { account, now: this.#now() });
        return { tokens, httpStatus: response.status, durationMs: performance.now() - started };
      }
      const error = PollErrorSchema.safeParse(parseJsonLoose(response.bodyText));
      switch (error.success ? error.data.error : undefined) {
        case 'authorization_pending':
          return 'pending';
        case 'slow_down':
          return 'slow_down';
        case 'access_denied':
          throw new ProviderError({ errorClass: 'reauth_required', vendorCode: 'access_denied', httpStatus: response.status, message: 'Sign-in was declined on the other device' });
        case 'expired_token':
          throw new ProviderError({ errorClass: 'reauth_required', vendorCode: 'expired_token', httpStatus: response.status, message: 'The code expired before it was approved; start again' });
        default:
          throw new ProviderError(spec.classifyFailure(response));
      }
    });
  }

  #recordFailure(accountName: string, accountId: string, { actor, started }: Asked, error: ProviderError): void {
    const at = this.#now();
    void this.engine.record({
      id: randomId(),
      accountId,
      accountName,
      at,
      action: 'signed_in',
      ...(actor ? { actor } : {}),
      trigger: 'sign_in',
      outcome: 'error',
      errorClass: error.errorClass,
      httpStatus: error.httpStatus,
      durationMs: performance.now() - started,
      message: error.message,
    });
  }

  #finish(info: SignInInfo, state: SignInState, message?: string): void {
    // Kept a moment after the end, so a wait() that arrives late still hears the outcome.
    setTimeout(() => this.#sessions.delete(info.sessionId), 60_000).unref();
    this.#emit({ sessionId: info.sessionId, accountId: info.accountId, state, ...(message ? { message } : {}) });
  }

  async #endpoints(spec: ProviderSpec, account: ProviderAccount, cached: ResolvedEndpoints | undefined, need: 'authorizationUrl' | 'deviceAuthorizationUrl'): Promise<ResolvedEndpoints | undefined> {
    const opts = { timeoutMs: this.options.httpTimeoutMs };
    // Endpoints cached before sign-in existed lack the sign-in ones: discover again.
    const endpoints = await guard(new Redactor(Object.values(account.secrets)), () => resolveEndpoints(spec, account, { ...opts, endpoints: cached?.[need] ? cached : undefined }));
    return endpoints;
  }

  /** Hands the final token answer to the engine; resolves with the account once saved. */
  async #exchange(accountId: string, obtain: (account: ProviderAccount) => Promise<RefreshResult>): Promise<AccountView> {
    const asked = this.#asked.get(accountId);
    if (asked) asked.exchanged = true;
    const outcome = await this.engine.signIn(accountId, obtain, asked?.actor);
    return accountOrThrow(outcome, this.engine.get(accountId));
  }

  async #startBrowser(sessionId: string, context: ReturnType<Engine['signInContext']>, signal: AbortSignal, timeoutMs: number) {
    const { spec, account } = context;
    const flow = spec.signIn?.authorizationCode;
    if (!flow) throw new ProviderError({ errorClass: 'config_error', message: `TokenDesk cannot sign in to ${spec.name} with a browser; paste the token it issues instead` });
    const endpoints = spec.discovery ? await this.#endpoints(spec, account, context.endpoints, 'authorizationUrl') : undefined;
    const authorizeUrl = flow.authorizeUrl(account, endpoints);
    if (!isAllowedEndpointUrl(authorizeUrl)) {
      throw new ProviderError({ errorClass: 'config_error', message: `The authorization URL ${authorizeUrl} is not https (plain http is allowed only on localhost)` });
    }
    const clientId = account.settings['client_id'];
    if (!clientId) throw new ProviderError({ errorClass: 'config_error', message: 'Signing in needs the Client ID' });
    const pkce = createPkce();
    const state = createState();
    const loopback = await LoopbackRedirect.open({ state, redirectUri: flow.registeredRedirectUri?.(account), timeoutMs, signal });
    const url = new URL(authorizeUrl);
    const params: Record<string, string | undefined> = {
      ...flow.extraParams(account),
      response_type: 'code',
      client_id: clientId,
      redirect_uri: loopback.redirectUri,
      state,
      code_challenge: pkce.challenge,
      code_challenge_method: pkce.method,
    };
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') url.searchParams.set(k, v);
    const info: SignInInfo = { sessionId, accountId: account.id, method: 'browser', url: url.href, redirectUri: loopback.redirectUri, expiresAt: this.#now() + timeoutMs };
    const run = async () => {
      const { code } = await loopback.wait();
      const grant = { code, redirectUri: loopback.redirectUri, codeVerifier: pkce.verifier };
      return this.#exchange(account.id, (current) =>
        requestTokens(spec, current, (resolved) => flow.buildExchange(current, grant, resolved ?? endpoints), {
          timeoutMs: this.options.httpTimeoutMs,
          now: this.#now,
          endpoints,
          secrets: [code, pkce.verifier],
        }),
      );
    };
    return { info, run };
  }

  /** One request with the user's password; the credentials are used for it and forgotten. */
  #startPassword(sessionId: string, context: ReturnType<Engine['signInContext']>, signal: AbortSignal, credentials: Credentials | undefined) {
    const { spec, account } = context;
    const flow = spec.signIn?.password;
    if (!flow) throw new ProviderError({ errorClass: 'config_error', message: `${spec.name} offers no password sign-in` });
    if (!credentials) throw new ContractError('invalid_input', `Signing in to ${spec.name} needs the ${flow.userLabel.toLowerCase()} and the password`);
    const info: SignInInfo = { sessionId, accountId: account.id, method: 'password', expiresAt: this.#now() + (this.options.httpTimeoutMs ?? 15_000) };
    const run = () =>
      this.#exchange(account.id, (current) =>
        requestTokens(spec, current, () => flow.buildRequest(current, credentials), {
          timeoutMs: this.options.httpTimeoutMs,
          now: this.#now,
          secrets: [credentials.password],
          signal,
          settingsFrom: flow.settingsFrom,
        }).catch((err: unknown) => {
          // A refused password is the user's to fix, whatever the vendor calls it.
          const refused = err instanceof ProviderError && (err.httpStatus === 400 || err.httpStatus === 401 || err.httpStatus === 403);
          throw refused ? new ProviderError({ ...err, errorClass: 'reauth_required', message: `${spec.name} refused the sign-in: ${err.message}` }) : err;
        }),
      );
    return { info, run };
  }

  async #startDevice(sessionId: string, context: ReturnType<Engine['signInContext']>, signal: AbortSignal, timeoutMs: number) {
    const { spec, account } = context;
    const flow = spec.signIn?.device;
    if (!flow) throw new ProviderError({ errorClass: 'config_error', message: `${spec.name} offers no device sign-in` });
    const endpoints = spec.discovery ? await this.#endpoints(spec, account, context.endpoints, 'deviceAuthorizationUrl') : undefined;
    const redactor = new Redactor(Object.values(account.secrets));
    const answer = await guard(redactor, async () => {
      const response = await sendRequest(flow.buildDeviceRequest(account, endpoints), { timeoutMs: this.options.httpTimeoutMs, secrets: Object.values(account.secrets) });
      if (response.status !== 200) throw new ProviderError(spec.classifyFailure(response));
      const parsed = DeviceAnswerSchema.safeParse(parseJsonLoose(response.bodyText));
      const verificationUri = parsed.success ? (parsed.data.verification_uri ?? parsed.data.verification_url) : undefined;
      if (!parsed.success || !verificationUri) throw new ProviderError({ errorClass: 'transient', message: 'Malformed device authorization answer (RFC 8628 §3.2)' });
      for (const u of [verificationUri, parsed.data.verification_uri_complete]) {
        if (u !== undefined && !isAllowedEndpointUrl(u)) throw new ProviderError({ errorClass: 'config_error', message: `The verification URL ${u} is not https` });
      }
      return { ...parsed.data, verificationUri };
    });
    const lifetimeMs = Math.min(Number(answer.expires_in) * 1000 || timeoutMs, timeoutMs);
    const expiresAt = this.#now() + lifetimeMs;
    const info: SignInInfo = {
      sessionId,
      accountId: account.id,
      method: 'device',
      verificationUri: answer.verificationUri,
      ...(answer.verification_uri_complete ? { verificationUriComplete: answer.verification_uri_complete } : {}),
      userCode: answer.user_code,
      expiresAt,
    };
    const sleep = this.options.sleep ?? abortable;
    const poll = () => this.#poll(spec, account, flow.buildPollRequest(account, answer.device_code, endpoints), [answer.device_code], signal);
    const run = async () => {
      // RFC 8628 §3.5: poll at `interval` (default 5 s); slow_down adds 5 s for good.
      let intervalMs = answer.interval !== undefined ? Math.max(0, Number(answer.interval) * 1000) : 5_000;
      for (;;) {
        await sleep(intervalMs, signal);
        if (this.#now() >= expiresAt) throw new ProviderError({ errorClass: 'reauth_required', vendorCode: 'expired_token', message: 'The code expired before it was approved; start again' });
        const verdict = await poll();
        if (verdict === 'pending') continue;
        if (verdict === 'slow_down') {
          intervalMs += 5_000;
          continue;
        }
        return this.#exchange(account.id, async () => verdict);
      }
    };
    return { info, run };
  }
}

