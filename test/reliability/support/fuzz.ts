// Seeded generators of malformed contract messages, and raw clients for the owner's two
// wire transports (the NDJSON local socket and the `serve` WebSocket). Used by
// test/reliability/fuzz-contract.test.ts. Everything is driven by one seed, so a failure
// reproduces with RELIABILITY_SEED=<the printed seed>.
import { connect, type Socket } from 'node:net';
import { z } from 'zod';
import WebSocket from 'ws';
import { calls, type CallName } from '../../../src/shared/contract.js';
import { validateInput } from '../../../src/main/core/owner/router.js';
import { quoteKey } from '../../../src/shared/provider-fields.js';

/** The cap both transports document (socket-server MAX_MESSAGE_BYTES, web-server MAX_WS_MESSAGE_BYTES). */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

// ── seeded PRNG ───────────────────────────────────────────────────────

/** cyrb128: four 32-bit words from a string, to seed sfc32. */
function hashSeed(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0];
}

/** sfc32: small, fast and good enough for fuzzing; Math.random cannot be seeded. */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: string) {
    [this.a, this.b, this.c, this.d] = hashSeed(seed);
    for (let i = 0; i < 12; i++) this.next();
  }

  next(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max]. */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

// ── a JSON tree that can say what JSON.stringify cannot ──────────────

/** Literal JSON text spliced in as it is: `1e400`, `-0`, ten thousand nested brackets. */
export class Raw {
  constructor(readonly text: string) {}
}

/** A JSON object as ordered entries: own `__proto__` keys and duplicate keys survive. */
export class Obj {
  constructor(readonly entries: [string, Json][] = []) {}
}

export type Json = null | boolean | number | string | Raw | Obj | Json[];

export function toText(value: Json): string {
  if (value instanceof Raw) return value.text;
  if (value instanceof Obj) return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${toText(v)}`).join(',')}}`;
  if (Array.isArray(value)) return `[${value.map(toText).join(',')}]`;
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('Use Raw for non-finite numbers');
  return JSON.stringify(value);
}

function fromPlain(value: unknown): Json {
  if (value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(fromPlain);
  if (typeof value === 'object') return new Obj(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, fromPlain(v)]));
  return null;
}

// ── valid samples, derived from each call's input schema ─────────────

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

function sampleFromSchema(schema: JsonSchema, rng: Prng, depth = 0): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return rng.pick(schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return sampleFromSchema(rng.pick(union), rng, depth + 1);
  const type = Array.isArray(schema.type) ? rng.pick(schema.type.filter((t) => t !== 'null')) : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, sub] of Object.entries(schema.properties ?? {})) {
        if (schema.required?.includes(key) || rng.chance(0.6)) out[key] = sampleFromSchema(sub, rng, depth + 1);
      }
      if (typeof schema.additionalProperties === 'object' && depth < 4) {
        for (let i = rng.int(3); i > 0; i--) out[`k${rng.int(1000)}`] = sampleFromSchema(schema.additionalProperties, rng, depth + 1);
      }
      return out;
    }
    case 'string': {
      const min = Math.max(schema.minLength ?? 1, 1);
      const length = Math.min(Math.max(min, rng.range(3, 12)), schema.maxLength ?? 12);
      let s = '';
      for (let i = 0; i < length; i++) s += rng.pick([...LETTERS]);
      return s;
    }
    case 'integer':
    case 'number': {
      const lo = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + (type === 'integer' ? 1 : 0.01) : 0);
      const hi = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : lo + 1000);
      const v = lo + rng.next() * (hi - lo);
      return type === 'integer' ? Math.floor(v) : v;
    }
    case 'boolean':
      return rng.chance(0.5);
    case 'array':
      return schema.items ? [sampleFromSchema(schema.items, rng, depth + 1)] : [];
    case 'null':
      return null;
    default:
      return 'x';
  }
}

