// Turns what accounts.add, accounts.test and accounts.update receive into a validated account
// record and its secrets, by the provider's descriptor: fields, environment or base URL, the
// expiry of a supplied access token. Stores nothing.
import type { AccountView, AddAccountInput } from '../../../shared/contract.js';
import { endpointUrlProblem, printableKey, validateProviderValues, type FieldValues } from '../../../shared/provider-fields.js';
import { ContractError, type Handlers } from '../contract.js';
import type { AccountRecord } from '../engine/types.js';
import { resolveExpiry, ExpiryError } from '../expiry.js';
import { randomId } from '../ids.js';
import type { ProviderSpec } from '../providers/types.js';
import type { Shared } from './context.js';

export type UpdateAccountInput = Parameters<Handlers['accounts.update']>[0];

/** A new account's record and secrets, checked (nothing stored). */
export function newAccount(s: Shared, input: AddAccountInput): { spec: ProviderSpec; record: AccountRecord; secrets: FieldValues } {
  const spec = s.spec(input.providerId);
  s.assertNameFree(input.name);
  const location = checkLocation(spec, input.environment, input.baseUrl);
  const values = checkedValues(spec, input.values);
  const { settings, secrets } = splitValues(spec, values);
  const at = s.now();
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
}

/** An account's record and secrets after an update, checked (nothing stored). */
export function updatedAccount(spec: ProviderSpec, current: AccountView, oldSecrets: FieldValues, input: UpdateAccountInput, at: number): { record: AccountRecord; secrets: FieldValues } {
  // Secrets left empty keep their stored value; every field is re-validated together.
  const merged: FieldValues = { ...current.settings, ...oldSecrets };
  for (const [k, v] of Object.entries(input.values ?? {})) {
    const field = spec.fields.find((f) => f.id === k);
    if (field?.secret && v === '') continue;
    merged[k] = v;
  }
  const { settings, secrets } = splitValues(spec, checkedValues(spec, merged));
  const location = checkLocation(spec, input.environment ?? current.environment, input.baseUrl === undefined ? current.baseUrl : input.baseUrl || undefined);
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
    updatedAt: at,
  };
  if (credentialsChanged) record.endpoints = undefined;
  return { record, secrets };
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
    throw new ContractError('invalid_input', `environment: Environment must be empty: ${spec.name} accounts set their endpoints in the token_url/issuer fields`);
  }
  if (environment !== undefined && !spec.environments.some((e) => e.id === environment)) {
    throw new ContractError('invalid_input', `environment: Environment must be one of: ${spec.environments.map((e) => e.id).join(', ')}`);
  }
  const urlProblem = baseUrl === undefined ? undefined : endpointUrlProblem(baseUrl);
  if (urlProblem) throw new ContractError('invalid_input', `baseUrl: Base URL ${urlProblem}`);
  if (spec.environments.length === 0 && baseUrl) {
    throw new ContractError('invalid_input', `baseUrl: Base URL must be empty: ${spec.name} accounts set their endpoints in the token_url/issuer fields`);
  }
  return { environment: spec.environments.length ? (environment ?? spec.defaultEnvironment) : undefined, baseUrl };
}

function suppliedTokenExpiry(accessToken: string, expiresInSeconds: number | undefined, refreshEveryMs: number | undefined, at: number): Partial<AccountRecord> {
  try {
    const expiry = resolveExpiry({ expiresInSeconds, accessToken, refreshEveryMs, now: at });
    return { ...expiry, obtainedAt: at, lastRefreshAt: at };
  } catch (err) {
    if (err instanceof ExpiryError) throw new ContractError('invalid_input', `access_token: Access token must have a plausible expiry (${err.message})`);
    throw err;
  }
}
