// The refresh engine (docs/ARCHITECTURE.md "Refresh engine"): one timer over a deadline queue,
// single-flight refreshes, a per-provider concurrency cap, durable save before
// anything else, failures handled by class, catch-up after clock jumps.
import { EventEmitter, setMaxListeners } from 'node:events';
import { RefreshEventSchema, TokenSetSchema, type HistoryActor, type RefreshEvent, type RefreshEventInput, type RefreshTrigger } from '../../../shared/domain.js';
import { randomId } from '../ids.js';
import { refreshTokens, revokeTokens, type RefreshResult, type RevokeResult } from '../providers/call.js';
import { providers as builtInSpecs } from '../providers/index.js';
import { ProviderError } from '../net/provider-error.js';
import type { ProviderAccount, ProviderSpec } from '../providers/types.js';
import { backoffDelay, DEFAULT_MARGIN, marginFor, nextDeadline, type MarginPolicy } from './deadline.js';
import { DeadlineQueue } from './deadline-queue.js';
import { tokenFingerprint } from './fingerprint.js';
import { Semaphore } from './semaphore.js';
import { tokenStateOf, type AccountRecord, type AccountView, type EngineEvents, type EngineStore, type RefreshLease, type RefreshOutcome, type TokensSaved } from './types.js';

export interface EngineOptions {
  store: EngineStore;
  specs?: Readonly<Record<string, ProviderSpec>>;
  now?: () => number;
  random?: () => number;
  /** Per-request timeout for provider calls. */
  timeoutMs?: number;
  perProviderConcurrency?: number;
  /**
   * The timer never sleeps longer than this, so a wall-clock jump (suspend, clock
   * change) is noticed within it even when no power event arrives (headless).
   */
  clockCheckMs?: number;
  marginPolicy?: MarginPolicy;
  /** First delay before retrying a failed save; doubles up to a minute. */
  saveRetryMs?: number;
  /** Wait used for a 429 without Retry-After. */
  defaultRateLimitWaitMs?: number;
  /** Transient-failure backoff: full jitter over base·2^attempt, capped (5 s, 5 min). */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Who the engine's own refreshes (scheduled, startup, resume, retry) are recorded as: `daemon` (default) or `app`. */
  actor?: HistoryActor;
}

interface Slot {
  record: AccountRecord;
  secrets: Record<string, string>;
  inFlight?: Promise<RefreshOutcome>;
  retryAttempt: number;
  /** When a retry (backoff or Retry-After) is due; overrides the normal deadline. */
  retryAt?: number;
  refreshing: boolean;
  /** The last successful refresh is only in memory: its durable save failed. */
  unsaved: boolean;
  /** A revoke is under way: the scheduler leaves the account alone. */
  revoking?: boolean;
  /** Who asked for the refresh in flight (a process handed the token), for its history row. */
  requestedBy?: string;
}

const JUMP_THRESHOLD_MS = 2_000;
/** backoffDelay's floor: no retry comes sooner than this after a failure. */
const MIN_RETRY_MS = 250;

export class AccountNotFoundError extends Error {
  override name = 'AccountNotFoundError';
}

export class Engine extends EventEmitter<EngineEvents> {
  private readonly store: EngineStore;
  private readonly specs: Readonly<Record<string, ProviderSpec>>;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly actor: HistoryActor;
  private readonly opts: Required<
    Pick<EngineOptions, 'timeoutMs' | 'perProviderConcurrency' | 'clockCheckMs' | 'saveRetryMs' | 'defaultRateLimitWaitMs' | 'backoffBaseMs' | 'backoffCapMs'>
  >;
  private margin: MarginPolicy;
  private readonly slots = new Map<string, Slot>();
  private readonly queue = new DeadlineQueue();
  private readonly semaphores = new Map<string, Semaphore>();
  private timer?: NodeJS.Timeout;
  private armedAt?: { wall: number; mono: number };
  private saveRetryTimer?: NodeJS.Timeout;
  private saveRetryDelay: number;
  private allPaused = false;
  private running = false;
  private readonly controller = new AbortController();

  constructor(options: EngineOptions) {
    super();
    this.store = options.store;
    this.specs = options.specs ?? builtInSpecs;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.actor = options.actor ?? 'daemon';
    this.margin = options.marginPolicy ?? DEFAULT_MARGIN;
    this.opts = {
      timeoutMs: options.timeoutMs ?? 15_000,
      perProviderConcurrency: options.perProviderConcurrency ?? 4,
      clockCheckMs: options.clockCheckMs ?? 30_000,
      saveRetryMs: options.saveRetryMs ?? 1_000,
      defaultRateLimitWaitMs: options.defaultRateLimitWaitMs ?? 60_000,
      backoffBaseMs: options.backoffBaseMs ?? 5_000,
      backoffCapMs: options.backoffCapMs ?? 300_000,
    };
    this.saveRetryDelay = this.opts.saveRetryMs;
    // Every request in flight listens on this one signal (perProviderConcurrency × providers of
    // them, revocations besides): more than EventTarget's default 10 is normal here, not a leak.
    setMaxListeners(0, this.controller.signal);
  }

