// The contract's handlers: what every transport serves. Validates domain rules
// (provider fields, unique names, URLs), keeps the store and the engine in step.
import { TOKENDESK_VERSION } from '../../shared/version.js';
import type { AccountView, AddAccountInput, AppSettings, CallOutput, StorageReport } from '../../shared/contract.js';
import type { ErrorClass, RefreshEvent } from '../../shared/domain.js';
import { endpointUrlProblem, printableKey, quoteKey, validateProviderValues, type FieldValues } from '../../shared/provider-fields.js';
import { resolveExpiry, ExpiryError } from './expiry.js';
import type { Engine } from './engine/engine.js';
import { tokenStateOf, type AccountRecord, type EngineStore } from './engine/types.js';
import { randomId } from './ids.js';
import { ContractError, type Handlers } from './contract.js';
import { listProviderInfo, providerSpec } from './providers/index.js';
import { refreshTokens } from './providers/call.js';
import { ProviderError } from './net/provider-error.js';
import type { ProviderSpec } from './providers/types.js';
import type { SignInSessions } from './signin/sessions.js';
import { formatToken } from './token-format.js';
import { keyringWorks, KeyringWrapper, PassphraseWrapper, type KeyWrapper } from './vault/key-wrappers.js';

export interface VaultStatus {
  kind: string;
  protection: 'strong' | 'weak' | 'unavailable';
  explanation: string;
}

/** Tokens obtained by "test now", kept until the form is saved (a rotated refresh token must not be lost). */
interface Draft {
  providerId: string;
  sentRefreshToken: string;
  secrets: Record<string, string>;
  expiry: Partial<AccountRecord>;
  expires: number;
}
const DRAFT_TTL_MS = 30 * 60_000;

export interface HistoryQuery {
  accountId?: string;
  outcome?: 'ok' | 'error';
  limit?: number;
}

/** What the service needs from storage beyond the engine's port. */
export interface ServiceStore extends EngineStore {
  getSettings(): Promise<AppSettings>;
  setSettings(patch: Partial<AppSettings>): Promise<AppSettings>;
  vaultStatus(): VaultStatus;
  rewrapVault(wrapper: KeyWrapper): Promise<VaultStatus>;
  /** Stores a new account's record and secrets; rejects a duplicate name. */
  createAccount(record: AccountRecord, secrets: Record<string, string>): Promise<void>;
  /** Deletes the record and every secret of the account. */
  removeAccount(id: string): Promise<void>;
  listHistory(query: HistoryQuery): Promise<RefreshEvent[]>;
}

export interface ServiceContext {
  engine: Engine;
  /** Sign-in sessions (src/main/core/signin); absent where nothing can sign in. */
  signIn?: SignInSessions;
  store: ServiceStore;
  dataDir: string;
  startedAt: number;
  now?: () => number;
  /** Provider request timeout for "test now". */
  timeoutMs?: number;
  /** The system key store: the OS keyring headless, Electron safeStorage in the app. */
  systemKeyWrapper?: () => Promise<KeyWrapper>;
  /** A demo session (src/main/core/demo.ts): owner.status says so and the UI marks it. */
  demo?: boolean;
  /** Damaged files found and moved aside, at open or since (owner.status reports them). */
  storageReports?: () => readonly StorageReport[];
  /** How the host shows a demo beside this session ("Explore the demo"); absent for the CLI and daemon. */
  startDemo?: () => Promise<CallOutput<'demo.start'>>;
}

