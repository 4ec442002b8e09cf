// The add/edit account form: its state, validation with the very schemas the core uses
// (the provider's field schemas via validateFieldValues, the contract's input schema),
// and mapping the owner's error text back onto fields. Pure (unit-tested).
import '../zod-config.js';
import { AddAccountInputSchema, UpdateAccountInputSchema, type AccountView, type AddAccountInput, type CallInput } from '../../../shared/contract.js';
import { formatDuration, parseDuration } from '../../../shared/duration.js';
import { endpointUrl, validateFieldValues, validateProviderValues, type ProviderDescriptor } from '../../../shared/provider-fields.js';
import { SIGNED_IN_FIELDS } from './signin.js';

export interface FormState {
  /** A built-in provider id or a provider file's. */
  providerId: string;
  name: string;
  environment: string;
  baseUrl: string;
  /** Every provider field's text, by field id. */
  values: Record<string, string>;
  refreshEvery: string;
  accessTokenExpiresIn: string;
}

/** Error keys: 'name', 'environment', 'baseUrl', 'refreshEvery', 'accessTokenExpiresIn', `values.<field>`, 'form'. */
export type FormErrors = Record<string, string>;

export const fieldKey = (fieldId: string): string => `values.${fieldId}`;

export function emptyForm(descriptor: ProviderDescriptor): FormState {
  const values: Record<string, string> = {};
  for (const f of descriptor.fields) values[f.id] = f.default ?? '';
  return {
    providerId: descriptor.id,
    name: '',
    environment: descriptor.defaultEnvironment ?? descriptor.environments[0]?.id ?? '',
    baseUrl: '',
    values,
    refreshEvery: '',
    accessTokenExpiresIn: '',
  };
}

/** The edit form of an existing account: non-secret values filled in, secrets empty (= keep). */
export function formFromAccount(descriptor: ProviderDescriptor, account: AccountView): FormState {
  const values: Record<string, string> = {};
  for (const f of descriptor.fields) values[f.id] = f.secret ? '' : (account.settings[f.id] ?? f.default ?? '');
  return {
    providerId: descriptor.id,
    name: account.name,
    environment: account.environment ?? descriptor.defaultEnvironment ?? '',
    baseUrl: account.baseUrl ?? '',
    values,
    refreshEvery: account.refreshEveryMs !== undefined ? formatDuration(account.refreshEveryMs) : '',
    accessTokenExpiresIn: '',
  };
}

type Shape = typeof AddAccountInputSchema.shape;
const firstIssue = (r: { success: boolean; error?: { issues: { message: string }[] } }): string | undefined =>
  r.success ? undefined : (r.error?.issues[0]?.message ?? 'Invalid value');

const baseUrlSchema = endpointUrl('Base URL');
const LIFETIME_WORDS = 'Access token lifetime must be whole seconds, e.g. 3600';

function checkCommon(state: FormState, descriptor: ProviderDescriptor, errors: FormErrors): { refreshEveryMs?: number; expiresIn?: number } {
  const shape: Shape = AddAccountInputSchema.shape;
  const nameError = firstIssue(shape.name.safeParse(state.name));
  if (nameError) errors['name'] = nameError;
  if (descriptor.environments.length && state.environment && !descriptor.environments.some((e) => e.id === state.environment)) {
    errors['environment'] = `Environment must be one of: ${descriptor.environments.map((e) => e.label).join(', ')}`;
  }
  if (state.baseUrl.trim()) {
    const e = firstIssue(baseUrlSchema.safeParse(state.baseUrl));
    if (e) errors['baseUrl'] = e;
  }
  let refreshEveryMs: number | undefined;
  if (state.refreshEvery.trim()) {
    const parsed = parseDuration(state.refreshEvery);
    if (!parsed.ok) errors['refreshEvery'] = `Refresh every must be a valid duration: ${parsed.error}`;
    else {
      refreshEveryMs = parsed.ms;
      const e = firstIssue(shape.refreshEveryMs.safeParse(refreshEveryMs));
      if (e) errors['refreshEvery'] = e;
    }
  }
  let expiresIn: number | undefined;
  if (state.accessTokenExpiresIn.trim()) {
    expiresIn = /^\d+$/.test(state.accessTokenExpiresIn.trim()) ? Number(state.accessTokenExpiresIn.trim()) : NaN;
    const e = Number.isNaN(expiresIn) ? LIFETIME_WORDS : firstIssue(shape.accessTokenExpiresInSeconds.safeParse(expiresIn));
    if (e) errors['accessTokenExpiresIn'] = e;
  }
  return { refreshEveryMs, expiresIn };
}

/**
 * Whether the provider's rule across fields needs this field, given the others as typed (an
 * OAuth 2.0 client secret while client authentication is client_secret_basic): the form marks
 * it required, as it marks the fields that always are.
 */
export function requiredByOtherFields(descriptor: Pick<ProviderDescriptor, 'checkValues'>, values: Readonly<Record<string, string>>, fieldId: string): boolean {
  if (!descriptor.checkValues) return false;
  const others = nonEmpty(Object.fromEntries(Object.entries(values).filter(([k]) => k !== fieldId)));
  return descriptor.checkValues(others).some((e) => e.field === fieldId);
}

