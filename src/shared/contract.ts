// The one API contract (docs/ARCHITECTURE.md "Contract and transports"): every call
// with its zod input and output, and every pushed event. Served by the owner over
// the local socket (CLI), Electron IPC (preload) and a WebSocket (`serve`).
import { z } from 'zod';
import {
  AccountRecordSchema, AccountStatusSchema, AnyProviderIdSchema, AppSettingsSchema, ERROR_CLASSES, ErrorClassSchema, HISTORY_ACTIONS, HistoryActionSchema, RefreshEventSchema,
  RefreshTriggerSchema, type AppSettings,
} from './domain.js';
import { ProviderDefinitionSchema } from './provider-definition.js';
import { CONTROL_CHARS } from './provider-fields.js';
import { ERROR_CODES } from './error-codes.js';

const Ms = z.number().int().nonnegative();
const Name = z
  .string()
  .trim()
  .min(1, 'Name is required')
  .max(100, 'Name must be at most 100 characters')
  // C0/C1 controls, and bidi controls that make a name display as another one.
  .refine((v) => !CONTROL_CHARS.test(v), 'Name must not contain control characters');
/** An account's name or id, as a user types it. */
const AccountRef = z.string().trim().min(1, 'Account name or id is required').max(200, 'Account name or id must be at most 200 characters');
const RefreshEveryMs = z.number().int().min(10_000, 'Refresh every must be at least 10 seconds').max(366 * 86_400_000, 'Refresh every must be at most 366 days');

const FieldValues = z.record(z.string().max(100, 'A field name must be at most 100 characters'), z.string().max(20_000, 'A value must be at most 20000 characters')).refine(
  (v) => Object.keys(v).length <= 50,
  'Too many fields',
);

export const FieldInfoSchema = z.object({
  id: z.string(),
  label: z.string(),
  help: z.string(),
  secret: z.boolean(),
  required: z.boolean(),
  options: z.array(z.string()).optional(),
  default: z.string().optional(),
  issuedByRefresh: z.boolean().optional(),
  docs: z.object({ label: z.string(), url: z.string() }).optional(),
});

export const ProviderInfoSchema = z.object({
  id: AnyProviderIdSchema,
  name: z.string(),
  summary: z.string(),
  fields: z.array(FieldInfoSchema),
  environments: z.array(z.object({ id: z.string(), label: z.string(), baseUrl: z.string() })),
  defaultEnvironment: z.string().optional(),
  authentication: z.string(),
  rotation: z.enum(['always', 'optional', 'never']),
  expirySource: z.string(),
  revoke: z.object({ kind: z.enum(['rfc7009', 'local_only']), sentence: z.string() }),
  /** How TokenDesk can sign in to it: in the system browser, with a code on another device, with a password; none: paste the token. */
  signIn: z.array(z.enum(['browser', 'device', 'password'])),
  /** For password sign-in: what the vendor calls the user name, and whether the request is confirmed by the vendor's documentation. */
  passwordSignIn: z.object({ userLabel: z.string(), verified: z.boolean() }).optional(),
  /** Authorization schemes its API takes (the first is the default for a copied header). */
  authorizationSchemes: z.array(z.enum(['Bearer', 'Token'])).optional(),
  /** Present for a provider loaded from a provider file: the definition itself (it holds no secret). */
  definition: ProviderDefinitionSchema.optional(),
});
export type ProviderInfo = z.infer<typeof ProviderInfoSchema>;

export const SignInMethodSchema = z.enum(['browser', 'device', 'password']);
/** What the user must see to sign in: the URL to open, or the code to enter on another device. */
export const SignInInfoSchema = z.discriminatedUnion('method', [
  z.object({ sessionId: z.string(), accountId: z.string(), method: z.literal('browser'), url: z.string(), redirectUri: z.string(), expiresAt: z.number() }),
  z.object({
    sessionId: z.string(),
    accountId: z.string(),
    method: z.literal('device'),
    verificationUri: z.string(),
    verificationUriComplete: z.string().optional(),
    userCode: z.string(),
    expiresAt: z.number(),
  }),
  z.object({ sessionId: z.string(), accountId: z.string(), method: z.literal('password'), expiresAt: z.number() }),
]);
export type SignInInfo = z.infer<typeof SignInInfoSchema>;
export const SignInChangeSchema = z.object({
  sessionId: z.string(),
  accountId: z.string(),
  state: z.enum(['waiting', 'done', 'failed', 'cancelled']),
  message: z.string().optional(),
});
const SessionOnly = z.object({ sessionId: z.string().min(1).max(100) });