  /**
   * Loads every account without scheduling anything: refreshes happen only on
   * demand (a one-shot CLI command owning the data dir for its own duration).
   */
  async load(): Promise<void> {
    const records = await this.store.listAccounts();
    for (const record of records) {
      const secrets = await this.store.readSecrets(record.id);
      this.slots.set(record.id, { record, secrets, retryAttempt: 0, refreshing: false, unsaved: false });
    }
  }

  /** Loads every account and refreshes the overdue ones at once (trigger `startup`). */
  async start(): Promise<void> {
    await this.load();
    this.running = true;
    for (const slot of this.slots.values()) this.schedule(slot, false);
    this.fireDue('startup');
    this.arm();
  }

  /** Stops the timer and waits for refreshes in flight, so their tokens are saved. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    clearTimeout(this.saveRetryTimer);
    this.timer = undefined;
    const inFlight = [...this.slots.values()].map((s) => s.inFlight).filter(Boolean);
    await Promise.allSettled(inFlight);
    // A last attempt for anything only in memory: a rotated refresh token must not be dropped.
    await this.retryUnsaved();
  }

  /** Aborts requests in flight (used when the process must exit now). */
  abort(): void {
    this.controller.abort();
  }

  // ── queries ────────────────────────────────────────────────────────────

  list(): AccountView[] {
    return [...this.slots.values()].map((s) => this.view(s));
  }

  get(id: string): AccountView {
    return this.view(this.slot(id));
  }

  /** Finds an account by exact id, else by name (case-insensitive). */
  resolve(nameOrId: string): AccountView | undefined {
    const byId = this.slots.get(nameOrId);
    if (byId) return this.view(byId);
    const lower = nameOrId.toLowerCase();
    for (const s of this.slots.values()) if (s.record.name.toLowerCase() === lower) return this.view(s);
    return undefined;
  }

  /** The current access token (a secret: callers must treat it as one). */
  peekAccessToken(id: string): string | undefined {
    return this.slot(id).secrets['access_token'];
  }

  /** A stored secret field as it is, e.g. the refresh token or ID token (a secret: callers must treat it as one). */
  peekSecret(id: string, field: 'refresh_token' | 'id_token'): string | undefined {
    return this.slot(id).secrets[field];
  }

  get size(): number {
    return this.slots.size;
  }

  /** Earliest scheduled refresh, for tests and the tray. */
  nextDeadline(): number | undefined {
    return this.queue.peek()?.at;
  }

  // ── account lifecycle (the service has already written the store) ──────

  /** Adds or replaces an account the store already holds. */
  upsert(record: AccountRecord, secrets: Record<string, string>): AccountView {
    const existing = this.slots.get(record.id);
    const slot: Slot = existing ?? { record, secrets, retryAttempt: 0, refreshing: false, unsaved: false };
    slot.record = record;
    slot.secrets = secrets;
    slot.retryAttempt = 0;
    slot.retryAt = undefined;
    this.slots.set(record.id, slot);
    this.schedule(slot);
    const view = this.view(slot);
    this.emit('account-changed', view);
    return view;
  }

  /**
   * Forgets an account, then waits for a refresh in flight to end: that refresh sees
   * the account gone and saves nothing, so the caller can delete its stored secrets
   * afterwards without a late save writing them back.
   */
  async remove(id: string): Promise<void> {
    const slot = this.slot(id);
    this.queue.delete(id);
    this.slots.delete(id);
    this.arm();
    await slot.inFlight?.catch(() => undefined);
    this.emit('account-removed', { id });
  }

  async setPaused(id: string, paused: boolean): Promise<AccountView> {
    const slot = this.slot(id);
    await this.persistRecord(slot, { ...slot.record, paused, updatedAt: this.now() });
    this.schedule(slot);
    const view = this.view(slot);
    this.emit('account-changed', view);
    return view;
  }

  /** Pauses or resumes automatic refresh for every account (not persisted per account). */
  setAllPaused(paused: boolean): void {
    this.allPaused = paused;
    for (const slot of this.slots.values()) {
      this.schedule(slot, false);
      this.changed(slot);
    }
    this.arm();
  }

  /** A new refresh-margin setting: every deadline is recomputed. */
  setMarginPolicy(policy: MarginPolicy): void {
    this.margin = policy;
    for (const slot of this.slots.values()) this.schedule(slot, false);
    this.arm();
  }

  get pausedAll(): boolean {
    return this.allPaused;
  }

  // ── refresh ───────────────────────────────────────────────────────────