const jsonSchemas = new Map<CallName, JsonSchema>();

/** A payload the call's schema accepts (refinements are checked by trying again). */
export function validSample(name: CallName, rng: Prng): Json {
  let schema = jsonSchemas.get(name);
  if (!schema) {
    schema = z.toJSONSchema(calls[name].input as z.ZodType, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    jsonSchemas.set(name, schema);
  }
  for (let attempt = 0; attempt < 20; attempt++) {
    const sample = sampleFromSchema(schema, rng);
    if (calls[name].input.safeParse(sample).success) return fromPlain(sample);
  }
  throw new Error(`Could not derive a valid sample for ${name} from its input schema`);
}

// ── hostile values ────────────────────────────────────────────────────

/** The classes of hostility in the probe being made (for the report); generation is synchronous. */
let tags: Set<string> | undefined;
function tag(name: string): void {
  tags?.add(name);
}

/** Put into string values (never keys): a reply that contains it echoed a value it should not have. */
export const CANARY = 'sk_fuzz_canary_Zq81mKp';

const C0 = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i));
const C1 = Array.from({ length: 32 }, (_, i) => String.fromCharCode(0x80 + i));
const ODD_CHARS = [
  ...C0, '\u007f', ...C1,
  '\u202e', '\u202d', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c', // bidi
  '\u200b', '\ufeff', '\u2028', '\u2029', '\ufffd', '\uffff', '\ud800', '\udfff', // zero-width, BOM, separators, lone surrogates
  '😀', '𝕏', 'é', 'e\u0301', 'Ω', '中',
];

/** Lengths just over the contract's limits (names 100, refs 200, URLs 2048…). */
const OVER_LIMITS = [51, 101, 201, 513, 1025, 2049, 4097, 16_385, 20_001];

/** Number literals JSON allows but that are not ordinary numbers (NaN itself is not JSON: see nonJsonLine). */
const ODD_NUMBERS = ['1e400', '-1e400', '-0', '-0.0', '1e-400', '0.5', '-1', '9007199254740993', '1e21', '123456789012345678901234567890', '1E+2', '-2147483649', '4294967296', '0.1e1', '10000.000001'];

const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype'];
const ODD_KEYS = [...POLLUTION_KEYS, 'polluted', 'toString', 'valueOf', 'hasOwnProperty', 'isAdmin', '', ' ', '\u0000', '\u202e', 'a'.repeat(101), 'x.y', '0', 'length'];

/** A key from ODD_KEYS, or a long one (record keys are capped at 100; error messages must not echo it whole). */
function oddKey(rng: Prng): string {
  tag('odd-key');
  if (rng.chance(0.9)) return rng.pick(ODD_KEYS);
  tag('long-key');
  return rng.pick(['k', '\u001b', '\u202e', '中']).repeat(rng.pick([65, 101, 5_000, 5_000, 200_000]));
}

function oddString(rng: Prng): string {
  let s = '';
  for (let i = rng.range(1, 8); i > 0; i--) s += rng.chance(0.6) ? rng.pick(ODD_CHARS) : rng.pick([...LETTERS]);
  return s;
}

/** A string of about `bytes` UTF-8 bytes once JSON-escaped (so the message size stays predictable). */
export function hugeString(rng: Prng, bytes: number, unit = rng.pick(['a', 'é', '中', '😀', '\u0000', 'ab\u202e', CANARY])): string {
  const unitBytes = Buffer.byteLength(JSON.stringify(unit)) - 2;
  return unit.repeat(Math.max(1, Math.floor(bytes / unitBytes)));
}