/** What the UI and CLI see of an account: the record without core-only details, plus live state. */
export const AccountViewSchema = AccountRecordSchema.omit({ endpoints: true }).extend({
  /** Includes in-memory states (refreshing, retrying, paused). */
  status: AccountStatusSchema,
  nextRefreshAt: z.number().optional(),
  /** New tokens are only in memory: the last save failed and is being retried. */
  notSaved: z.boolean(),
  hasAccessToken: z.boolean(),
  /** The vault holds a refresh token / an OpenID Connect ID token for it (absent: no). */
  hasRefreshToken: z.boolean().optional(),
  hasIdToken: z.boolean().optional(),
  retryAttempt: z.number().int().nonnegative(),
});
export type AccountView = z.infer<typeof AccountViewSchema>;

export const RefreshOutcomeSchema = z.object({ accountId: z.string(), ok: z.boolean(), event: RefreshEventSchema });

export const AddAccountInputSchema = z.object({
  providerId: AnyProviderIdSchema,
  /** From a successful accounts.test of the same values: adopt the tokens it obtained. */
  draftId: z.string().max(100).optional(),
  name: Name,
  environment: z.string().max(50, 'Environment must be at most 50 characters').optional(),
  baseUrl: z.string().max(2048, 'Base URL must be at most 2048 characters').optional(),
  /** Field values as typed (secret and non-secret); validated by the provider's schema. */
  values: FieldValues,
  refreshEveryMs: RefreshEveryMs.optional(),
  /** Lifetime of a supplied access token, when known. */
  accessTokenExpiresInSeconds: z
    .number()
    .int('Access token lifetime must be whole seconds')
    .positive('Access token lifetime must be more than 0 seconds')
    .max(10 * 365 * 86_400, 'Access token lifetime must be at most ten years')
    .optional(),
  /** Store it in the team vault (shared with the team) instead of this data dir. */
  team: z.boolean().optional(),
  /** Team accounts: the vendor does not rotate refresh tokens (members may then refresh it while the team store is offline). */
  nonRotating: z.boolean().optional(),
});
export type AddAccountInput = z.infer<typeof AddAccountInputSchema>;

export const UpdateAccountInputSchema = z.object({
  account: AccountRef,
  name: Name.optional(),
  environment: z.string().max(50, 'Environment must be at most 50 characters').optional(),
  /** Empty string clears the override. */
  baseUrl: z.string().max(2048, 'Base URL must be at most 2048 characters').optional(),
  values: FieldValues.optional(),
  refreshEveryMs: RefreshEveryMs.nullable().optional(),
});

export const TokenResultSchema = z.object({
  accessToken: z.string(),
  tokenType: z.string(),
  expiresAt: Ms.optional(),
  account: AccountViewSchema,
});

export const RevokeResultSchema = z.object({
  kind: z.enum(['remote', 'local_only']),
  httpStatus: z.number().optional(),
  message: z.string(),
  account: AccountViewSchema,
});

export const HistoryQuerySchema = z.object({
  account: AccountRef.optional(),
  /** `error`: every failure; an error class: the failures of that class. */
  outcome: z.enum(['ok', 'error', ...ERROR_CLASSES]).optional(),
  /** Only rows of these actions (all when absent). */
  actions: z.array(HistoryActionSchema).max(HISTORY_ACTIONS.length).optional(),
  limit: z.number().int().min(1).max(10_000).optional(),
});

/** A data-dir file found damaged by the owner (at start, or changed behind it while running): moved aside (kept, never overwritten) or repaired. */
export const StorageReportSchema = z.object({
  file: z.string(),
  /** Where the damaged file now is; null when nothing was moved (a torn last history line was cut). */
  movedTo: z.string().nullable(),
  reason: z.string(),
  /** What the user lost, in words. */
  lost: z.string(),
});
export type StorageReport = z.infer<typeof StorageReportSchema>;

export const OwnerStatusSchema = z.object({
  pid: z.number().int(),
  version: z.string(),
  dataDir: z.string(),
  startedAt: Ms,
  pausedAll: z.boolean(),
  accounts: z.number().int(),
  nextRefreshAt: z.number().optional(),
  /** A demo session (`--demo`): simulated providers in a separate data dir, nothing real. */
  demo: z.boolean(),
  /** Damaged files found at start or since (absent when none). */
  storageReports: z.array(StorageReportSchema).optional(),
});

const AccountOnly = z.object({ account: AccountRef });