  /**
   * Refreshes now; every concurrent caller shares one request per account (its history row
   * names the first caller as `actor`; the engine's own refreshes name the engine's actor).
   * `requestedBy` (e.g. `exec: curl (pid 1234)`) goes into the message of that row.
   */
  refresh(id: string, trigger: RefreshTrigger, actor: HistoryActor = this.actor, requestedBy?: string): Promise<RefreshOutcome> {
    const slot = this.slot(id);
    if (slot.record.status === 'revoked') {
      return Promise.reject(new ProviderError({ errorClass: 'config_error', message: `${slot.record.name} was revoked; add its tokens again to use it` }));
    }
    if (!slot.inFlight) {
      slot.requestedBy = requestedBy;
      slot.inFlight = this.runRefresh(slot, trigger, actor).finally(() => {
        slot.inFlight = undefined;
        slot.requestedBy = undefined;
        // A save retry passes over an account whose refresh is in flight: if this refresh left
        // tokens unsaved, a retry that came while it finished missed them, so retry again now.
        if (slot.unsaved && this.slots.get(slot.record.id) === slot) this.scheduleSaveRetry();
      });
    }
    return slot.inFlight;
  }

  /**
   * An access token valid for at least `minValidMs`, refreshing first when needed.
   * A token cannot be asked to outlive what the provider grants, so the need is
   * capped at the token's lifetime minus the refresh margin: a token refreshed a
   * moment ago is always good enough, and concurrent callers cause one refresh.
   */
  async getToken(id: string, minValidMs: number, trigger: RefreshTrigger = 'cli', actor: HistoryActor = this.actor, requestedBy?: string): Promise<{ accessToken: string; view: AccountView }> {
    const slot = this.slot(id);
    if (this.isValidFor(slot, minValidMs)) return { accessToken: slot.secrets['access_token']!, view: this.view(slot) };
    const { status, statusMessage } = slot.record;
    if (status === 'reauth_required' || status === 'config_error') {
      throw new ProviderError({ errorClass: status, message: statusMessage ?? `${slot.record.name} needs attention (${status})` });
    }
    const outcome = await this.refresh(id, trigger, actor, requestedBy);
    if (!outcome.ok) {
      throw new ProviderError({
        errorClass: outcome.event.errorClass ?? 'transient',
        httpStatus: outcome.event.httpStatus,
        message: outcome.event.message ?? 'The refresh failed',
      });
    }
    const token = slot.secrets['access_token'];
    if (!token || !this.isValidFor(slot, Math.min(minValidMs, 1_000))) {
      throw new ProviderError({ errorClass: 'transient', message: 'The provider issued a token that is already expired' });
    }
    return { accessToken: token, view: this.view(slot) };
  }

  /**
   * Revokes at the vendor where possible (RFC 7009), then deletes the tokens
   * locally and marks the account revoked. Vendors without an endpoint: local only.
   */
  async revoke(id: string): Promise<RevokeResult> {
    const slot = this.slot(id);
    slot.revoking = true;
    this.schedule(slot); // out of the queue: no scheduled refresh races the revocation
    try {
      return await this.revokeNow(slot);
    } finally {
      slot.revoking = false;
      this.schedule(slot);
    }
  }

  private async revokeNow(slot: Slot): Promise<RevokeResult> {
    const id = slot.record.id;
    await slot.inFlight?.catch(() => undefined);
    const lease = await this.holdForRevoke(slot);
    try {
      const spec = this.spec(slot);
      const result = await revokeTokens(spec, this.providerAccount(slot), { timeoutMs: this.opts.timeoutMs, endpoints: slot.record.endpoints, signal: this.controller.signal });
      const remaining = { ...slot.secrets };
      delete remaining['access_token'];
      delete remaining['refresh_token'];
      delete remaining['id_token'];
      // What the tokens' answers taught goes with them (expiry and its source, when obtained, type,
      // scope, vendor details): memory says what the vault keeps, which a restart would load.
      const { lastRefreshAt, endpoints } = slot.record;
      const state = { ...(lastRefreshAt !== undefined ? { lastRefreshAt } : {}), ...(endpoints ? { endpoints } : {}) };
      await (lease ? lease.save(remaining, state) : this.store.saveTokens(id, remaining, state));
      slot.secrets = remaining;
      slot.unsaved = false;
      return await this.markRevoked(slot, result);
    } finally {
      await lease?.release().catch(() => undefined);
    }
  }

  /**
   * A team account: the shared store's hold, as a refresh takes it, so no member rotates the
   * tokens while they are being revoked, and the ones revoked are the newest (another member may
   * have rotated them since this process last looked: those are taken first).
   */
  private async holdForRevoke(slot: Slot): Promise<RefreshLease | undefined> {
    for (let attempt = 0; attempt < 5; attempt++) {
      // As a sign-in: an account that needs attention (reauth_required…) is revoked all the same.
      const lease = await this.store.beginRefresh?.(slot.record.id, { signIn: true }).catch((err: unknown) => {
        if (!(err instanceof ProviderError)) throw err;
        throw new ProviderError({ errorClass: err.errorClass, retryAfterMs: err.retryAfterMs, message: `Not revoked: ${err.message}` });
      });
      if (!lease?.adopt) return lease;
      this.takeAdopted(slot, lease.adopt);
    }
    throw new ProviderError({ errorClass: 'transient', message: 'Other team members kept refreshing this account; revoke it again' });
  }