/** `[[[…]]]` or `{"a":{"a":…}}` (or with `__proto__` keys), thousands of levels deep. */
function deepNesting(rng: Prng, maxBytes: number): Raw {
  const kind = rng.int(3);
  const open = kind === 0 ? '[' : kind === 1 ? '{"a":' : '{"__proto__":';
  const close = kind === 0 ? ']' : '}';
  const inner = kind === 0 ? '' : '{"polluted":true}';
  // Nested values get a quarter of their parent's budget: at least a few levels, whatever is left.
  const depth = Math.max(4, Math.min(rng.pick([1_000, 2_000, 5_000, 5_000, 20_000, 100_000]), Math.floor((maxBytes - 64) / (open.length + close.length))));
  return new Raw(open.repeat(depth) + inner + close.repeat(depth));
}

function pollutionObject(rng: Prng): Obj {
  const payload = new Obj([['polluted', true], ['isAdmin', true], ['toString', 'x']]);
  switch (rng.int(4)) {
    case 0:
      return new Obj([['__proto__', payload]]);
    case 1:
      return new Obj([['constructor', new Obj([['prototype', payload]])]]);
    case 2:
      return new Obj([['prototype', payload], ['__proto__', new Obj([['__proto__', payload]])]]);
    default:
      return new Obj([['a', new Obj([['b', new Obj([['__proto__', payload], ['constructor', new Obj([['prototype', payload]])]])]])]]);
  }
}

/** One hostile value of any type; `budget` bounds its size in bytes. */
export function hostileValue(rng: Prng, budget: number): Json {
  const roll = rng.int(100);
  if (roll < 12) {
    tag('wrong-type');
    return rng.pick<Json>([null, true, false, 0, 1, -1, '', ' ', 'a', [], new Obj()]);
  }
  if (roll < 22) {
    tag('odd-number');
    return new Raw(rng.pick(ODD_NUMBERS));
  }
  if (roll < 38) {
    tag('control-or-odd-unicode');
    return oddString(rng) + (rng.chance(0.3) ? CANARY : '');
  }
  if (roll < 48) {
    tag('over-limit-string');
    return (rng.chance(0.5) ? 'x' : rng.pick(ODD_CHARS)).repeat(rng.pick(OVER_LIMITS));
  }
  if (roll < 58) {
    tag('prototype-keys');
    return pollutionObject(rng);
  }
  if (roll < 61) {
    // Objects JavaScript cannot turn into a primitive (own toString/valueOf that are not functions).
    tag('primitive-conversion-trap');
    return rng.pick([
      new Obj([['length', new Obj([['toString', 'x']])]]),
      new Obj([['length', new Obj([['toString', 1], ['valueOf', 2]])]]),
      new Obj([['toString', 'x'], ['valueOf', 'y']]),
      new Obj([['length', new Raw('1e400')]]),
      new Obj([['length', -1]]),
      [new Obj([['toString', null]])],
    ]);
  }
  if (roll < 64) {
    tag('deep-nesting');
    return deepNesting(rng, Math.min(budget, 256 * 1024));
  }
  if (roll < 72) return [hostileValue(rng, budget / 4), hostileValue(rng, budget / 4)];
  if (roll < 80) return new Obj([[oddKey(rng), hostileValue(rng, budget / 4)]]);
  if (roll < 82) {
    tag('wide-array');
    return new Raw(`[${'0,'.repeat(rng.pick([1_000, 10_000, 50_000]))}0]`);
  }
  if (roll < 83 && budget > 70_000) {
    // Huge: up to the whole message budget.
    tag('huge-string');
    return hugeString(rng, rng.pick([64 * 1024, 256 * 1024, budget]) - 16);
  }
  tag('plausible-value-misplaced');
  return rng.pick<Json>(['ups', 'all', 'passphrase', 'system', 'token', 'Bearer', 'https://example.com', 'http://10.0.0.1/', 'javascript:alert(1)', 'a-name', CANARY]);
}

// ── mutations of a valid payload ─────────────────────────────────────

interface Slot {
  get(): Json;
  set(v: Json): void;
}