export const COPY_FORMATS = ['token', 'header', 'curl'] as const;
/** The tokens of an account a human may see: its access token, refresh token and OpenID Connect ID token. */
export const TOKEN_KINDS = ['access', 'refresh', 'id'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];
export const CopyInputSchema = z.object({
  account: AccountRef,
  format: z.enum(COPY_FORMATS),
  /** Which token (default the access token); only the access token makes a header or curl line. */
  token: z.enum(TOKEN_KINDS).optional(),
  /** Authorization scheme for header/curl (TeamUp documents `Token`, its samples send `Bearer`). */
  scheme: z.enum(['Bearer', 'Token']).optional(),
  /** The URL for a curl line. */
  url: z.string().max(4096).optional(),
});

export { AppSettingsSchema, type AppSettings };

export const VaultStatusSchema = z.object({
  kind: z.string(),
  protection: z.enum(['strong', 'weak', 'unavailable']),
  explanation: z.string(),
});

/** The result of "test now": one refresh with the form's values, nothing stored. */
export const TestResultSchema = z.object({
  ok: z.boolean(),
  errorClass: ErrorClassSchema.optional(),
  httpStatus: z.number().optional(),
  durationMs: z.number(),
  message: z.string(),
  expiresAt: Ms.optional(),
  rotated: z.boolean().optional(),
  /** Hand this to accounts.add so the tokens the test obtained (a rotated refresh token!) are kept. */
  draftId: z.string().optional(),
});

/** What "Explore the demo" did: a demo dashboard to open (`serve`), or a demo app started beside this one. */
export const DemoStartResultSchema = z.discriminatedUnion('kind', [
  /** `tokendesk serve`: a second dashboard server beside this one, with its own secret in the URL. */
  z.object({ kind: z.literal('url'), url: z.string() }),
  /** The desktop app: a second instance with `--demo` opens its own window; this one keeps running. */
  z.object({ kind: z.literal('app') }),
]);

/** A problem of a provider file, at the JSON path of the value at fault. */
export const DefinitionProblemSchema = z.object({ path: z.string(), message: z.string() });

/** What a provider file will do, before it is saved: secrets masked, tokens of the sample shortened to their length. */
export const ProviderPreviewSchema = z.object({
  ok: z.boolean(),
  problems: z.array(DefinitionProblemSchema),
  provider: ProviderInfoSchema.optional(),
  /** The refresh request it will send, with every secret shown as «its label». */
  request: z.object({ method: z.string(), url: z.string(), headers: z.record(z.string(), z.string()), body: z.string().optional() }).optional(),
  /** What it reads from the definition's sample answer. */
  answer: z
    .object({
      accessToken: z.string(),
      refreshToken: z.string().optional(),
      rotated: z.boolean(),
      tokenType: z.string(),
      expiresAt: Ms.optional(),
      expirySource: z.string(),
      meta: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    })
    .optional(),
  /** Why the sample answer could not be read (the definition is still valid). */
  answerError: z.string().optional(),
  /** A provider file with this id is stored already: adding replaces it only with `replace`. */
  replaces: z.object({ revision: z.number().int(), accounts: z.number().int() }).optional(),
});

const ProviderRef = z.object({ id: z.string().trim().min(1, 'Provider id is empty').max(100) });
/** A provider file's JSON, parsed: checked by the owner (src/shared/provider-definition-check.ts). */
const DefinitionInput = z.unknown();
/** The team store's connection (docs/ARCHITECTURE.md "Team vault"). */
export const TeamConnectionSchema = z.object({
  state: z.enum(['online', 'offline', 'connecting']),
  since: Ms,
  /** Why it is offline (no secret: the database URL's password is never in it). */
  message: z.string().optional(),
});

export const TeamStatusSchema = z.object({
  joined: z.boolean(),
  teamId: z.string().optional(),
  /** This machine's member name. */
  member: z.string().optional(),
  /** host:port/database, without user or password. */
  database: z.string().optional(),
  connection: TeamConnectionSchema.optional(),
  accounts: z.number().int(),
  members: z.array(
    z.object({
      name: z.string(),
      hostname: z.string(),
      joinedAt: Ms,
      lastSeen: Ms,
      online: z.boolean(),
      left: z.boolean(),
      /** This data dir's own membership. */
      you: z.boolean(),
    }),
  ),
  /** Refresh locks held right now: which member is refreshing which account. */
  locks: z.array(z.object({ account: z.string(), member: z.string() })),
});
export type TeamStatus = z.infer<typeof TeamStatusSchema>;

const Database = z.string().min(1).max(4096);
const TeamPassphrase = z.string().min(8, 'The team passphrase needs at least 8 characters').max(1024);
const MemberName = z.string().trim().min(1).max(100);