  private async markRevoked(slot: Slot, result: RevokeResult): Promise<RevokeResult> {
    await this.persistRecord(slot, {
      ...slot.record,
      status: 'revoked',
      statusMessage: result.message,
      expiresAt: undefined,
      expirySource: undefined,
      refreshTokenExpiresAt: undefined,
      tokenType: undefined,
      scope: undefined,
      obtainedAt: undefined,
      meta: undefined,
      updatedAt: this.now(),
    });
    this.schedule(slot);
    this.changed(slot);
    return result;
  }

  /**
   * Appends one history row and tells every transport (`history-appended`). Every row goes
   * through here: the engine's refreshes and sign-ins, and the service's other actions. A row
   * the disk refuses stays listed and is written later (HistoryLog); the action it records
   * is not undone, so this never throws — it warns.
   */
  async record(event: RefreshEventInput): Promise<void> {
    try {
      await this.store.appendHistory(event);
    } catch (err) {
      this.emit('warning', { accountId: event.accountId, message: `Could not write history: ${describeError(err)}` });
    }
    // Only the row's schema fields travel (as only those are written): nothing else handed in can leak out.
    // Checked only when someone listens (a storm of refreshes, no client connected: nobody does).
    if (this.listenerCount('history-appended') === 0) return;
    const row = RefreshEventSchema.safeParse(event);
    if (row.success) this.emit('history-appended', row.data);
  }

  /**
   * The shared store is back (the team vault reconnected): accounts waiting to retry try now,
   * and tokens kept only in memory are saved at once instead of at the next save retry.
   */
  retrySoon(ids: Iterable<string>): void {
    for (const id of ids) {
      const slot = this.slots.get(id);
      if (slot?.retryAt !== undefined) {
        slot.retryAt = this.now();
        this.schedule(slot, false);
      }
    }
    if ([...this.slots.values()].some((s) => s.unsaved)) {
      clearTimeout(this.saveRetryTimer);
      this.saveRetryTimer = undefined;
      this.saveRetryDelay = this.opts.saveRetryMs;
      void this.retryUnsaved().then((allSaved) => {
        if (!allSaved && this.running) this.scheduleSaveRetry();
      });
    }
    if (this.running) this.fireDue();
    this.arm();
  }

  /** After resume/unlock or a detected clock jump: refresh everything overdue now. */
  catchUp(trigger: RefreshTrigger = 'resume'): void {
    if (!this.running) return;
    for (const slot of this.slots.values()) this.schedule(slot, false);
    this.fireDue(trigger);
    this.arm();
  }

  // ── internals ─────────────────────────────────────────────────────────

  /**
   * Tokens from a sign-in (src/main/core/signin): `obtain` makes the final exchange (code for
   * tokens), and what it returns is saved, recorded and scheduled exactly as a refresh's
   * answer — durable save first, history row with trigger `sign_in`, the account active again.
   */
  async signIn(id: string, obtain: (account: ProviderAccount) => Promise<RefreshResult>, actor: HistoryActor = this.actor): Promise<RefreshOutcome> {
    const slot = this.slot(id);
    // A refresh already out finishes first (its answer is saved); the sign-in's tokens then replace it.
    await slot.inFlight?.catch(() => undefined);
    const run: Promise<RefreshOutcome> = this.runRefresh(slot, 'sign_in', actor, obtain).finally(() => {
      if (slot.inFlight === run) slot.inFlight = undefined;
    });
    slot.inFlight = run;
    return run;
  }

  /** What a sign-in needs of an account: its provider spec, its settings and secrets, the endpoints discovered earlier. */
  signInContext(id: string): { spec: ProviderSpec; account: ProviderAccount; endpoints?: AccountRecord['endpoints']; name: string } {
    const slot = this.slot(id);
    return { spec: this.spec(slot), account: this.providerAccount(slot), endpoints: slot.record.endpoints, name: slot.record.name };
  }

