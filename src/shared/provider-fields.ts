// What a provider asks the user for. Shared by the core (validation on add/edit,
// CLI `--set`) and the renderer (forms generated from the same zod schemas).
import { z } from 'zod';
import type { ProviderId } from './domain.js';

export interface FieldSpec {
  /** Key in account settings (non-secret) or in the vault (secret). */
  id: string;
  label: string;
  help: string;
  /** Secret fields live only in the vault and are never shown unmasked by default. */
  secret: boolean;
  required: boolean;
  /** Validates the value as typed (always a string: forms and `--set` give strings). */
  schema: z.ZodType<string>;
  /** Choices for a select; the schema enforces them too. */
  options?: readonly string[];
  default?: string;
  /** Fields the engine fills in itself after a refresh (access_token): optional on add. */
  issuedByRefresh?: boolean;
  /** Where the vendor explains how to get the value (shown as a link under the help). */
  docs?: { label: string; url: string };
}

export interface EnvironmentSpec {
  id: string;
  label: string;
  baseUrl: string;
}

export interface RevokeInfo {
  kind: 'rfc7009' | 'local_only';
  /** The sentence the UI shows in the revoke confirmation. */
  sentence: string;
}

/** The non-functional half of a provider spec: what the UI and the CLI need to know. */
export interface ProviderDescriptor {
  /** A built-in id, or a provider file's (src/shared/provider-definition.ts). */
  id: ProviderId | (string & {});
  name: string;
  /** One line for the provider picker. */
  summary: string;
  fields: readonly FieldSpec[];
  /** Empty for providers whose endpoints are fields (oauth2). */
  environments: readonly EnvironmentSpec[];
  defaultEnvironment?: string;
  /** How the refresh call authenticates, for docs and the README table. */
  authentication: string;
  rotation: 'always' | 'optional' | 'never';
  expirySource: string;
  revoke: RevokeInfo;
  /** Authorization schemes the vendor's API takes; more than one offers a choice when a header is copied (the first is the default). */
  authorizationSchemes?: readonly ('Bearer' | 'Token')[];
  /** A rule across fields, after each field is valid on its own (oauth2: a token URL or an issuer). */
  checkValues?: (values: FieldValues) => FieldError[];
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

import { CONTROL_CHARS } from './control-chars.js';

export { CONTROL_CHARS };

/** Why a URL may not be an endpoint, as the end of a sentence ("… must be an https:// URL"); undefined when it may. */
export function endpointUrlProblem(value: string): string | undefined {
  if (CONTROL_CHARS.test(value)) return 'must not contain control characters';
  const https = 'must be an https:// URL (plain http is allowed only for localhost/127.0.0.1)';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return https;
  }
  // Credentials in a URL end up in logs and history: they belong in the secret fields.
  if (url.username || url.password) return 'must not contain a user name or password';
  if (url.protocol === 'https:') return undefined;
  return url.protocol === 'http:' && (LOOPBACK_HOSTS.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname)) ? undefined : https;
}

/** True for https URLs, and for http only on loopback (local simulators, dev servers). */
export function isAllowedEndpointUrl(value: string): boolean {
  return endpointUrlProblem(value) === undefined;
}

/**
 * A key the caller chose (a field name), safe to put in a message: plain ones as they are,
 * others quoted, shortened and with control and bidi characters escaped (the CLI prints
 * messages to a terminal).
 */
export function printableKey(key: string): string {
  return /^[A-Za-z0-9_$-]{1,64}$/.test(key) ? key : quoteKey(key);
}