/** Every call: input and output schema. */
export const calls = {
  'owner.status': { input: z.object({}), output: OwnerStatusSchema },
  'providers.list': { input: z.object({}), output: z.array(ProviderInfoSchema) },
  /** Checks a provider file and shows what it will send; stores nothing. */
  'providers.preview': { input: z.object({ definition: DefinitionInput }), output: ProviderPreviewSchema },
  /** Stores a provider file in the data dir (replacing one with its id only with `replace`) and makes it usable at once. */
  'providers.add': {
    input: z.object({ definition: DefinitionInput, replace: z.boolean().optional() }),
    output: z.object({ provider: ProviderInfoSchema, revision: z.number().int(), replaced: z.boolean() }),
  },
  'providers.show': {
    input: ProviderRef,
    output: z.object({
      provider: ProviderInfoSchema,
      builtIn: z.boolean(),
      revision: z.number().int().optional(),
      addedAt: Ms.optional(),
      updatedAt: Ms.optional(),
      accounts: z.number().int(),
    }),
  },
  /** Removes a provider file; refused (conflict) while an account uses it. */
  'providers.remove': { input: ProviderRef, output: z.object({ id: z.string(), removed: z.literal(true) }) },
  'accounts.list': { input: z.object({}), output: z.array(AccountViewSchema) },
  'accounts.get': { input: AccountOnly, output: AccountViewSchema },
  'accounts.add': { input: AddAccountInputSchema, output: AccountViewSchema },
  'accounts.update': { input: UpdateAccountInputSchema, output: AccountViewSchema },
  /**
   * Removes an account. With `undoSeconds` the removal can be taken back with accounts.restore
   * for that long: the account leaves the engine at once, its record and secrets stay stored
   * until the window closes (docs/ARCHITECTURE.md "Remove and undo").
   */
  'accounts.remove': {
    input: AccountOnly.extend({ undoSeconds: z.number().int().min(1).max(120).optional() }),
    output: z.object({ id: z.string(), removed: z.literal(true), undoUntil: Ms.optional() }),
  },
  /** Takes back a removal made with `undoSeconds` while its window is open. */
  'accounts.restore': { input: z.object({ id: z.string().min(1).max(100) }), output: AccountViewSchema },
  /** A refresh token or ID token, for the inspector's Reveal (the access token comes from accounts.token). */
  'accounts.reveal': { input: z.object({ account: AccountRef, token: z.enum(['refresh', 'id']) }), output: z.object({ token: z.string() }) },
  'accounts.refresh': {
    input: z.object({ account: AccountRef, trigger: z.enum(['manual', 'cli']).optional() }),
    output: z.object({ outcome: RefreshOutcomeSchema, account: AccountViewSchema }),
  },
  'accounts.token': {
    input: z.object({
      account: AccountRef,
      minValidSeconds: z.number().int().min(0).max(10 * 365 * 86_400).optional(),
      trigger: z.enum(['manual', 'cli']).optional(),
      /** Which process asked (`exec: curl (pid 1234)`): written into the history row of a refresh it causes. */
      requester: z
        .string()
        .max(200)
        .refine((v) => !CONTROL_CHARS.test(v), 'Requester contains control characters')
        .optional(),
    }),
    output: TokenResultSchema,
  },
  'accounts.revoke': { input: AccountOnly, output: RevokeResultSchema },
  'accounts.setPaused': {
    input: z.union([z.object({ account: AccountRef, paused: z.boolean() }), z.object({ all: z.literal(true), paused: z.boolean() })]),
    output: z.object({ pausedAll: z.boolean(), accounts: z.array(AccountViewSchema) }),
  },
  'history.list': { input: HistoryQuerySchema, output: z.array(RefreshEventSchema) },
  /** One refresh with unsaved form values; a success keeps its tokens as a draft for accounts.add. */
  'accounts.test': { input: AddAccountInputSchema, output: TestResultSchema },
  /**
   * Puts a token, `Authorization:` header or curl line on the clipboard. In the desktop app
   * main writes the clipboard (and clears it later): `text` is absent. Elsewhere the text comes
   * back for the caller's own clipboard.
   */
  'accounts.copy': { input: CopyInputSchema, output: z.object({ copied: z.boolean(), text: z.string().optional(), clearAfterSeconds: z.number().optional() }) },
  'settings.get': { input: z.object({}), output: AppSettingsSchema },
  'settings.set': { input: AppSettingsSchema.partial(), output: AppSettingsSchema },
  'vault.status': { input: z.object({}), output: VaultStatusSchema },
  /**
   * Re-wraps the vault's data key: with a passphrase, or with the system's key store (the OS
   * keyring headless, Electron safeStorage in the desktop app). The secrets are not re-encrypted.
   */
  'vault.rewrap': {
    input: z.union([
      z.object({ to: z.literal('passphrase'), passphrase: z.string().min(8, 'The passphrase needs at least 8 characters').max(1024) }),
      z.object({ to: z.literal('system') }),
    ]),
    output: VaultStatusSchema,
  },
  /**
   * "Explore the demo": starts a demo session (src/main/core/demo.ts) beside this one — its own
   * simulators, demo data dir and owner — in whatever way the host can show it.
   */
  'demo.start': { input: z.object({}), output: DemoStartResultSchema },
  /**
   * Starts a sign-in for the account: `browser` returns the URL to open in the system browser
   * (the desktop app opens it; the dashboard in a browser opens a new tab; the CLI prints it),
   * `device` the code to enter on another device. The outcome comes as `signin-changed`.
   */
  'signin.start': {
    input: z.object({
      account: AccountRef,
      method: SignInMethodSchema,
      timeoutSeconds: z.number().int().min(10).max(1800).optional(),
      /** Only for `password`: used for the one sign-in request, never stored. */
      credentials: z.object({ username: z.string().trim().min(1).max(320), password: z.string().min(1).max(1024) }).optional(),
    }),
    output: SignInInfoSchema,
  },
  /** Waits for a sign-in to end: the signed-in account, or the reason it did not (declined, timed out, refused). */
  'signin.wait': { input: SessionOnly, output: z.object({ account: AccountViewSchema }) },
  'signin.cancel': { input: SessionOnly, output: z.object({ cancelled: z.boolean() }) },
  /** Team vault (docs/ARCHITECTURE.md "Team vault"): members, their last sign of life, who holds which refresh lock. */
  'team.status': { input: z.object({}), output: TeamStatusSchema },
  /** Creates a team in an empty PostgreSQL database; this data dir becomes its first member. */
  'team.create': { input: z.object({ database: Database, passphrase: TeamPassphrase.optional(), member: MemberName.optional() }), output: TeamStatusSchema },
  /** Joins a team with a one-time invite code or the team passphrase. */
  'team.join': {
    input: z.object({ database: Database, invite: z.string().max(200).optional(), passphrase: TeamPassphrase.optional(), member: MemberName.optional() }),
    output: TeamStatusSchema,
  },
  /** A one-time invite code (valid 24 h) that gives one new member the team key. */
  'team.invite': { input: z.object({}), output: z.object({ code: z.string(), expiresAt: Ms }) },
  /** Moves a local account into the team vault. */
  'team.share': { input: z.object({ account: AccountRef, nonRotating: z.boolean().optional() }), output: AccountViewSchema },
  /** Leaves the team: its accounts disappear from this data dir; local accounts stay. */
  'team.leave': { input: z.object({}), output: z.object({ left: z.literal(true) }) },
  /** Removes another member (by name, or NAME@HOST where two share a name): marked left, its connections closed. */
  'team.removeMember': { input: z.object({ member: z.string().trim().min(1).max(400) }), output: TeamStatusSchema },
} as const;