  private async runRefresh(slot: Slot, trigger: RefreshTrigger, actor: HistoryActor, obtain?: (account: ProviderAccount) => Promise<RefreshResult>): Promise<RefreshOutcome> {
    const spec = this.spec(slot);
    // The permit covers the HTTP exchange AND the durable save of what it returned: no more
    // than `perProviderConcurrency` accounts per vendor are ever between the vendor's rotation
    // and our save (a crash can lose at most those), and requests wait while saves are slow
    // instead of rotating tokens faster than the disk keeps them. Failures release it at once.
    const release = await this.semaphore(spec.id).acquire();
    const startedAt = this.now();
    const started = performance.now();
    slot.refreshing = true;
    let tokens;
    let answeredAt: number;
    let httpStatus: number;
    let endpoints;
    let settingsPatch: Record<string, string> | undefined;
    let lease: RefreshLease | undefined;
    try {
      this.emit('refresh-started', { accountId: slot.record.id, trigger, at: startedAt });
      this.changed(slot);
      // A team account: the shared store's hold first; another member may have rotated meanwhile.
      lease = await this.store.beginRefresh?.(slot.record.id, { signIn: obtain !== undefined });
      if (lease?.adopt) {
        release();
        return this.adopted(slot, lease.adopt, trigger, startedAt, performance.now() - started);
      }
      const result = obtain
        ? await obtain(this.providerAccount(slot))
        : await refreshTokens(spec, this.providerAccount(slot), {
            timeoutMs: this.opts.timeoutMs,
            now: this.now,
            endpoints: slot.record.endpoints,
            signal: this.controller.signal,
          });
      answeredAt = performance.now();
      tokens = TokenSetSchema.parse(result.tokens);
      httpStatus = result.httpStatus;
      endpoints = result.endpoints;
      settingsPatch = result.settings;
    } catch (err) {
      // Still under the permit: the vendor rotated, so this save is as urgent as a success's.
      if (err instanceof ProviderError && err.rotatedRefreshToken && this.slots.get(slot.record.id) === slot) {
        await this.keepRotatedRefreshToken(slot, err.rotatedRefreshToken, lease);
      }
      await lease?.release().catch(() => undefined);
      release();
      return this.onFailure(slot, { trigger, actor }, err, startedAt, performance.now() - started);
    }
    try {
      if (this.slots.get(slot.record.id) !== slot) {
        await lease?.release().catch(() => undefined);
        release();
        // Removed while the request was out: the user asked for it to be gone.
        return await this.finish(slot, { outcome: 'error', trigger, actor, startedAt, durationMs: performance.now() - started, message: 'The account was removed during the refresh' }, false);
      }

      const secrets: Record<string, string> = { ...slot.secrets, access_token: tokens.accessToken };
      if (tokens.refreshToken) secrets['refresh_token'] = tokens.refreshToken;
      // An answer without an ID token keeps the last one (OIDC Core §12.2: a refresh may omit it).
      if (tokens.idToken) secrets['id_token'] = tokens.idToken;
      const recordChanged = slot.record.status !== 'active' || slot.record.statusMessage !== undefined || settingsPatch !== undefined;
      const record: AccountRecord = {
        ...slot.record,
        ...(settingsPatch ? { settings: { ...slot.record.settings, ...settingsPatch } } : {}),
        status: 'active',
        statusMessage: undefined,
        expiresAt: tokens.expiresAt,
        expirySource: tokens.expirySource,
        refreshTokenExpiresAt: tokens.refreshTokenExpiresAt ?? (tokens.rotated ? undefined : slot.record.refreshTokenExpiresAt),
        tokenType: tokens.tokenType,
        scope: tokens.scope ?? slot.record.scope,
        obtainedAt: tokens.obtainedAt,
        lastRefreshAt: tokens.obtainedAt,
        endpoints: endpoints ?? slot.record.endpoints,
        meta: tokens.meta,
        lastOutcome: { at: tokens.obtainedAt, outcome: 'ok' },
        updatedAt: this.now(),
      };

      // Commit order: durable save first (tokens and their state in one write), then memory, history, events.
      // The vendor has already retired the old refresh token: from here to the end of
      // saveTokens is the window in which a crash loses the account, so nothing else runs first.
      let saveError: unknown;
      const saveStarted = performance.now();
      try {
        await (lease ? lease.save(secrets, tokenStateOf(record)) : this.store.saveTokens(record.id, secrets, tokenStateOf(record)));
      } catch (err) {
        saveError = err;
      }
      if (!saveError) this.tokensSaved(record.id, secrets, saveStarted, { rotated: tokens.rotated, sinceResponseMs: performance.now() - answeredAt });
      // Memory takes the saved tokens at once: a team account's newer tokens (another member may
      // refresh as soon as the hold ends) must not be overwritten by these after the await below.
      slot.secrets = secrets;
      release();
      if (!saveError) {
        try {
          // The account record changes only when a stopped account came back, or the answer brought settings.
          if (recordChanged) await this.store.saveAccount(record);
        } catch (err) {
          saveError = err;
        }
      }
      slot.secrets = secrets;
      slot.record = record;
      slot.retryAttempt = 0;
      slot.retryAt = undefined;
      if (saveError) {
        this.keepUnsaved(slot, `New tokens for ${record.name} are`, saveError);
      } else {
        slot.unsaved = false;
      }
      return await this.finish(slot, {
        outcome: 'ok',
        trigger,
        actor,
        startedAt,
        durationMs: performance.now() - started,
        httpStatus,
        newExpiresAt: tokens.expiresAt,
        rotated: tokens.rotated,
        message: saveError ? 'Refreshed, but not saved yet (retrying the save)' : undefined,
      });
    } finally {
      release(); // idempotent: for a throw before the save
      await lease?.release().catch(() => undefined);
      slot.refreshing = false;
    }
  }

