// The checks of a provider definition that its JSON Schema cannot say (README "Provider
// files"): every problem comes back with the JSON path of the value at fault, e.g.
// `/refresh/answer/accessToken: pointer matches nothing in the sample`. Dangerous definitions
// are refused here, before anything is stored or sent.
import { PROVIDER_IDS } from './domain.js';
import { CONTROL_CHARS, endpointUrlProblem } from './provider-fields.js';
import { ProviderDefinitionSchema, type ProviderDefinition, type RequestDefinition, type ValueSpec } from './provider-definition.js';

export interface DefinitionProblem {
  /** JSON pointer of the value at fault ("" for the whole document). */
  path: string;
  message: string;
}

export type DefinitionCheck = { ok: true; definition: ProviderDefinition } | { ok: false; problems: DefinitionProblem[] };

/** `{{name}}` placeholders of a template; undefined when a brace is unbalanced. */
export function placeholders(template: string): string[] | undefined {
  const names: string[] = [];
  const rest = template.replace(/\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}/g, (_m, name: string) => {
    names.push(name);
    return '';
  });
  return rest.includes('{{') || rest.includes('}}') ? undefined : names;
}

/** RFC 6901: the value at `pointer` in `doc`, or `found: false`. */
export function resolvePointer(doc: unknown, pointer: string): { found: true; value: unknown } | { found: false } {
  if (pointer === '') return { found: true, value: doc };
  let current: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current) && /^(0|[1-9]\d*)$/.test(key) && Number(key) < current.length) current = current[Number(key)];
    else if (typeof current === 'object' && current !== null && !Array.isArray(current) && Object.prototype.hasOwnProperty.call(current, key)) {
      current = (current as Record<string, unknown>)[key];
    } else return { found: false };
  }
  return { found: true, value: current };
}

/** The first of `pointers` that finds something. */
export function firstMatch(doc: unknown, pointers: string | readonly string[] | undefined): { found: true; value: unknown } | { found: false } {
  for (const p of pointers === undefined ? [] : typeof pointers === 'string' ? [pointers] : pointers) {
    const hit = resolvePointer(doc, p);
    if (hit.found && hit.value !== undefined) return hit;
  }
  return { found: false };
}

export function templateOf(spec: ValueSpec): string {
  return typeof spec === 'string' ? spec : spec.value;
}