/** Every position in the tree whose value can be replaced (the root included). */
function slots(root: { value: Json }): Slot[] {
  const out: Slot[] = [{ get: () => root.value, set: (v) => (root.value = v) }];
  const walk = (node: Json): void => {
    if (node instanceof Obj) {
      for (const entry of node.entries) {
        out.push({ get: () => entry[1], set: (v) => (entry[1] = v) });
        walk(entry[1]);
      }
    } else if (Array.isArray(node)) {
      node.forEach((child, i) => {
        out.push({ get: () => node[i]!, set: (v) => (node[i] = v) });
        walk(child);
      });
    }
  };
  walk(root.value);
  return out;
}

function objects(root: Json): Obj[] {
  const out: Obj[] = [];
  const walk = (node: Json): void => {
    if (node instanceof Obj) {
      out.push(node);
      for (const [, v] of node.entries) walk(v);
    } else if (Array.isArray(node)) node.forEach(walk);
  };
  walk(root);
  return out;
}

export type MutationKind = 'replace' | 'delete-key' | 'extra-key' | 'array-for-object' | 'root' | 'no-params';

/** Applies 1–3 random mutations to a valid payload; `undefined` means "send no params at all". */
export function mutate(valid: Json, rng: Prng, budget: number): { params: Json | undefined; kinds: MutationKind[] } {
  const root = { value: valid };
  const kinds: MutationKind[] = [];
  if (rng.chance(0.02)) {
    tag('no-params');
    return { params: undefined, kinds: ['no-params'] };
  }
  for (let n = rng.range(1, 3); n > 0; n--) {
    const roll = rng.int(100);
    if (roll < 45) {
      kinds.push('replace');
      rng.pick(slots(root)).set(hostileValue(rng, budget));
    } else if (roll < 60) {
      const withKeys = objects(root.value).filter((o) => o.entries.length);
      if (!withKeys.length) continue;
      kinds.push('delete-key');
      tag('missing-field');
      const o = rng.pick(withKeys);
      o.entries.splice(rng.int(o.entries.length), 1);
    } else if (roll < 78) {
      const all = objects(root.value);
      if (!all.length) continue;
      kinds.push('extra-key');
      tag('extra-field');
      const o = rng.pick(all);
      // A duplicate of a real key (last one wins in JSON.parse) or an odd one.
      const key = o.entries.length && rng.chance(0.3) ? rng.pick(o.entries)[0] : oddKey(rng);
      o.entries.push([key, hostileValue(rng, budget)]);
    } else if (roll < 86) {
      const candidates = slots(root).filter((s) => s.get() instanceof Obj);
      if (!candidates.length) continue;
      kinds.push('array-for-object');
      tag('array-for-object');
      const slot = rng.pick(candidates);
      slot.set((slot.get() as Obj).entries.map(([, v]) => v));
    } else {
      kinds.push('root');
      tag('params-replaced');
      root.value = hostileValue(rng, budget);
    }
  }
  return { params: root.value, kinds };
}

// ── messages and what the owner must answer ──────────────────────────

/** What one message must get back: an error reply (with this id, or id null); or it is valid and never sent. */
export type Expectation =
  | { kind: 'reply'; id: number | null; code: 'invalid_input'; message: string }
  | { kind: 'accepted' };

export interface Probe {
  call: CallName;
  id: number;
  line: string;
  expect: Expectation;
  /** For the report: how the message was made. */
  origin: 'schema' | 'envelope';
  /** The classes of hostility in it (wrong-type, prototype-keys, deep-nesting, not-json…). */
  tags: string[];
}

export const NOT_JSON = 'Message is not valid JSON';
export const NOT_OBJECT = 'Message must be a JSON object';

/**
 * The documented answer to one line, per socket-server.ts / web-server.ts / router.ts:
 * unparseable → `Message is not valid JSON` (id null); not an object → `Message must be a
 * JSON object` (id null); unknown method → `Unknown call …`; input the schema refuses →
 * `<call>: <zod issues>`; input it accepts → the call runs (such messages are never sent).
 */
