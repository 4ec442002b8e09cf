// Provider definitions as data (README "Provider files"): a JSON document describes a
// provider's fields, its refresh request, how to read the answer and how to classify errors.
// This file holds the structure (zod, from which docs/provider-definition.schema.json is
// generated) and the checks the structure cannot say: JSON paths in every message, pointers
// tried against the sample answer, and the dangerous cases refused (plain http off loopback,
// a secret sent to another origin, CR/LF in a header, a mapping that reads the request).
// Pure TypeScript + zod: the core interprets definitions, the renderer previews them.
import { z } from 'zod';
import { PROVIDER_IDS } from './domain.js';

export const DEFINITION_FORMAT = 1;

/** Ids of user-defined providers: lower-case, short, and never a built-in id. */
export const DEFINITION_ID_PATTERN = '^[a-z][a-z0-9-]{1,39}$';

const Text = (max: number) => z.string().min(1).max(max);
/** RFC 6901 JSON pointer into the answer body ("" is the whole body). */
const Pointer = z.string().max(512).describe('RFC 6901 JSON pointer into the answer body, e.g. /data/auth/token');
const Pointers = z.union([Pointer, z.array(Pointer).min(1).max(8)]).describe('A pointer, or pointers tried in order (the first that matches wins)');

/** A value sent in a header, query or body field: a template with {{field}} placeholders, or one with options. */
const ValueSpec = z.union([
  z.string().max(4096),
  z
    .object({
      value: z.string().max(4096).describe('Template: literal text with {{field_id}}, {{baseUrl}}, {{username}} or {{password}} placeholders'),
      default: z.string().max(4096).optional().describe('Used when the template comes out empty'),
      omitIfEmpty: z.boolean().optional().describe('Leave the field or header out when the value is empty'),
      as: z.enum(['string', 'list', 'number']).optional().describe('JSON bodies: send as a string (default), a list split at spaces and commas, or a number'),
    })
    .strict(),
]);
export type ValueSpec = z.infer<typeof ValueSpec>;

const Credential = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('none') }).strict(),
    z
      .object({
        kind: z.literal('basic'),
        username: z.string().max(1024),
        password: z.string().max(1024),
        encoding: z.enum(['plain', 'rfc6749']).optional().describe('rfc6749: both parts form-encoded before base64 (RFC 6749 §2.3.1)'),
      })
      .strict(),
    z.object({ kind: z.literal('bearer'), value: z.string().max(1024).describe('Template, usually {{refresh_token}}') }).strict(),
  ])
  .describe('Where the credential goes besides named headers and body fields');

const Condition = z
  .object({
    pointer: Pointer,
    equals: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
    in: z.array(z.union([z.string(), z.number(), z.boolean()])).max(50).optional(),
    matches: z.union([z.string().max(200), z.array(z.string().max(200)).max(5)]).optional().describe('Case-insensitive regular expressions, all must match'),
    exists: z.boolean().optional(),
  })
  .strict();

const ERROR_CLASSES = ['reauth_required', 'config_error', 'rate_limited', 'transient'] as const;

const ErrorRule = z
  .object({
    status: z.union([z.number().int().min(100).max(599), z.array(z.number().int().min(100).max(599)).min(1).max(20)]).optional(),
    match: z.array(Condition).max(5).optional(),
    class: z.enum(ERROR_CLASSES).describe('reauth_required: sign in again; config_error: fix settings; rate_limited; transient: try again later'),
    message: z.string().max(300).optional().describe('Shown after the vendor message (plain text, no placeholders)'),
  })
  .strict();

const ErrorMapping = z
  .object({
    message: Pointers.optional().describe('Where the vendor message is'),
    code: Pointers.optional().describe('Where the vendor error code is'),
    rules: z.array(ErrorRule).max(50).describe('Tried in order; 2xx answers are checked against rules that have a match'),
  })
  .strict();

const EXPIRY_KINDS = ['seconds', 'string_seconds', 'iso_date', 'epoch_ms', 'epoch_seconds', 'jwt_exp', 'fixed', 'none'] as const;
const Expiry = z
  .object({
    kind: z.enum(EXPIRY_KINDS),
    pointer: Pointers.optional().describe('Required for every kind but jwt_exp, fixed and none'),
    seconds: z.number().int().positive().max(315_360_000).optional().describe('For kind fixed'),
    required: z.boolean().optional().describe('The answer is malformed without it (default false)'),
  })
  .strict();

const Answer = z
  .object({
    accessToken: Pointers,
    refreshToken: Pointers.optional(),
    tokenType: z.union([Pointers, z.object({ fixed: z.string().max(128) }).strict()]).optional(),
    tokenTypeRequired: z.boolean().optional(),
    expiry: Expiry.optional(),
    refreshTokenExpiry: Expiry.optional(),
    scope: Pointers.optional(),
    keep: z
      .record(
        z.string().max(64),
        z.union([
          z.object({ pointer: Pointers, as: z.enum(['string', 'number', 'boolean']).optional() }).strict(),
          z.object({ field: z.string().max(40).describe('A non-secret field of the account'), default: z.string().max(200).optional() }).strict(),
        ]),
      )
      .optional()
      .describe('Non-secret extras kept with the tokens (shown in details): from the answer, or the account field the request used'),
    settings: z.record(z.string().max(64), Pointers).optional().describe('Non-secret values saved into account fields (PathStack sub)'),
    sample: z.unknown().optional().describe('An answer as the vendor sends it: every pointer is tried against it'),
  })
  .strict();