  /**
   * Another member refreshed first (the team vault): its tokens are taken as they are, no vendor
   * call. Its history row is that member's; here only the events say the account changed.
   */
  private adopted(slot: Slot, taken: NonNullable<RefreshLease['adopt']>, trigger: RefreshTrigger, startedAt: number, durationMs: number): RefreshOutcome {
    this.takeAdopted(slot, taken);
    slot.refreshing = false;
    this.schedule(slot);
    const { status, statusMessage } = taken.record;
    const ok = status === 'active';
    const event: RefreshEvent = {
      id: randomId(),
      accountId: slot.record.id,
      accountName: slot.record.name,
      at: startedAt,
      action: 'refreshed',
      trigger,
      outcome: ok ? 'ok' : 'error',
      ...(ok ? {} : { errorClass: status === 'reauth_required' ? 'reauth_required' : 'config_error' }),
      durationMs,
      newExpiresAt: taken.record.expiresAt,
      message: ok ? 'Another team member had just refreshed it; its tokens were taken' : (statusMessage ?? `The account needs attention (${status})`),
    };
    if (this.slots.get(slot.record.id) === slot) this.changed(slot);
    const outcome: RefreshOutcome = { accountId: slot.record.id, ok, event };
    this.emit('refresh-finished', outcome);
    return outcome;
  }
  /** Another member's newer tokens and record, taken as they are (the team vault). */
  private takeAdopted(slot: Slot, taken: NonNullable<RefreshLease['adopt']>): void {
    slot.record = taken.record;
    slot.secrets = taken.secrets;
    slot.retryAttempt = 0;
    slot.retryAt = undefined;
    slot.unsaved = false;
  }


  /**
   * The vendor rotated but its answer was refused (a nonsense lifetime): the new refresh token is
   * the only live one. It is saved at once; the access token in use (its expiry known) stays.
   */
  private async keepRotatedRefreshToken(slot: Slot, refreshToken: string, lease?: RefreshLease): Promise<void> {
    const secrets = { ...slot.secrets, refresh_token: refreshToken };
    const saveStarted = performance.now();
    try {
      await (lease ? lease.save(secrets, tokenStateOf(slot.record)) : this.store.saveTokens(slot.record.id, secrets, tokenStateOf(slot.record)));
      this.tokensSaved(slot.record.id, secrets, saveStarted, { rotated: true });
    } catch (err) {
      this.keepUnsaved(slot, `The new refresh token for ${slot.record.name} is`, err);
    }
    slot.secrets = secrets;
  }

  private async onFailure(slot: Slot, by: { trigger: RefreshTrigger; actor: HistoryActor }, err: unknown, startedAt: number, durationMs: number): Promise<RefreshOutcome> {
    const failure = err instanceof ProviderError ? err : new ProviderError({ errorClass: 'transient', message: `Internal error: ${describeError(err)}` });
    const now = this.now();
    // httpStatus says the provider answered: only then is the message the provider's words.
    const answered = failure.httpStatus !== undefined ? { httpStatus: failure.httpStatus } : {};
    let record: AccountRecord = { ...slot.record, lastOutcome: { at: now, outcome: 'error', errorClass: failure.errorClass, message: failure.message, ...answered }, updatedAt: now };
    switch (failure.errorClass) {
      case 'reauth_required':
      case 'config_error':
        // Stop until the user acts: another try would fail the same way (or burn a grant).
        record = { ...record, status: failure.errorClass, statusMessage: failure.message };
        slot.retryAt = undefined;
        slot.retryAttempt = 0;
        break;
      case 'rate_limited':
        slot.retryAttempt += 1;
        slot.retryAt = now + (failure.retryAfterMs ?? this.opts.defaultRateLimitWaitMs);
        break;
      case 'transient':
        slot.retryAttempt += 1;
        slot.retryAt =
          now + (failure.retryAfterMs ?? this.withinValidity(slot, now, backoffDelay(slot.retryAttempt - 1, this.random, this.opts.backoffBaseMs, this.opts.backoffCapMs)));
        break;
    }
    if (this.slots.get(slot.record.id) === slot) {
      try {
        await this.persistRecord(slot, record);
      } catch (saveErr) {
        slot.record = record;
        this.emit('warning', { accountId: record.id, message: `Could not save the status of ${record.name}: ${describeError(saveErr)}` });
      }
    }
    return this.finish(slot, {
      outcome: 'error',
      ...by,
      startedAt,
      durationMs,
      httpStatus: failure.httpStatus,
      errorClass: failure.errorClass,
      message: failure.message,
    });
  }

