// The descriptor half of a provider file (what the form and the CLI need): fields with zod
// schemas made from the definition's validation, environments, one-line summaries.
import { z } from 'zod';
import type { ProviderDefinition } from './provider-definition.js';
import { accessTokenField, choice, endpointUrl, secretValue, textValue, type FieldSpec, type ProviderDescriptor } from './provider-fields.js';
import { localOnlyRevoke } from './providers/local-revoke.js';

function fieldSchema(field: ProviderDefinition['fields'][number]): z.ZodType<string> {
  const max = field.validation?.maxLength ?? (field.secret ? 16_384 : 4096);
  if (field.options?.length) return choice(field.label, field.options as [string, ...string[]]);
  if (field.validation?.url) return endpointUrl(field.label);
  const base = field.secret ? secretValue(field.label, max) : textValue(field.label, max);
  const pattern = field.validation?.pattern;
  if (pattern === undefined) return base;
  const re = new RegExp(pattern);
  return base.refine((v) => re.test(v), field.validation?.message ?? `${field.label} does not have the expected form`);
}

export function fieldsOfDefinition(def: ProviderDefinition): FieldSpec[] {
  const fields: FieldSpec[] = def.fields.map((f) => ({
    id: f.id,
    label: f.label,
    help: f.help ?? '',
    secret: f.secret,
    required: f.required ?? false,
    schema: fieldSchema(f),
    ...(f.options ? { options: [...f.options] } : {}),
    ...(f.default !== undefined ? { default: f.default } : {}),
    ...(f.id === 'access_token' ? { issuedByRefresh: true } : {}),
  }));
  // Every account may hold a current access token; the refresh fills it in.
  if (!fields.some((f) => f.id === 'access_token')) fields.push(accessTokenField());
  return fields;
}

function expiryWords(def: ProviderDefinition): string {
  const e = def.refresh.answer.expiry;
  if (!e || e.kind === 'none') return 'JWT `exp` of the access token, else "refresh every"';
  const where = e.pointer === undefined ? '' : ` at ${[e.pointer].flat().join(' or ')}`;
  switch (e.kind) {
    case 'seconds':
    case 'string_seconds':
      return `seconds${where}, else JWT \`exp\``;
    case 'iso_date':
      return `an ISO date${where}`;
    case 'epoch_ms':
    case 'epoch_seconds':
      return `a timestamp${where}`;
    case 'jwt_exp':
      return 'JWT `exp` of the access token';
    case 'fixed':
      return `a fixed ${e.seconds} s`;
  }
}

function authenticationWords(def: ProviderDefinition): string {
  if (def.authentication) return def.authentication;
  const c = def.refresh.credential?.kind ?? 'none';
  const body = def.refresh.body?.encoding ?? 'none';
  return `${c === 'basic' ? 'HTTP Basic' : c === 'bearer' ? 'Bearer' : 'no Authorization header'}, ${body === 'none' ? 'no body' : `${body} body`}`;
}

/** The descriptor of a checked definition (checkProviderDefinition first). */
export function descriptorFromDefinition(def: ProviderDefinition): ProviderDescriptor {
  return {
    id: def.id,
    name: def.name,
    summary: def.summary,
    fields: fieldsOfDefinition(def),
    environments: (def.environments ?? []).map((e) => ({ ...e })),
    ...(def.defaultEnvironment ?? def.environments?.[0]?.id ? { defaultEnvironment: def.defaultEnvironment ?? def.environments?.[0]?.id } : {}),
    authentication: authenticationWords(def),
    rotation: def.rotation,
    expirySource: expiryWords(def),
    revoke: def.revoke
      ? { kind: 'rfc7009', sentence: def.revoke.sentence ?? `TokenDesk asks ${def.name} to revoke the grant, then deletes the tokens from this computer.` }
      : localOnlyRevoke(def.name),
    ...(def.authorizationSchemes ? { authorizationSchemes: [...def.authorizationSchemes] } : {}),
  };
}