const Request = z
  .object({
    method: z.enum(['POST', 'GET']),
    url: z.string().min(1).max(2048).describe('{{baseUrl}}/path, {{url_field}}/path or an absolute https URL'),
    credential: Credential.optional(),
    headers: z.record(z.string().max(128), ValueSpec).optional(),
    query: z.record(z.string().max(128), ValueSpec).optional(),
    body: z
      .object({ encoding: z.enum(['form', 'json', 'none']), fields: z.record(z.string().max(128), ValueSpec).optional() })
      .strict()
      .optional(),
  })
  .strict();

const FieldDef = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
    label: Text(100),
    help: z.string().max(500).optional(),
    secret: z.boolean(),
    required: z.boolean().optional(),
    default: z.string().max(1024).optional(),
    options: z.array(Text(100)).min(1).max(50).optional(),
    validation: z
      .object({
        pattern: z.string().max(200).optional(),
        message: z.string().max(200).optional(),
        maxLength: z.number().int().min(1).max(16_384).optional(),
        url: z.boolean().optional().describe('An https URL (http only on loopback)'),
      })
      .strict()
      .optional(),
  })
  .strict();

export const ProviderDefinitionSchema = z
  .object({
    $schema: z.string().max(512).optional(),
    format: z.literal(DEFINITION_FORMAT),
    id: z.string().regex(new RegExp(DEFINITION_ID_PATTERN)),
    version: z.number().int().min(1).max(1_000_000).optional().describe("The file's own revision"),
    name: Text(80),
    summary: Text(200),
    fields: z.array(FieldDef).min(1).max(40),
    environments: z
      .array(z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/), label: Text(80), baseUrl: z.string().min(1).max(2048) }).strict())
      .max(10)
      .optional(),
    defaultEnvironment: z.string().max(32).optional(),
    rotation: z.enum(['always', 'optional', 'never']),
    authentication: z.string().max(200).optional(),
    authorizationSchemes: z.array(z.enum(['Bearer', 'Token'])).min(1).max(2).optional(),
    refresh: Request.extend({
      answer: Answer,
      errors: ErrorMapping,
      variants: z
        .array(Request.extend({ when: z.object({ field: z.string().max(40), equals: z.string().max(200) }).strict() }).strict())
        .max(4)
        .optional()
        .describe('Another request when a field has a value (e.g. grant = client_credentials); the answer and errors are shared'),
    }).strict(),
    signIn: z
      .object({
        password: Request.extend({ userLabel: Text(40), settings: z.record(z.string().max(64), Pointers).optional() }).strict().optional(),
        authorizationCode: z
          .object({
            authorizeUrl: z.string().min(1).max(2048).describe('Where the browser sign-in starts: {{baseUrl}}/path or an https URL; no secrets'),
            params: z.record(z.string().max(128), ValueSpec).optional().describe('Query parameters besides response_type, client_id, redirect_uri, state and PKCE'),
            exchange: Request.describe('The code exchange; {{code}}, {{redirect_uri}} and {{code_verifier}} are available'),
          })
          .strict()
          .optional()
          .describe('Authorization code + PKCE in the system browser (RFC 6749 §4.1, RFC 7636)'),
        device: z
          .object({
            authorize: Request.describe('The device authorization request; its answer is read as RFC 8628 §3.2 says (device_code, user_code, verification_uri, expires_in, interval)'),
            poll: Request.describe('The token request polled until the user decides; {{device_code}} is available. Approved, it is read with the refresh answer mapping; authorization_pending, slow_down, access_denied and expired_token as RFC 8628 §3.5 says; any other failure with the refresh error rules'),
          })
          .strict()
          .optional()
          .describe('Device authorization grant: a code the user enters on another device (RFC 8628)'),
      })
      .strict()
      .optional(),
    revoke: Request.extend({ sentence: z.string().max(300).optional() }).strict().optional(),
    hooks: z.array(z.enum(['oauth2-client-auth', 'oauth2-discovery', 'django-errors'])).max(3).optional().describe('Built-in behaviour data cannot say (see README "Provider files")'),
  })
  .strict();
export type ProviderDefinition = z.infer<typeof ProviderDefinitionSchema>;
export type RequestDefinition = z.infer<typeof Request>;
export type AnswerDefinition = z.infer<typeof Answer>;
export type ErrorMappingDefinition = z.infer<typeof ErrorMapping>;
export type ExpiryDefinition = z.infer<typeof Expiry>;
export type FieldDefinition = z.infer<typeof FieldDef>;

export { PROVIDER_IDS };

/** The published JSON Schema of provider files (docs/provider-definition.schema.json, written by scripts/provider-schema.ts). */
export function providerDefinitionJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(ProviderDefinitionSchema, { target: 'draft-2020-12', io: 'input' }),
    title: 'TokenDesk provider definition',
    description: 'A provider described as data: fields, refresh request, answer mapping, error rules (README "Provider files").',
  };
}