export type CallName = keyof typeof calls;
export type CallInput<N extends CallName> = z.input<(typeof calls)[N]['input']>;
export type CallOutput<N extends CallName> = z.infer<(typeof calls)[N]['output']>;

/** Every pushed event and its payload. */
export const events = {
  'account-changed': AccountViewSchema,
  'account-removed': z.object({ id: z.string() }),
  'refresh-started': z.object({ accountId: z.string(), trigger: RefreshTriggerSchema, at: Ms }),
  'refresh-finished': RefreshOutcomeSchema,
  /** A history row was recorded: any action on an account (docs/ARCHITECTURE.md "Domain", RefreshEvent). */
  'history-appended': RefreshEventSchema,
  'signin-changed': SignInChangeSchema,
  /** A provider file was added, replaced or removed: providers.list has changed. */
  'providers-changed': z.object({ id: z.string(), change: z.enum(['added', 'replaced', 'removed']) }),
  /** The team store went offline or came back. */
  'team-changed': TeamConnectionSchema,
} as const;

export type EventName = keyof typeof events;
export type EventPayload<N extends EventName> = z.infer<(typeof events)[N]>;

export { ERROR_CODES, type ErrorCode } from './error-codes.js';
export const WireErrorSchema = z.object({ code: z.enum(ERROR_CODES), message: z.string() });
export type WireError = z.infer<typeof WireErrorSchema>;