/** Names a sign-in request may use besides the fields, and which of them are secret. */
const PASSWORD_VARS = ['username', 'password'];
const EXCHANGE_VARS = ['code', 'redirect_uri', 'code_verifier'];
const POLL_VARS = ['device_code'];
/** The endpoints the oauth2-discovery hook resolves (from fields or the issuer's metadata). */
const DISCOVERED_VARS = ['tokenUrl', 'revocationUrl', 'deviceAuthorizationUrl'];
const SECRET_VARS = ['password', 'code', 'code_verifier', 'device_code'];

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;
/** Headers the HTTP layer owns: a definition setting them could smuggle a second request. */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'upgrade', 'te', 'trailer', 'expect', 'keep-alive', 'proxy-authorization']);
/** Nested quantifiers ((a+)+, (a*)*…) backtrack exponentially on a hostile answer. */
const NESTED_QUANTIFIER = /\([^)]*[+*}][^)]*\)\s*[+*{]/;

/** One key of a JSON pointer: ~ and / escaped (RFC 6901), control characters as \uXXXX (paths are printed). */
function pathKey(key: PropertyKey): string {
  return String(key)
    .slice(0, 100)
    .replace(/~/g, '~0')
    .replace(/\//g, '~1')
    .replace(new RegExp(CONTROL_CHARS.source, 'g'), (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function jsonPath(path: readonly PropertyKey[]): string {
  return path.map((p) => `/${pathKey(p)}`).join('');
}

/** Parses, validates and checks a definition (already JSON-parsed). */
export function checkProviderDefinition(input: unknown, options: { builtIn?: boolean } = {}): DefinitionCheck {
  const hostile = hostileKeys(input, '', 0);
  if (hostile.length) return { ok: false, problems: hostile };
  const parsed = ProviderDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.slice(0, 20).map((i) => ({ path: jsonPath(i.path), message: i.message })) };
  }
  const problems = new DefinitionChecker(parsed.data, options.builtIn === true).run();
  return problems.length ? { ok: false, problems } : { ok: true, definition: parsed.data };
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Keys that could reach Object.prototype, and nesting deep enough to be an attack. */
function hostileKeys(value: unknown, path: string, depth: number): DefinitionProblem[] {
  if (depth > 32) return [{ path, message: 'is nested more than 32 levels deep' }];
  if (typeof value !== 'object' || value === null) return [];
  const out: DefinitionProblem[] = [];
  for (const [key, child] of Object.entries(value)) {
    const at = `${path}/${pathKey(key)}`;
    if (FORBIDDEN_KEYS.has(key) || FORBIDDEN_KEYS.has(key.split('/').pop() ?? '') || /\/(__proto__|constructor|prototype)(\/|$)/.test(key)) {
      out.push({ path: at, message: `the key "${key.slice(0, 40)}" is not allowed` });
    } else out.push(...hostileKeys(child, at, depth + 1));
    if (out.length >= 20) break;
  }
  return out;
}

/** "PATH: message; PATH: message", for errors (one line: terminals and logs show it as it is). */
export function describeProblems(problems: readonly DefinitionProblem[]): string {
  return problems.map((p) => `${p.path || '/'}: ${p.message}`).join('; ');
}

class DefinitionChecker {
  readonly problems: DefinitionProblem[] = [];
  readonly fields: Map<string, ProviderDefinition['fields'][number]>;

  constructor(
    readonly def: ProviderDefinition,
    /** The shipped definitions of the built-ins (providers/definitions/) keep their ids. */
    readonly builtIn = false,
  ) {
    this.fields = new Map(def.fields.map((f) => [f.id, f]));
  }

  add(path: string, message: string): void {
    if (this.problems.length < 50) this.problems.push({ path, message });
  }

  run(): DefinitionProblem[] {
    const { def } = this;
    if ((PROVIDER_IDS as readonly string[]).includes(def.id) !== this.builtIn) {
      this.add('/id', this.builtIn ? `"${def.id}" is no built-in provider` : `"${def.id}" is a built-in provider's id; choose another`);
    }
    this.checkFields();
    this.checkEnvironments();
    const refreshOrigin = this.checkRequest('/refresh', def.refresh, []);
    def.refresh.variants?.forEach((variant, i) => {
      const at = `/refresh/variants/${i}`;
      if (!this.fields.has(variant.when.field)) this.add(`${at}/when/field`, 'names no field of this definition');
      this.checkSameOrigin(at, variant, this.checkRequest(at, variant, []), refreshOrigin);
    });
    this.checkAnswer();
    this.checkErrors();
    if (def.signIn?.password) {
      const origin = this.checkRequest('/signIn/password', def.signIn.password, PASSWORD_VARS);
      this.checkSameOrigin('/signIn/password', def.signIn.password, origin, refreshOrigin);
      for (const [key, pointer] of Object.entries(def.signIn.password.settings ?? {})) this.checkSetting(`/signIn/password/settings/${key}`, key, pointer);
    }
    const code = def.signIn?.authorizationCode;
    if (code) {
      const at = '/signIn/authorizationCode';
      // The authorization URL is opened in the browser: no secret may be in it.
      const authOrigin = this.checkUrl(`${at}/authorizeUrl`, code.authorizeUrl, []);
      for (const [name, value] of Object.entries(code.params ?? {})) {
        const names = this.checkTemplate(`${at}/params/${pathKey(name)}`, templateOf(value), []);
        if (names.some((n) => this.isSecret(n))) this.add(`${at}/params/${pathKey(name)}`, 'a secret may not go into the authorization URL');
      }
      if (authOrigin === undefined && refreshOrigin !== undefined) this.add(`${at}/authorizeUrl`, 'is not a usable URL');
      const origin = this.checkRequest(`${at}/exchange`, code.exchange, EXCHANGE_VARS);
      this.checkSameOrigin(`${at}/exchange`, code.exchange, origin, refreshOrigin);
    }
    const device = def.signIn?.device;
    if (device) {
      const at = '/signIn/device';
      this.checkSameOrigin(`${at}/authorize`, device.authorize, this.checkRequest(`${at}/authorize`, device.authorize, []), refreshOrigin);
      this.checkSameOrigin(`${at}/poll`, device.poll, this.checkRequest(`${at}/poll`, device.poll, POLL_VARS), refreshOrigin);
    }
    if (def.revoke) {
      const origin = this.checkRequest('/revoke', def.revoke, []);
      this.checkSameOrigin('/revoke', def.revoke, origin, refreshOrigin);
    }
    if (def.rotation === 'always' && def.refresh.answer.refreshToken === undefined) {
      this.add('/refresh/answer/refreshToken', 'rotation is "always" but the answer mapping has no refresh token pointer');
    }
    return this.problems;
  }

  checkFields(): void {
    const seen = new Set<string>();
    this.def.fields.forEach((field, i) => {
      const at = `/fields/${i}`;
      if (seen.has(field.id)) this.add(`${at}/id`, `the field id "${field.id}" is used twice`);
      seen.add(field.id);
      if ((field.id === 'refresh_token' || field.id === 'access_token' || field.id === 'password') && !field.secret) {
        this.add(`${at}/secret`, `the field "${field.id}" must be secret`);
      }
      if (field.options && field.default !== undefined && !field.options.includes(field.default)) this.add(`${at}/default`, 'the default is not one of the options');
      for (const key of ['label', 'help', 'default'] as const) {
        const text = field[key];
        if (text !== undefined && CONTROL_CHARS.test(text)) this.add(`${at}/${key}`, 'contains control characters');
      }
      const pattern = field.validation?.pattern;
      if (pattern !== undefined) this.checkRegex(`${at}/validation/pattern`, pattern);
      if (field.secret && field.validation?.url) this.add(`${at}/validation/url`, 'a secret field cannot be a URL (URLs are shown and logged)');
    });
  }

  checkEnvironments(): void {
    const envs = this.def.environments ?? [];
    envs.forEach((env, i) => {
      const problem = endpointUrlProblem(env.baseUrl);
      if (problem) this.add(`/environments/${i}/baseUrl`, `the base URL ${problem}`);
      if (envs.findIndex((e) => e.id === env.id) !== i) this.add(`/environments/${i}/id`, `the environment id "${env.id}" is used twice`);
    });
    if (this.def.defaultEnvironment !== undefined && !envs.some((e) => e.id === this.def.defaultEnvironment)) {
      this.add('/defaultEnvironment', 'names no environment of this definition');
    }
  }

  checkRegex(path: string, source: string): void {
    if (NESTED_QUANTIFIER.test(source)) return this.add(path, 'nested quantifiers can take forever on a hostile answer; simplify the expression');
    try {
      new RegExp(source, 'i');
    } catch {
      this.add(path, 'is not a valid regular expression');
    }
  }

  /** Names a template may use in this request. */
  known(name: string, extra: readonly string[]): boolean {
    const discovered = this.def.hooks?.includes('oauth2-discovery') && DISCOVERED_VARS.includes(name);
    return this.fields.has(name) || name === 'baseUrl' || discovered === true || extra.includes(name);
  }

  isSecret(name: string): boolean {
    return SECRET_VARS.includes(name) || this.fields.get(name)?.secret === true;
  }

  checkTemplate(path: string, template: string, extra: readonly string[]): string[] {
    if (CONTROL_CHARS.test(template)) {
      this.add(path, /[\r\n]/.test(template) ? 'contains CR/LF (a header or request could be split)' : 'contains control characters');
      return [];
    }
    const names = placeholders(template);
    if (!names) {
      this.add(path, 'has an unbalanced {{ or }}');
      return [];
    }
    for (const name of names) if (!this.known(name, extra)) this.add(path, `{{${name}}} names no field of this definition`);
    return names;
  }

  /** Checks one request; returns its origin key ("baseUrl", "field:token_url" or an https origin). */
  checkRequest(at: string, req: RequestDefinition, extra: readonly string[]): string | undefined {
    const origin = this.checkUrl(`${at}/url`, req.url, extra);
    for (const [name, value] of Object.entries(req.headers ?? {})) {
      const path = `${at}/headers/${pathKey(name)}`;
      if (!HEADER_NAME.test(name)) this.add(path, /[\r\n]/.test(name) ? 'the header name contains CR/LF' : 'is not a valid header name');
      else if (RESERVED_HEADERS.has(name.toLowerCase())) this.add(path, `the ${name.toLowerCase()} header is set by TokenDesk, not by a definition`);
      this.checkTemplate(path, templateOf(value), extra);
      if (typeof value !== 'string' && value.default !== undefined) this.checkTemplate(`${path}/default`, value.default, extra);
    }
    for (const [name, value] of Object.entries(req.query ?? {})) {
      const names = this.checkTemplate(`${at}/query/${pathKey(name)}`, templateOf(value), extra);
      if (names.some((n) => this.isSecret(n))) this.add(`${at}/query/${pathKey(name)}`, 'a secret may not go into the URL (URLs end up in logs and history)');
    }
    if (req.credential?.kind === 'basic') {
      this.checkTemplate(`${at}/credential/username`, req.credential.username, extra);
      this.checkTemplate(`${at}/credential/password`, req.credential.password, extra);
    } else if (req.credential?.kind === 'bearer') {
      this.checkTemplate(`${at}/credential/value`, req.credential.value, extra);
    }
    const body = req.body;
    if (body && body.encoding === 'none' && body.fields && Object.keys(body.fields).length) this.add(`${at}/body/fields`, 'a body with encoding "none" has no fields');
    if (body && body.encoding !== 'none' && req.method === 'GET') this.add(`${at}/body`, 'a GET request has no body');
    for (const [name, value] of Object.entries(body?.fields ?? {})) {
      this.checkTemplate(`${at}/body/fields/${pathKey(name)}`, templateOf(value), extra);
      if (typeof value !== 'string' && value.as !== undefined && value.as !== 'string' && body?.encoding !== 'json') {
        this.add(`${at}/body/fields/${pathKey(name)}/as`, 'lists and numbers exist only in JSON bodies');
      }
    }
    return origin;
  }

  checkUrl(path: string, url: string, extra: readonly string[]): string | undefined {
    const names = this.checkTemplate(path, url, extra);
    if (names.some((n) => this.isSecret(n))) {
      this.add(path, 'a secret may not go into the URL (URLs end up in logs and history)');
      return undefined;
    }
    const lead = /^\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}/.exec(url);
    if (lead) {
      const name = lead[1]!;
      const rest = url.slice(lead[0].length);
      if (rest !== '' && !/^[/?]/.test(rest)) this.add(path, `the URL must continue with / or ? after {{${name}}}`);
      if (name === 'baseUrl') {
        if (!this.def.environments?.length) this.add(path, '{{baseUrl}} needs at least one environment');
        return 'baseUrl';
      }
      // Endpoints found by discovery are checked (https, or http on loopback) when they are found.
      if (this.known(name, []) && DISCOVERED_VARS.includes(name)) return 'endpoints';
      const field = this.fields.get(name);
      if (!field?.validation?.url) this.add(path, `the URL starts with {{${name}}}, which is not a field validated as a URL ("validation": {"url": true})`);
      return `field:${name}`;
    }
    const firstPlaceholder = url.indexOf('{{');
    const literal = firstPlaceholder === -1 ? url : url.slice(0, firstPlaceholder);
    let parsed: URL;
    try {
      parsed = new URL(literal);
    } catch {
      this.add(path, 'must start with {{baseUrl}}, a URL field, or an absolute https:// URL');
      return undefined;
    }
    // The origin must be fixed before the first placeholder: a value may not choose where secrets go.
    if (firstPlaceholder !== -1 && !/^https?:\/\/[^/?#]+[/?]/.test(literal)) this.add(path, 'a placeholder may not stand in the host: write the origin out');
    const problem = endpointUrlProblem(url.replace(/\{\{[^}]*\}\}/g, 'x'));
    if (problem) this.add(path, `the URL ${problem}`);
    return parsed.origin;
  }

  checkSameOrigin(at: string, req: RequestDefinition, origin: string | undefined, refreshOrigin: string | undefined): void {
    if (origin === undefined || refreshOrigin === undefined || origin === refreshOrigin) return;
    const secret = secretsIn(req).find((n) => this.isSecret(n));
    if (secret) this.add(`${at}/url`, `sends the secret {{${secret}}} to another origin than the token URL`);
  }

  /** Checks pointer syntax; with a sample, a pointer that must match (`required`) and finds nothing is a problem, and a found value must have the right type. */
  checkPointer(path: string, pointers: string | readonly string[], sample?: { doc: unknown; need?: 'string' | 'number' | 'any'; required?: boolean }): void {
    const list = typeof pointers === 'string' ? [pointers] : pointers;
    list.forEach((p, i) => {
      const where = typeof pointers === 'string' ? path : `${path}/${i}`;
      if (p.startsWith('#') || p.includes('{{') || /^(request|\$request|req):/i.test(p) || /^\/?\$?request(\/|$)/i.test(p)) {
        this.add(where, 'a pointer reads the answer only; this one points into the request');
      } else if (p !== '' && !p.startsWith('/')) this.add(where, 'is not a JSON pointer (it starts with /)');
      else if (/~[^01]/.test(p) || p.endsWith('~')) this.add(where, 'has a ~ that is not ~0 or ~1');
    });
    if (sample && sample.doc !== undefined) {
      const hit = firstMatch(sample.doc, list);
      if (!hit.found) {
        if (sample.required) this.add(path, 'pointer matches nothing in the sample');
      }
      else if (sample.need === 'string' && typeof hit.value !== 'string') this.add(path, `pointer finds a ${kindOf(hit.value)} in the sample, not a string`);
    }
  }

  checkAnswer(): void {
    const a = this.def.refresh.answer;
    const at = '/refresh/answer';
    const doc = a.sample;
    this.checkPointer(`${at}/accessToken`, a.accessToken, { doc, need: 'string', required: true });
    if (a.refreshToken !== undefined) this.checkPointer(`${at}/refreshToken`, a.refreshToken, { doc, need: 'string', required: this.def.rotation === 'always' });
    if (typeof a.tokenType === 'string' || Array.isArray(a.tokenType)) this.checkPointer(`${at}/tokenType`, a.tokenType, { doc, need: 'string', required: a.tokenTypeRequired });
    if (a.scope !== undefined) this.checkPointer(`${at}/scope`, a.scope, { doc });
    for (const [key, expiry] of [['expiry', a.expiry], ['refreshTokenExpiry', a.refreshTokenExpiry]] as const) {
      if (!expiry) continue;
      const needsPointer = !['jwt_exp', 'fixed', 'none'].includes(expiry.kind);
      if (needsPointer && expiry.pointer === undefined) this.add(`${at}/${key}/pointer`, `an expiry of kind ${expiry.kind} needs a pointer`);
      if (expiry.kind === 'fixed' && expiry.seconds === undefined) this.add(`${at}/${key}/seconds`, 'a fixed expiry needs seconds');
      if (expiry.pointer !== undefined) this.checkPointer(`${at}/${key}/pointer`, expiry.pointer, { doc, required: expiry.required });
    }
    const tokenPointers = new Set([a.accessToken, a.refreshToken ?? []].flat());
    for (const [key, keep] of Object.entries(a.keep ?? {})) {
      if ('field' in keep) {
        const field = this.fields.get(keep.field);
        if (!field) this.add(`${at}/keep/${key}/field`, 'names no field of this definition');
        else if (field.secret) this.add(`${at}/keep/${key}/field`, `"${keep.field}" is a secret field: it may not be kept outside the vault`);
        continue;
      }
      this.checkPointer(`${at}/keep/${key}`, keep.pointer, { doc });
      if ([keep.pointer].flat().some((p) => tokenPointers.has(p))) this.add(`${at}/keep/${key}`, 'would keep a token outside the vault');
    }
    for (const [key, pointer] of Object.entries(a.settings ?? {})) this.checkSetting(`${at}/settings/${key}`, key, pointer, doc);
  }

  checkSetting(path: string, key: string, pointer: string | readonly string[], doc?: unknown): void {
    const field = this.fields.get(key);
    if (!field) this.add(path, `names no field of this definition`);
    else if (field.secret) this.add(path, `"${key}" is a secret field: answers may only fill non-secret settings`);
    this.checkPointer(path, pointer, { doc });
  }

  checkErrors(): void {
    const e = this.def.refresh.errors;
    const at = '/refresh/errors';
    if (e.message !== undefined) this.checkPointer(`${at}/message`, e.message);
    if (e.code !== undefined) this.checkPointer(`${at}/code`, e.code);
    e.rules.forEach((rule, i) => {
      (rule.match ?? []).forEach((cond, j) => {
        this.checkPointer(`${at}/rules/${i}/match/${j}/pointer`, cond.pointer);
        for (const source of [cond.matches ?? []].flat()) this.checkRegex(`${at}/rules/${i}/match/${j}/matches`, source);
      });
      if (rule.message !== undefined && (rule.message.includes('{{') || CONTROL_CHARS.test(rule.message))) {
        this.add(`${at}/rules/${i}/message`, 'a message is plain text: no placeholders (they could copy a secret into history)');
      }
      if (rule.status === undefined && !rule.match?.length) this.add(`${at}/rules/${i}`, 'a rule needs a status or a match');
    });
  }
}

function kindOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'list' : typeof value;
}

/** Every placeholder a request sends, wherever it goes. */
export function secretsIn(req: RequestDefinition): string[] {
  const templates = [
    req.url,
    ...Object.values(req.headers ?? {}).map(templateOf),
    ...Object.values(req.query ?? {}).map(templateOf),
    ...Object.values(req.body?.fields ?? {}).map(templateOf),
    ...(req.credential?.kind === 'basic' ? [req.credential.username, req.credential.password] : []),
    ...(req.credential?.kind === 'bearer' ? [req.credential.value] : []),
  ];
  return templates.flatMap((t) => placeholders(t) ?? []);
}