  /**
   * Transient failures are retried while the token is still valid (docs/ARCHITECTURE.md
   * "Failures and backoff"). Backoff soon outgrows a short token's retry window (a 5-minute
   * token refreshes 60 s before expiry; the ceilings go 5, 10, 20, 40 s): when the next try
   * would come in the last quarter of what is left, or after, it comes at a random point
   * between half and three quarters of it instead. What is left at least halves each time,
   * so this ends: under 2 × the 250 ms floor, plain backoff resumes. A vendor's own
   * Retry-After is never shortened.
   */
  private withinValidity(slot: Slot, now: number, delay: number): number {
    const expiresAt = slot.record.expiresAt;
    if (expiresAt === undefined || !slot.secrets['access_token']) return delay;
    const left = expiresAt - now;
    if (left <= 2 * MIN_RETRY_MS || delay <= left * 0.75) return delay;
    return Math.max(MIN_RETRY_MS, Math.floor(left * (0.5 + 0.25 * this.random())));
  }

  private async finish(
    slot: Slot,
    fields: Omit<RefreshEvent, 'id' | 'accountId' | 'accountName' | 'at' | 'action'> & { startedAt: number },
    reschedule = true,
  ): Promise<RefreshOutcome> {
    const { startedAt, ...rest } = fields;
    const action = rest.trigger === 'sign_in' ? 'signed_in' : 'refreshed';
    const event: RefreshEvent = { id: randomId(), accountId: slot.record.id, accountName: slot.record.name, at: startedAt, action, ...rest };
    if (slot.requestedBy) event.message = event.message ? `${event.message} (requested by ${slot.requestedBy})` : `Requested by ${slot.requestedBy}`;
    await this.record(event);
    // The refresh ends here, in the same synchronous step that puts its next deadline back in
    // the queue: no view shows the account done but with no next refresh, however long the
    // history append above waits for the disk. account-changed below shows the outcome.
    slot.refreshing = false;
    if (reschedule) this.schedule(slot);
    const outcome: RefreshOutcome = { accountId: slot.record.id, ok: event.outcome === 'ok', event };
    if (this.slots.get(slot.record.id) === slot) this.changed(slot);
    this.emit('refresh-finished', outcome);
    return outcome;
  }

  private isValidFor(slot: Slot, minValidMs: number): boolean {
    if (!slot.secrets['access_token'] || slot.record.status === 'revoked') return false;
    const { expiresAt, obtainedAt } = slot.record;
    if (expiresAt === undefined) return true;
    const lifetime = obtainedAt !== undefined ? expiresAt - obtainedAt : Infinity;
    const needed = Math.min(minValidMs, lifetime - marginFor(lifetime, this.margin));
    return expiresAt - this.now() >= Math.max(needed, 0) && expiresAt > this.now();
  }

  /** Puts the account's next deadline in the queue (or takes it out). */
  private schedule(slot: Slot, arm = true): void {
    const { record } = slot;
    const stopped = record.status === 'reauth_required' || record.status === 'config_error' || record.status === 'revoked' || slot.revoking;
    if (!this.slots.has(record.id) || stopped || record.paused || this.allPaused) {
      this.queue.delete(record.id);
    } else {
      const at =
        slot.retryAt ??
        nextDeadline(
          {
            obtainedAt: record.obtainedAt,
            expiresAt: record.expiresAt,
            refreshTokenExpiresAt: record.refreshTokenExpiresAt,
            refreshEveryMs: record.refreshEveryMs,
            lastRefreshAt: record.lastRefreshAt ?? record.createdAt,
            missingAccessToken: !slot.secrets['access_token'],
          },
          this.now(),
          this.random,
          this.margin,
        );
      if (at === undefined) this.queue.delete(record.id);
      else this.queue.set(record.id, at);
    }
    if (arm) this.arm();
  }