/** Field values to send: trimmed-empty ones left out so defaults apply (add). */
function nonEmpty(values: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (v.trim() !== '') out[k] = v;
  return out;
}

function withoutSignedInFields(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([k]) => !SIGNED_IN_FIELDS.includes(k)));
}

export type Checked<T> = { ok: true; input: T } | { ok: false; errors: FormErrors };

/**
 * Validates a new account exactly as the core will (field schemas, contract schema). With
 * `signIn` the user signs in after saving: the tokens a sign-in obtains are left out (their
 * fields are hidden), and so is the pasted access token's lifetime.
 */
export function checkAddForm(state: FormState, descriptor: ProviderDescriptor, draftId?: string, signIn = false): Checked<AddAccountInput> {
  const errors: FormErrors = {};
  const { refreshEveryMs, expiresIn } = checkCommon(signIn ? { ...state, accessTokenExpiresIn: '' } : state, descriptor, errors);
  const values = nonEmpty(signIn ? withoutSignedInFields(state.values) : state.values);
  const fields = validateProviderValues(descriptor, values);
  if (!fields.ok) for (const e of fields.errors) errors[fieldKey(e.field)] ??= e.message;
  if (Object.keys(errors).length) return { ok: false, errors };
  const input: AddAccountInput = {
    providerId: descriptor.id,
    name: state.name.trim(),
    values,
    ...(descriptor.environments.length && state.environment ? { environment: state.environment } : {}),
    ...(state.baseUrl.trim() ? { baseUrl: state.baseUrl.trim() } : {}),
    ...(refreshEveryMs !== undefined ? { refreshEveryMs } : {}),
    ...(expiresIn !== undefined && values['access_token'] ? { accessTokenExpiresInSeconds: expiresIn } : {}),
    ...(draftId ? { draftId } : {}),
  };
  const parsed = AddAccountInputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: { form: parsed.error.issues[0]?.message ?? 'Invalid input' } };
  return { ok: true, input };
}

/** Validates an edit: secrets left empty keep their stored value, so they are not required. */
export function checkEditForm(state: FormState, descriptor: ProviderDescriptor, account: AccountView): Checked<CallInput<'accounts.update'>> {
  const errors: FormErrors = {};
  const { refreshEveryMs } = checkCommon(state, descriptor, errors);
  const keptSecrets = new Set(descriptor.fields.filter((f) => f.secret && !state.values[f.id]?.trim()).map((f) => f.id));
  const fields = descriptor.fields.filter((f) => !keptSecrets.has(f.id));
  const given: Record<string, string> = {};
  for (const f of fields) given[f.id] = state.values[f.id] ?? '';
  const result = validateFieldValues(fields, nonEmpty(given));
  if (!result.ok) for (const e of result.errors) errors[fieldKey(e.field)] ??= e.message;
  if (Object.keys(errors).length) return { ok: false, errors };
  // Every non-secret field is sent (empty clears it); secrets only when typed.
  const values: Record<string, string> = {};
  for (const f of descriptor.fields) {
    const v = state.values[f.id] ?? '';
    if (f.secret ? v.trim() !== '' : true) values[f.id] = v.trim() === '' ? '' : v;
  }
  const input: CallInput<'accounts.update'> = {
    account: account.id,
    values,
    refreshEveryMs: refreshEveryMs ?? null,
    ...(state.name.trim() !== account.name ? { name: state.name.trim() } : {}),
    ...(descriptor.environments.length && state.environment ? { environment: state.environment } : {}),
    ...(descriptor.environments.length ? { baseUrl: state.baseUrl.trim() } : {}),
  };
  const parsed = UpdateAccountInputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: { form: parsed.error.issues[0]?.message ?? 'Invalid input' } };
  return { ok: true, input };
}

const TOP_KEYS: Record<string, string> = {
  name: 'name',
  environment: 'environment',
  baseUrl: 'baseUrl',
  refreshEveryMs: 'refreshEvery',
  accessTokenExpiresInSeconds: 'accessTokenExpiresIn',
};

/**
 * Maps the owner's invalid_input text ("accounts.add: values.sub: …; refresh_token: …")
 * onto form keys; whatever names no field goes to 'form'.
 */
export function errorsFromServer(message: string, fieldIds: readonly string[]): FormErrors {
  const errors: FormErrors = {};
  const known = new Set(fieldIds);
  const rest: string[] = [];
  for (const rawPart of message.split('; ')) {
    const part = rawPart.replace(/^accounts\.\w+: /, '');
    const m = /^([A-Za-z_][\w.]*): (.+)$/s.exec(part);
    const key = m?.[1]?.replace(/^values\./, '');
    if (m && key && known.has(key)) errors[fieldKey(key)] ??= m[2]!;
    else if (m && key && TOP_KEYS[key]) errors[TOP_KEYS[key]!] ??= m[2]!;
    else rest.push(part);
  }
  if (rest.length) errors['form'] = rest.join('; ');
  return errors;
}

/** A stable fingerprint of what "test now" tested, to know when its draft still applies. */
export function testedFingerprint(state: FormState): string {
  return JSON.stringify([state.providerId, state.environment, state.baseUrl.trim(), state.values]);
}