export function createHandlers(ctx: ServiceContext): Handlers {
  const { engine, store } = ctx;
  const now = ctx.now ?? Date.now;

  const resolve = (ref: string): AccountView => {
    const view = engine.resolve(ref);
    if (!view) throw new ContractError('not_found', `No account named or with id ${quoteKey(ref)}`);
    return view;
  };

  const assertNameFree = (name: string, exceptId?: string) => {
    const clash = engine.resolve(name);
    if (clash && clash.id !== exceptId && clash.name.toLowerCase() === name.toLowerCase()) {
      throw new ContractError('conflict', `An account named ${JSON.stringify(clash.name)} already exists`);
    }
  };

  const drafts = new Map<string, Draft>();
  const pruneDrafts = () => {
    for (const [id, d] of drafts) if (d.expires < now()) drafts.delete(id);
  };

  /** Validates a new account's input into a record and its secrets (nothing stored). */
  const prepareNew = (input: AddAccountInput) => {
    const spec = providerSpec(input.providerId)!;
    assertNameFree(input.name);
    const location = checkLocation(spec, input.environment, input.baseUrl);
    const values = checkedValues(spec, input.values);
    const { settings, secrets } = splitValues(spec, values);
    const at = now();
    const record: AccountRecord = {
      id: randomId(),
      name: input.name,
      providerId: spec.id,
      ...location,
      settings,
      refreshEveryMs: input.refreshEveryMs,
      paused: false,
      status: 'active',
      createdAt: at,
      updatedAt: at,
    };
    if (secrets['access_token']) Object.assign(record, suppliedTokenExpiry(secrets['access_token'], input.accessTokenExpiresInSeconds, input.refreshEveryMs, at));
    return { spec, record, secrets };
  };

  /** Takes over the tokens a "test now" obtained for these same credentials. */
  const adoptDraft = (draftId: string, record: AccountRecord, secrets: Record<string, string>) => {
    pruneDrafts();
    const draft = drafts.get(draftId);
    if (!draft) throw new ContractError('invalid_input', 'draftId: the test result expired or is unknown; test again or save without it');
    if (draft.providerId !== record.providerId || draft.sentRefreshToken !== secrets['refresh_token']) {
      throw new ContractError('invalid_input', 'draftId: the credentials changed since the test; test again');
    }
    drafts.delete(draftId);
    Object.assign(secrets, draft.secrets);
    Object.assign(record, draft.expiry);
  };

  return {
    'owner.status': async () => {
      const storageReports = ctx.storageReports?.() ?? [];
      return {
        pid: process.pid,
        version: TOKENDESK_VERSION,
        dataDir: ctx.dataDir,
        startedAt: ctx.startedAt,
        pausedAll: engine.pausedAll,
        accounts: engine.size,
        nextRefreshAt: engine.nextDeadline(),
        demo: ctx.demo ?? false,
        ...(storageReports.length ? { storageReports: storageReports.map((r) => ({ ...r })) } : {}),
      };
    },

    'providers.list': async () => listProviderInfo(),

    'accounts.list': async () => engine.list(),

    'accounts.get': async ({ account }) => resolve(account),

    'accounts.add': async (input) => {
      const { record, secrets } = prepareNew(input);
      if (input.draftId) adoptDraft(input.draftId, record, secrets);
      await store.createAccount(record, secrets);
      return engine.upsert(record, secrets);
    },

    'accounts.test': async (input) => {
      const { spec, record, secrets } = prepareNew(input);
      const started = performance.now();
      try {
        const result = await refreshTokens(
          spec,
          { id: record.id, settings: record.settings, secrets, environment: record.environment, baseUrl: record.baseUrl, refreshEveryMs: record.refreshEveryMs },
          { timeoutMs: ctx.timeoutMs, now },
        );
        const { tokens } = result;
        pruneDrafts();
        const draftId = randomId();
        drafts.set(draftId, {
          providerId: spec.id,
          sentRefreshToken: secrets['refresh_token'] ?? '',
          secrets: { ...secrets, access_token: tokens.accessToken, ...(tokens.refreshToken ? { refresh_token: tokens.refreshToken } : {}) },
          expiry: {
            expiresAt: tokens.expiresAt,
            expirySource: tokens.expirySource,
            refreshTokenExpiresAt: tokens.refreshTokenExpiresAt,
            tokenType: tokens.tokenType,
            scope: tokens.scope,
            obtainedAt: tokens.obtainedAt,
            lastRefreshAt: tokens.obtainedAt,
            meta: tokens.meta,
            endpoints: result.endpoints,
          },
          expires: now() + DRAFT_TTL_MS,
        });
        const rotatedNote = tokens.rotated ? ' The provider rotated the refresh token: save now to keep the new one.' : '';
        return {
          ok: true,
          httpStatus: result.httpStatus,
          durationMs: result.durationMs,
          expiresAt: tokens.expiresAt,
          rotated: tokens.rotated,
          draftId,
          message: `The refresh worked (HTTP ${result.httpStatus}).${rotatedNote}`,
        };
      } catch (err) {
        const wire = toFailure(err);
        return { ok: false, durationMs: performance.now() - started, ...wire };
      }
    },

    'accounts.update': async (input) => {
      const current = resolve(input.account);
      const spec = providerSpec(current.providerId)!;
      if (input.name !== undefined) assertNameFree(input.name, current.id);
      const oldSecrets = await store.readSecrets(current.id);
      // Secrets left empty keep their stored value; every field is re-validated together.
      const merged: FieldValues = { ...current.settings, ...oldSecrets };
      for (const [k, v] of Object.entries(input.values ?? {})) {
        const field = spec.fields.find((f) => f.id === k);
        if (field?.secret && v === '') continue;
        merged[k] = v;
      }
      const { settings, secrets } = splitValues(spec, checkedValues(spec, merged));
      const location = checkLocation(
        spec,
        input.environment ?? current.environment,
        input.baseUrl === undefined ? current.baseUrl : input.baseUrl || undefined,
      );
      const credentialsChanged = JSON.stringify(secrets) !== JSON.stringify(oldSecrets) || JSON.stringify(settings) !== JSON.stringify(current.settings);
      const { nextRefreshAt: _n, notSaved: _s, hasAccessToken: _h, retryAttempt: _r, ...base } = current;
      const record: AccountRecord = {
        ...base,
        name: input.name ?? current.name,
        environment: location.environment,
        baseUrl: location.baseUrl,
        settings,
        refreshEveryMs: input.refreshEveryMs === null ? undefined : (input.refreshEveryMs ?? current.refreshEveryMs),
        // New credentials are the user acting on a stopped account: try again.
        status: credentialsChanged && current.status !== 'active' ? 'active' : stored(current.status),
        statusMessage: credentialsChanged ? undefined : current.statusMessage,
        updatedAt: now(),
      };
      if (credentialsChanged) record.endpoints = undefined;
      await store.saveTokens(current.id, secrets, tokenStateOf(record));
      await store.saveAccount(record);
      return engine.upsert(record, secrets);
    },

    'accounts.remove': async ({ account }) => {
      const view = resolve(account);
      // The engine first: a refresh in flight must not save the secrets back after the store deleted them.
      await engine.remove(view.id);
      await store.removeAccount(view.id);
      return { id: view.id, removed: true as const };
    },

    'accounts.refresh': async ({ account, trigger }) => {
      const view = resolve(account);
      const outcome = await engine.refresh(view.id, trigger ?? 'manual');
      return { outcome, account: engine.get(view.id) };
    },

    'accounts.token': async ({ account, minValidSeconds, trigger }) => {
      const view = resolve(account);
      const { accessToken, view: after } = await engine.getToken(view.id, (minValidSeconds ?? 60) * 1000, trigger ?? 'cli');
      return { accessToken, tokenType: after.tokenType ?? 'Bearer', expiresAt: after.expiresAt, account: after };
    },

    'accounts.revoke': async ({ account }) => {
      const view = resolve(account);
      const result = await engine.revoke(view.id);
      return { ...result, account: engine.get(view.id) };
    },

    'accounts.setPaused': async (input): Promise<CallOutput<'accounts.setPaused'>> => {
      if ('all' in input) engine.setAllPaused(input.paused);
      else await engine.setPaused(resolve(input.account).id, input.paused);
      return { pausedAll: engine.pausedAll, accounts: engine.list() };
    },

    'history.list': async ({ account, outcome, limit }) => {
      const accountId = account ? resolve(account).id : undefined;
      return store.listHistory({ accountId, outcome, limit: limit ?? 100 });
    },

    'accounts.copy': async ({ account, format, scheme, url }) => {
      const view = resolve(account);
      const { accessToken, view: after } = await engine.getToken(view.id, 0, 'manual');
      return { copied: false, text: formatToken(format, accessToken, after, { scheme, url }) };
    },

    'settings.get': async () => store.getSettings(),

    'settings.set': async (patch) => {
      const settings = await store.setSettings(patch);
      engine.setMarginPolicy(settings.refreshMarginPolicy);
      return settings;
    },

    'vault.status': async () => store.vaultStatus(),

    'vault.rewrap': async (input) => {
      const wrapper = input.to === 'passphrase' ? new PassphraseWrapper(input.passphrase) : await (ctx.systemKeyWrapper ?? defaultSystemKeyWrapper)();
      return store.rewrapVault(wrapper);
    },

    'demo.start': async () => {
      if (ctx.demo) throw new ContractError('conflict', 'This is the demo already');
      if (!ctx.startDemo) {
        throw new ContractError('invalid_input', 'This TokenDesk cannot show a demo beside it; run `tokendesk serve --demo` in a terminal instead');
      }
      return ctx.startDemo();
    },

    'signin.start': async ({ account, method, timeoutSeconds }) => {
      const view = resolve(account);
      if (!ctx.signIn) throw new ContractError('invalid_input', 'Sign-in is not available here');
      return ctx.signIn.start(view.id, method, timeoutSeconds !== undefined ? timeoutSeconds * 1000 : undefined);
    },
    'signin.wait': async ({ sessionId }) => {
      if (!ctx.signIn) throw new ContractError('not_found', 'No such sign-in');
      return { account: await ctx.signIn.wait(sessionId) };
    },
    'signin.cancel': async ({ sessionId }) => ({ cancelled: ctx.signIn?.cancel(sessionId) ?? false }),
  };
}