/** A caller's string in quotes, at most 64 characters, control and bidi characters escaped. */
export function quoteKey(key: string): string {
  const shown = key.length > 64 ? `${key.slice(0, 64)}…` : key;
  // JSON.stringify escapes C0 and lone surrogates; the rest of CONTROL_CHARS by hand.
  return JSON.stringify(shown).replace(new RegExp(CONTROL_CHARS.source, 'g'), (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Every validation message, in the form, the service and the CLI, reads "<Field> is required"
 * or "<Field> must …" (test/unit/provider-fields.test.ts walks every descriptor to hold it).
 */
export const requiredMessage = (name: string): string => `${name} is required`;

/** A field's name for messages: its label without a trailing "(optional)" or "(or sign in)". */
export function fieldName(field: Pick<FieldSpec, 'label'>): string {
  return field.label.replace(/\s*\([^)]*\)$/, '');
}

/** A single-line value: trimmed, bounded, no control characters. */
export function textValue(label: string, max = 4096) {
  return z
    .string()
    .trim()
    .min(1, requiredMessage(label))
    .max(max, `${label} must be at most ${max} characters`)
    .refine((v) => !CONTROL_CHARS.test(v), `${label} must not contain control characters`);
}

/** A token or secret: no whitespace inside, bounded. */
export function secretValue(label: string, max = 16_384) {
  return textValue(label, max).refine((v) => !/\s/.test(v), `${label} must not contain spaces or line breaks`);
}

export function endpointUrl(label: string) {
  return textValue(label, 2048).superRefine((v, ctx) => {
    const problem = endpointUrlProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: `${label} ${problem}` });
  });
}

export function choice(label: string, options: readonly [string, ...string[]]) {
  return z
    .string()
    .trim()
    .refine((v) => options.includes(v), `${label} must be one of: ${options.join(', ')}`);
}

/** Fields every refreshable account has. */
/** `required: false` for providers TokenDesk can sign in to: the sign-in obtains it. */
export const refreshTokenField = (help = 'The refresh token the vendor issued at sign-in.', required = true): FieldSpec => ({
  id: 'refresh_token',
  label: required ? 'Refresh token' : 'Refresh token (or sign in)',
  help,
  secret: true,
  required,
  schema: secretValue('Refresh token'),
});

export const GRANTS = ['refresh_token', 'client_credentials'] as const;
export type Grant = (typeof GRANTS)[number];

/** How the account gets each new access token: its refresh token, or client credentials (RFC 6749 §4.4) for machine-to-machine tokens. */
export const grantField = (): FieldSpec => ({
  id: 'grant',
  label: 'Keep alive with',
  help: 'refresh_token: sign in (or paste a refresh token) and refresh it. client_credentials: no user; each access token comes from the client ID and secret.',
  secret: false,
  required: false,
  default: 'refresh_token',
  options: GRANTS,
  schema: choice('Keep alive with', GRANTS),
});

export const accessTokenField = (): FieldSpec => ({
  id: 'access_token',
  label: 'Access token (optional)',
  help: 'A current access token, if you have one. Left empty, the first refresh fetches one.',
  secret: true,
  required: false,
  schema: secretValue('Access token'),
  issuedByRefresh: true,
});

export type FieldValues = Record<string, string>;

export interface FieldError {
  field: string;
  message: string;
}

/**
 * Validates user input against a provider's fields. Returns the cleaned values
 * (trimmed, defaults applied) or one message per bad field, in words.
 */
export function validateFieldValues(
  fields: readonly FieldSpec[],
  input: FieldValues,
): { ok: true; values: FieldValues } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const values: FieldValues = {};
  const known = new Set(fields.map((f) => f.id));
  for (const key of Object.keys(input)) {
    if (!known.has(key)) errors.push({ field: key, message: `Unknown field ${quoteKey(key)} (expected one of: ${[...known].join(', ')})` });
  }
  for (const field of fields) {
    const raw = Object.prototype.hasOwnProperty.call(input, field.id) ? input[field.id] : undefined;
    const given = raw === undefined || raw.trim() === '' ? field.default : raw;
    if (given === undefined) {
      if (field.required) errors.push({ field: field.id, message: requiredMessage(fieldName(field)) });
      continue;
    }
    const parsed = field.schema.safeParse(given);
    if (parsed.success) values[field.id] = parsed.data;
    else errors.push({ field: field.id, message: parsed.error.issues[0]?.message ?? `${fieldName(field)} must be a valid value` });
  }
  return errors.length ? { ok: false, errors } : { ok: true, values };
}

/** validateFieldValues, then the provider's rule across fields. */
export function validateProviderValues(
  provider: Pick<ProviderDescriptor, 'fields' | 'checkValues'>,
  input: FieldValues,
): { ok: true; values: FieldValues } | { ok: false; errors: FieldError[] } {
  const result = validateFieldValues(provider.fields, input);
  if (!result.ok) return result;
  const errors = provider.checkValues?.(result.values) ?? [];
  return errors.length ? { ok: false, errors } : result;
}