export function expectationFor(line: string): Expectation {
  let msg: unknown;
  try {
    msg = JSON.parse(line);
  } catch {
    return { kind: 'reply', id: null, code: 'invalid_input', message: NOT_JSON };
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return { kind: 'reply', id: null, code: 'invalid_input', message: NOT_OBJECT };
  const { id: rawId, method, params } = msg as Record<string, unknown>;
  const id = typeof rawId === 'number' && Number.isFinite(rawId) ? rawId : null;
  if (typeof method !== 'string' || !Object.prototype.hasOwnProperty.call(calls, method)) {
    const what = typeof method === 'string' ? quoteKey(method) : `(${typeof method})`;
    return { kind: 'reply', id, code: 'invalid_input', message: `Unknown call ${what}` };
  }
  // The router's own judgement (zod, and what it says when zod throws instead of reporting).
  const parsed = validateInput(method as CallName, params ?? {});
  if (parsed.ok) return { kind: 'accepted' };
  return { kind: 'reply', id, code: 'invalid_input', message: parsed.message };
}

function envelopeLine(id: number, method: string, paramsText: string | undefined): string {
  return `{"id":${id},"method":${JSON.stringify(method)}${paramsText === undefined ? '' : `,"params":${paramsText}`}}`;
}

/** Messages broken above the params: not JSON at all, not an object, or a method that does not exist. */
function envelopeProbe(name: CallName, id: number, rng: Prng, validText: string): string {
  const good = envelopeLine(id, name, validText);
  switch (rng.int(12)) {
    case 0:
      return good.slice(0, rng.range(1, good.length - 1)); // truncated
    case 1:
      return envelopeLine(id, name, rng.pick(['NaN', 'Infinity', '-Infinity', 'undefined', '{"n":NaN}', "{'account':'a'}", '{"a":1,}', '0x10', '.5', '+1', '01']));
    case 2:
      return good + rng.pick(['x', '}', ',', ' // comment', ' /* c */', '{}']);
    case 3:
      return '\ufeff' + good; // a BOM is not JSON whitespace
    case 4:
      // A raw control character inside a string (JSON needs it escaped); never \n, which ends the line.
      return envelopeLine(id, name, `{"account":"a${rng.pick(['\u0000', '\t', '\u0001', '\u001b', '\r', '\u001f'])}b"}`);
    case 5:
      return rng.pick([`[${good}]`, '"a string"', '42', 'true', 'null', '[]', `[${id}]`]);
    case 6:
      return envelopeLine(id, rng.pick([name.toUpperCase(), ` ${name}`, `${name} `, `${name}\u0000`, `${name}.x`, name.replace('.', '/'), `${name}\u202e`, `\u001b]0;${name}\u0007`, 'x'.repeat(200), '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '']), validText);
    case 7:
      return `{"id":${id},"method":${rng.pick(['null', '42', '["' + name + '"]', '{"name":"' + name + '"}', 'true'])},"params":${validText}}`;
    case 8:
      return `{"id":${id},"params":${validText}}`; // no method
    case 9:
      return `{"id":${id},"method":"${name}","params":${validText}`; // unterminated
    case 10:
      return `{"id":${id},"method":"${name}","params":"${'x'.repeat(rng.pick([10, 1000]))}`; // unterminated string
    default:
      return `{"id":${id},"method":"${name}","params":${'['.repeat(2000)}`; // unterminated nesting
  }
}

export interface StreamCounts {
  /** Generated, judged by the schema as valid (z.object strips unknown keys), and not sent. */
  acceptedFiltered: number;
  /** Generated over the size cap for this stream (regenerated). */
  oversizeRegenerated: number;
}

/**
 * `count` probes for one call, all of which the owner must refuse: mostly payloads the call's
 * zod schema rejects, some malformed envelopes. Deterministic for a given seed.
 */
export function* probeStream(name: CallName, seed: string, count: number, counts: StreamCounts): Generator<Probe> {
  const rng = new Prng(`${seed}/${name}`);
  let id = 1;
  let made = 0;
  // Calls whose input is `{}` accept every object: only non-objects are refused, so this takes longer.
  for (let attempt = 0; made < count; attempt++) {
    if (attempt > count * 200) throw new Error(`${name}: generated ${attempt} payloads but only ${made} were refused by the schema`);
    tags = new Set();
    const valid = validSample(name, rng);
    const validText = toText(valid);
    let line: string;
    let origin: Probe['origin'];
    if (rng.chance(0.06)) {
      origin = 'envelope';
      line = envelopeProbe(name, id, rng, validText);
    } else {
      origin = 'schema';
      const envelopeBytes = Buffer.byteLength(envelopeLine(id, name, ''));
      const { params } = mutate(valid, rng, MAX_MESSAGE_BYTES - envelopeBytes - 1);
      line = envelopeLine(id, name, params === undefined ? undefined : toText(params));
    }
    if (Buffer.byteLength(line) > MAX_MESSAGE_BYTES) {
      counts.oversizeRegenerated++;
      continue;
    }
    const expect = expectationFor(line);
    if (expect.kind === 'accepted') {
      counts.acceptedFiltered++;
      continue;
    }
    if (expect.message === NOT_JSON) tags.add('not-json');
    else if (expect.message === NOT_OBJECT) tags.add('not-object');
    else if (expect.message.startsWith('Unknown call')) tags.add('unknown-method');
    if (line.length > 512 * 1024) tags.add('over-512-KiB');
    if (expect.message.includes('a malformed value (an object where')) tags.add('zod-throws');
    const probeTags = [...tags];
    tags = undefined;
    yield { call: name, id, line, expect, origin, tags: probeTags };
    id++;
    made++;
  }
}

/**
 * For every top-level key of a call's input (every branch of a union): the value
 * `{"length": {"toString": "x"}}`, which makes zod's length checks throw instead of report.
 */
export function conversionTrapProbes(name: CallName, firstId: number): Probe[] {
  const schema = z.toJSONSchema(calls[name].input as z.ZodType, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const keys = new Set<string>();
  for (const branch of [schema, ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) for (const key of Object.keys(branch.properties ?? {})) keys.add(key);
  const probes: Probe[] = [];
  let id = firstId;
  for (const key of keys) {
    for (const trap of ['{"length":{"toString":"x"}}', '{"length":{"toString":1,"valueOf":2}}']) {
      const line = envelopeLine(id, name, `{${JSON.stringify(key)}:${trap}}`);
      const expect = expectationFor(line);
      if (expect.kind === 'reply') probes.push({ call: name, id: id++, line, expect, origin: 'schema', tags: ['primitive-conversion-trap'] });
    }
  }
  return probes;
}

/** Lines over the cap, for one call: plain ASCII, multi-byte text (over in bytes, under in characters), deep nesting. */
export function oversizeLines(name: CallName, rng: Prng): { label: string; line: string }[] {
  const over = MAX_MESSAGE_BYTES + rng.range(1, 4096);
  const frame = (params: string) => envelopeLine(1, name, params);
  const pad = (unit: string) => frame(`{"account":${JSON.stringify(hugeString(rng, over, unit))}}`);
  return [
    { label: 'ascii', line: pad('a') },
    // 2-3 bytes per character: the UTF-8 size is over the cap, the string length under it.
    { label: 'multibyte', line: pad(rng.pick(['é', '中'])) },
    { label: 'deep', line: frame('['.repeat(over / 2) + ']'.repeat(over / 2)) },
    { label: 'just-over', line: frame(`"${'x'.repeat(MAX_MESSAGE_BYTES - Buffer.byteLength(frame('""')) + 1)}"`) },
  ];
}

// ── raw transport clients ────────────────────────────────────────────

export interface WireReply {
  id?: unknown;
  ok?: boolean;
  result?: unknown;
  error?: { code: string; message: string };
  event?: string;
}

/** A connection that sends raw text and collects every parsed reply. */
export interface RawClient {
  readonly replies: WireReply[];
  /** Raw reply texts (for the canary check). */
  readonly texts: string[];
  send(lines: string[]): void;
  /** Resolves once `count` replies in all have arrived, or after `timeoutMs`. */
  waitForReplies(count: number, timeoutMs: number): Promise<void>;
  /** Resolves with the close code (WebSocket) or 0 (socket) once the connection is gone. */
  readonly closed: Promise<number>;
  close(): void;
}

/** Wakes whoever waits for the reply count to reach a number. */
function replyWaiter(replies: WireReply[]) {
  let waiting: { count: number; wake: () => void } | undefined;
  return {
    arrived(): void {
      if (waiting && replies.length >= waiting.count) waiting.wake();
    },
    wait(count: number, timeoutMs: number): Promise<void> {
      if (replies.length >= count) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(() => wake(), timeoutMs);
        const wake = () => {
          clearTimeout(timer);
          waiting = undefined;
          resolve();
        };
        waiting = { count, wake };
      });
    },
  };
}

export function connectSocket(path: string): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(path);
    const replies: WireReply[] = [];
    const texts: string[] = [];
    let buffer = '';
    const waiter = replyWaiter(replies);
    const closed = new Promise<number>((r) => socket.once('close', () => r(0)));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const text = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        texts.push(text);
        replies.push(JSON.parse(text) as WireReply);
      }
      waiter.arrived();
    });
    // The owner may hang up while we still write (an oversized message): that is expected.
    socket.on('error', (err) => (socket.connecting ? reject(err) : undefined));
    socket.once('connect', () =>
      resolve({
        replies,
        texts,
        closed,
        waitForReplies: (count, timeoutMs) => waiter.wait(count, timeoutMs),
        send: (lines) => {
          if (!socket.destroyed) socket.write(lines.map((l) => `${l}\n`).join(''));
        },
        close: () => socket.destroy(),
      }),
    );
  });
}