/** In-memory states are never persisted as the account's status. */
function stored(status: AccountView['status']): AccountRecord['status'] {
  return status === 'reauth_required' || status === 'config_error' || status === 'revoked' ? status : 'active';
}

function checkedValues(spec: ProviderSpec, input: FieldValues): FieldValues {
  const result = validateProviderValues(spec, input);
  if (!result.ok) throw new ContractError('invalid_input', result.errors.map((e) => `${printableKey(e.field)}: ${e.message}`).join('; '));
  return result.values;
}

function splitValues(spec: ProviderSpec, values: FieldValues): { settings: FieldValues; secrets: FieldValues } {
  const settings: FieldValues = {};
  const secrets: FieldValues = {};
  for (const field of spec.fields) {
    const v = values[field.id];
    if (v !== undefined) (field.secret ? secrets : settings)[field.id] = v;
  }
  return { settings, secrets };
}

function checkLocation(spec: ProviderSpec, environment: string | undefined, baseUrl: string | undefined): { environment?: string; baseUrl?: string } {
  if (environment !== undefined && !spec.environments.length) {
    // Refused rather than dropped: the caller meant something by it.
    throw new ContractError('invalid_input', `environment: ${spec.name} accounts have no environments; they set their endpoints in the token_url/issuer fields`);
  }
  if (environment !== undefined && !spec.environments.some((e) => e.id === environment)) {
    throw new ContractError('invalid_input', `environment: ${spec.name} has the environments ${spec.environments.map((e) => e.id).join(', ')}`);
  }
  const urlProblem = baseUrl === undefined ? undefined : endpointUrlProblem(baseUrl);
  if (urlProblem) throw new ContractError('invalid_input', `baseUrl: ${urlProblem}`);
  if (spec.environments.length === 0 && baseUrl) {
    throw new ContractError('invalid_input', `baseUrl: ${spec.name} accounts set their endpoints in the token_url/issuer fields`);
  }
  return { environment: spec.environments.length ? (environment ?? spec.defaultEnvironment) : undefined, baseUrl };
}

async function defaultSystemKeyWrapper(): Promise<KeyWrapper> {
  if (!(await keyringWorks())) {
    throw new ContractError('config_error', 'No OS keyring (Secret Service) is available here: keep the passphrase');
  }
  return new KeyringWrapper();
}

function toFailure(err: unknown): { errorClass?: ErrorClass; httpStatus?: number; message: string } {
  if (err instanceof ProviderError) return { errorClass: err.errorClass, httpStatus: err.httpStatus, message: err.message };
  if (err instanceof ContractError) return { message: err.message };
  return { errorClass: 'transient', message: 'The test failed unexpectedly' };
}

function suppliedTokenExpiry(accessToken: string, expiresInSeconds: number | undefined, refreshEveryMs: number | undefined, at: number): Partial<AccountRecord> {
  try {
    const expiry = resolveExpiry({ expiresInSeconds, accessToken, refreshEveryMs, now: at });
    return { ...expiry, obtainedAt: at, lastRefreshAt: at };
  } catch (err) {
    if (err instanceof ExpiryError) throw new ContractError('invalid_input', `access_token: ${err.message}`);
    throw err;
  }
}