  /** One timer for the earliest deadline; none at all when nothing is scheduled. */
  private arm(): void {
    // A re-arm (any account change) must not hide a clock jump from the pending tick:
    // overdue accounts are then a catch-up ('resume'), not ordinary scheduled refreshes.
    if (this.clockJumped()) {
      this.catchUp('resume');
      return;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    const head = this.queue.peek();
    if (!this.running || !head) return;
    const delay = Math.min(Math.max(head.at - this.now(), 0), this.opts.clockCheckMs);
    this.armedAt = { wall: this.now(), mono: performance.now() };
    this.timer = setTimeout(() => this.tick(), delay);
    this.timer.unref();
  }

  private tick(): void {
    this.timer = undefined;
    if (!this.running) return;
    if (this.clockJumped()) {
      this.catchUp('resume');
      return;
    }
    this.fireDue();
    this.arm();
  }

  /** Wall clock moved apart from the monotonic clock since the timer was armed (sleep, NTP step). */
  private clockJumped(): boolean {
    const armed = this.armedAt;
    if (!armed) return false;
    const drift = this.now() - armed.wall - (performance.now() - armed.mono);
    if (Math.abs(drift) <= JUMP_THRESHOLD_MS) return false;
    this.armedAt = undefined;
    return true;
  }

  private fireDue(trigger?: RefreshTrigger): void {
    for (const { id } of this.queue.popDue(this.now())) {
      const slot = this.slots.get(id);
      if (!slot) continue;
      const why: RefreshTrigger = trigger ?? (slot.retryAt !== undefined ? 'retry' : 'scheduled');
      this.refresh(id, why).catch((err: unknown) => this.emit('warning', { accountId: id, message: describeError(err) }));
    }
  }

  /** A save failed: the tokens stay in memory (shown "not saved"), the user is told, and saves are retried. `what` ends in its verb. */
  private keepUnsaved(slot: Slot, what: string, err: unknown): void {
    slot.unsaved = true;
    this.emit('warning', { accountId: slot.record.id, message: `${what} not saved yet (${describeError(err)}); retrying` });
    this.scheduleSaveRetry();
  }

  private scheduleSaveRetry(): void {
    if (this.saveRetryTimer) return;
    this.saveRetryTimer = setTimeout(() => {
      this.saveRetryTimer = undefined;
      void this.retryUnsaved().then((allSaved) => {
        if (allSaved) this.saveRetryDelay = this.opts.saveRetryMs;
        else {
          this.saveRetryDelay = Math.min(this.saveRetryDelay * 2, 60_000);
          if (this.running) this.scheduleSaveRetry();
        }
      });
    }, this.saveRetryDelay);
    this.saveRetryTimer.unref();
  }

  /** Saves every account whose tokens are only in memory. Resolves true when none is left. */
  private async retryUnsaved(): Promise<boolean> {
    let allSaved = true;
    for (const slot of this.slots.values()) {
      if (!slot.unsaved || slot.inFlight) continue;
      try {
        const saveStarted = performance.now();
        await this.store.saveTokens(slot.record.id, slot.secrets, tokenStateOf(slot.record));
        this.tokensSaved(slot.record.id, slot.secrets, saveStarted, { retry: true });
        await this.store.saveAccount(slot.record);
        slot.unsaved = false;
        this.changed(slot);
      } catch {
        allSaved = false;
      }
    }
    return allSaved;
  }

  /**
   * Says that an account's tokens are durable (only when someone listens: the fingerprint
   * costs a hash). A listener's error must not reach the caller: the tokens are saved and
   * memory must still take them, or the next refresh would present a retired token.
   */
  private tokensSaved(accountId: string, secrets: Record<string, string>, saveStarted: number, extra: Pick<TokensSaved, 'rotated' | 'sinceResponseMs' | 'retry'>): void {
    if (this.listenerCount('tokens-saved') === 0) return;
    const at = this.now();
    const refreshToken = secrets['refresh_token'];
    try {
      this.emit('tokens-saved', {
        accountId,
        at,
        ...(refreshToken ? { refreshTokenHash: tokenFingerprint(refreshToken) } : {}),
        saveMs: performance.now() - saveStarted,
        ...extra,
      });
    } catch (err) {
      this.emit('warning', { accountId, message: `A tokens-saved listener failed: ${describeError(err)}` });
    }
  }

  private async persistRecord(slot: Slot, record: AccountRecord): Promise<void> {
    await this.store.saveAccount(record);
    slot.record = record;
  }

  /** Tells listeners an account changed; builds the view only when someone listens (10,000 accounts refresh in a storm). */
  private changed(slot: Slot): void {
    if (this.listenerCount('account-changed') > 0) this.emit('account-changed', this.view(slot));
  }

  private view(slot: Slot): AccountView {
    const { endpoints: _endpoints, ...record } = slot.record;
    let status = record.status;
    if (status === 'active') {
      if (slot.refreshing) status = 'refreshing';
      else if (slot.retryAt !== undefined) status = 'retrying';
      else if (record.paused || this.allPaused) status = 'paused';
    }
    return {
      ...record,
      status,
      nextRefreshAt: this.queue.deadlineOf(record.id),
      notSaved: slot.unsaved,
      hasAccessToken: Boolean(slot.secrets['access_token']),
      hasRefreshToken: Boolean(slot.secrets['refresh_token']),
      hasIdToken: Boolean(slot.secrets['id_token']),
      retryAttempt: slot.retryAttempt,
    };
  }

  private providerAccount(slot: Slot): ProviderAccount {
    const { record } = slot;
    return {
      id: record.id,
      settings: record.settings,
      secrets: slot.secrets,
      environment: record.environment,
      baseUrl: record.baseUrl,
      refreshEveryMs: record.refreshEveryMs,
    };
  }

  private spec(slot: Slot): ProviderSpec {
    const spec = this.specs[slot.record.providerId];
    if (!spec) throw new ProviderError({ errorClass: 'config_error', message: `Unknown provider ${slot.record.providerId}` });
    return spec;
  }

  private semaphore(providerId: string): Semaphore {
    let s = this.semaphores.get(providerId);
    if (!s) this.semaphores.set(providerId, (s = new Semaphore(this.opts.perProviderConcurrency)));
    return s;
  }

  private slot(id: string): Slot {
    const slot = this.slots.get(id);
    if (!slot) throw new AccountNotFoundError(`No account with id ${id}`);
    return slot;
  }
}

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