export function connectWebSocket(url: string): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { maxPayload: 64 * 1024 * 1024 });
    const replies: WireReply[] = [];
    const texts: string[] = [];
    const waiter = replyWaiter(replies);
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.on('message', (data) => {
      const text = String(data);
      texts.push(text);
      replies.push(JSON.parse(text) as WireReply);
      waiter.arrived();
    });
    ws.on('error', () => undefined);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('open', () =>
      resolve({
        replies,
        texts,
        closed,
        waitForReplies: (count, timeoutMs) => waiter.wait(count, timeoutMs),
        send: (lines) => {
          for (const l of lines) if (ws.readyState === ws.OPEN) ws.send(l);
        },
        close: () => ws.close(),
      }),
    );
  });
}

/**
 * Sends a batch and checks every reply against its expectation: replies with an id are
 * matched by id, id-null replies as a multiset (they may overtake one another). Returns
 * the problems found (empty when all is well).
 */
export async function exchangeBatch(client: RawClient, probes: Probe[], timeoutMs = 20_000): Promise<string[]> {
  const start = client.replies.length;
  client.send(probes.map((p) => p.line));
  await client.waitForReplies(start + probes.length, timeoutMs);
  const got = client.replies.slice(start);
  const gotTexts = client.texts.slice(start);
  const problems: string[] = [];
  if (got.length !== probes.length) problems.push(`expected ${probes.length} replies, got ${got.length} within ${timeoutMs} ms`);
  const byId = new Map<number, Probe>();
  const nullExpected = new Map<string, number>();
  for (const p of probes) {
    if (p.expect.kind !== 'reply') continue;
    if (p.expect.id === null) nullExpected.set(p.expect.message, (nullExpected.get(p.expect.message) ?? 0) + 1);
    else byId.set(p.expect.id, p);
  }
  for (const [i, r] of got.entries()) {
    if (gotTexts[i]!.includes(CANARY)) problems.push(`a reply echoed a value from the payload: ${gotTexts[i]!.slice(0, 200)}`);
    if (r.ok !== false || r.error?.code !== 'invalid_input') {
      problems.push(`not an invalid_input error: ${gotTexts[i]!.slice(0, 300)} (probe ${describeProbe(typeof r.id === 'number' ? byId.get(r.id) : undefined)})`);
      continue;
    }
    if (r.id === null) {
      const left = nullExpected.get(r.error.message) ?? 0;
      if (left <= 0) problems.push(`unexpected id-null reply: ${gotTexts[i]!.slice(0, 300)}`);
      else nullExpected.set(r.error.message, left - 1);
      continue;
    }
    const probe = typeof r.id === 'number' ? byId.get(r.id) : undefined;
    if (!probe || probe.expect.kind !== 'reply') {
      problems.push(`reply for an unknown id: ${gotTexts[i]!.slice(0, 300)}`);
      continue;
    }
    byId.delete(r.id as number);
    const quality = messageProblem(probe, r.error.message);
    if (quality) problems.push(`probe ${describeProbe(probe)}: ${quality}: ${JSON.stringify(r.error.message.slice(0, 300))}`);
    if (r.error.message !== probe.expect.message) {
      problems.push(`probe ${describeProbe(probe)}: message ${JSON.stringify(r.error.message.slice(0, 300))}, expected ${JSON.stringify(probe.expect.message.slice(0, 300))}`);
    }
  }
  for (const p of byId.values()) problems.push(`no reply for ${describeProbe(p)}`);
  for (const [message, left] of nullExpected) if (left > 0) problems.push(`${left} id-null replies missing: ${message}`);
  return problems;
}

// Control characters (C0, DEL, C1) and bidi controls: none may reach a terminal through an error message.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Why a validation message is not good enough, independently of what the router computes. */
function messageProblem(probe: Probe, message: string): string | undefined {
  if (message.length > 2048) return `the message is ${message.length} characters long`;
  if (UNPRINTABLE.test(message)) return 'the message carries control or bidi characters';
  if (probe.origin !== 'schema') return undefined;
  if (!message.startsWith(`${probe.call}: `)) return 'the message does not name the call';
  // zod's bare "Invalid input" (a union) names no field and no problem.
  if (/(^|: |; |, or |either )Invalid input($|;|,)/.test(message.slice(probe.call.length + 2))) return 'the message says only "Invalid input"';
  return undefined;
}

/** A short, secret-free description of a probe for failure messages (its id and the start of its text). */
export function describeProbe(p: Probe | undefined): string {
  if (!p) return '(unknown)';
  const preview = p.line.length > 160 ? `${p.line.slice(0, 160)}… (${p.line.length} chars)` : p.line;
  return `#${p.id} [${p.origin}] ${JSON.stringify(preview)}`;
}

let callCounter = 0;

/** One well-formed call over a raw client; resolves with its reply (matched by a string id). */
export async function rawCall(client: RawClient, method: CallName, params: unknown = {}, timeoutMs = 10_000): Promise<WireReply> {
  const id = `call-${++callCounter}`;
  const seen = client.replies.length;
  client.send([JSON.stringify({ id, method, params })]);
  const deadline = Date.now() + timeoutMs;
  for (let n = seen + 1; Date.now() < deadline; n = client.replies.length + 1) {
    const reply = client.replies.slice(seen).find((r) => r.id === id);
    if (reply) return reply;
    await client.waitForReplies(n, Math.max(1, deadline - Date.now()));
  }
  throw new Error(`${method}: no reply within ${timeoutMs} ms`);
}
