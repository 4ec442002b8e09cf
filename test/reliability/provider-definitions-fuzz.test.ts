// Hostile and malformed provider files against a real owner over its socket: definitions
// fuzzed from the schema (every value of the example replaced by one of another JSON type,
// required keys deleted, unknown keys added) plus the dangerous cases a provider file must
// never get through (plain http off loopback, a secret sent to another origin or into a URL,
// CR/LF in a header, a pointer into the request, prototype keys, runaway regexes…). Every one
// is refused by providers.add with the JSON path of a problem, providers.preview says the
// same, nothing is stored, and the owner still answers.
import fs from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Owner } from '../../src/main/core/owner/owner.js';
import { ownerSocketPath } from '../../src/main/core/owner/socket-path.js';
import { PROVIDER_IDS } from '../../src/shared/domain.js';
import { openTestOwner, tempDir } from '../helpers/temp-owner.js';
import { dataState, type DataState } from './support/data-state.js';
import { Prng, connectSocket, rawCall, type RawClient } from './support/fuzz.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const SEED = process.env['RELIABILITY_SEED'] ?? randomBytes(6).toString('hex');
const BASE = JSON.parse(fs.readFileSync('examples/providers/ledgerly.json', 'utf8')) as { [key: string]: Json };
const clone = <T>(v: T): T => structuredClone(v);

/** Paths of every value of `doc`, except inside the sample answer and condition values (which take any type). */
function paths(doc: Json, at: (string | number)[] = []): (string | number)[][] {
  if (at.includes('sample') || at.at(-1) === 'equals' || at.at(-2) === 'in') return [];
  const here = at.length ? [at] : [];
  if (Array.isArray(doc)) return [...here, ...doc.flatMap((v, i) => paths(v, [...at, i]))];
  if (doc && typeof doc === 'object') return [...here, ...Object.entries(doc).flatMap(([k, v]) => paths(v, [...at, k]))];
  return here;
}

function setAt(doc: Json, at: (string | number)[], value: Json | undefined): Json {
  const copy = clone(doc);
  let parent = copy as Record<string | number, Json>;
  for (const key of at.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
  const last = at.at(-1)!;
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else parent[last] = value;
  return copy;
}

function valueAt(doc: Json, at: (string | number)[]): Json {
  return at.reduce<Json>((v, k) => (v as Record<string | number, Json>)[k]!, doc);
}

/** Values of a JSON type other than `value`'s (every schema position has one type, or a union these all miss). */
function otherTypes(value: Json): Json[] {
  const all: Json[] = [null, 42, true, [], { zz: 1 }, 'x'.repeat(5000)];
  const type = (v: Json) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  return all.filter((v) => type(v) !== type(value) && !(type(value) === 'string' && v === 'x'.repeat(5000)));
}

function fuzzed(rng: Prng): { name: string; def: Json }[] {
  const out: { name: string; def: Json }[] = [];
  for (const at of paths(BASE)) {
    // Two values of other types at every path, picked by the seed.
    const options = otherTypes(valueAt(BASE, at));
    const first = rng.int(options.length);
    for (const value of [options[first]!, options[(first + 1 + rng.int(options.length - 1)) % options.length]!]) {
      out.push({ name: `${at.join('/')} = ${JSON.stringify(value).slice(0, 20)}`, def: setAt(BASE, at, value) });
    }
    const obj = valueAt(BASE, at);
    if (obj && typeof obj === 'object' && !Array.isArray(obj)) out.push({ name: `${at.join('/')} + unknown key`, def: setAt(BASE, [...at, '__extra'], 42) });
  }
  const required = [['format'], ['id'], ['name'], ['summary'], ['fields'], ['rotation'], ['refresh'], ['refresh', 'method'], ['refresh', 'url'], ['refresh', 'answer'], ['refresh', 'errors'], ['refresh', 'answer', 'accessToken'], ['refresh', 'errors', 'rules'], ['fields', 0, 'id'], ['fields', 0, 'label'], ['fields', 0, 'secret']];
  for (const at of required) out.push({ name: `without ${at.join('/')}`, def: setAt(BASE, at, undefined) });
  for (const value of [null, 1, 'definition', [], [BASE], true]) out.push({ name: `whole definition ${JSON.stringify(value).slice(0, 20)}`, def: value as Json });
  return out;
}

const header = (name: string, value: Json) => setAt(BASE, ['refresh', 'headers'], { [name]: value });
function dangerous(): { name: string; def: Json }[] {
  const revoke = (url: string, extra: Record<string, Json> = {}) => setAt(BASE, ['revoke'], { method: 'POST', url, headers: { 'X-Ledgerly-Key': '{{api_key}}' }, ...extra });
  let deep: Json = 'end';
  for (let i = 0; i < 40; i++) deep = { d: deep };
  return [
    { name: 'plain http token URL off loopback', def: setAt(BASE, ['refresh', 'url'], 'http://api.ledgerly.example/v3/session/renew') },
    { name: 'plain http base URL off loopback', def: setAt(BASE, ['environments', 0, 'baseUrl'], 'http://api.ledgerly.example') },
    { name: 'http on a private address', def: setAt(BASE, ['environments', 0, 'baseUrl'], 'http://10.0.0.8') },
    { name: 'file: URL', def: setAt(BASE, ['refresh', 'url'], 'file:///etc/passwd') },
    { name: 'javascript: URL', def: setAt(BASE, ['refresh', 'url'], 'javascript:alert(1)') },
    { name: 'credentials in the URL', def: setAt(BASE, ['environments', 0, 'baseUrl'], 'https://user:pw@api.ledgerly.example') },
    { name: 'a value chooses the host', def: setAt(BASE, ['refresh', 'url'], 'https://{{api_key}}.ledgerly.example/renew') },
    { name: 'a URL starts with a non-URL field', def: setAt(BASE, ['refresh', 'url'], '{{api_key}}/renew') },
    { name: 'secret in the URL path', def: setAt(BASE, ['refresh', 'url'], '{{baseUrl}}/renew/{{refresh_token}}') },
    { name: 'secret in the query', def: setAt(BASE, ['refresh', 'query'], { key: '{{api_key}}' }) },
    { name: 'secret to another origin (revoke)', def: revoke('https://collector.example/revoke') },
    { name: 'secret to another origin (revoke, body)', def: revoke('https://collector.example/revoke', { headers: {}, body: { encoding: 'json', fields: { t: '{{refresh_token}}' } } }) },
    { name: 'password to another origin (sign-in)', def: setAt(BASE, ['signIn'], { password: { userLabel: 'Email', method: 'POST', url: 'https://collector.example/login', body: { encoding: 'json', fields: { u: '{{username}}', p: '{{password}}' } } } }) },
    { name: 'secret to another origin (variant)', def: setAt(BASE, ['refresh', 'variants'], [{ when: { field: 'api_key', equals: 'x' }, method: 'POST', url: 'https://collector.example/r', headers: { k: '{{api_key}}' } }]) },
    { name: 'secret in the authorization URL', def: setAt(BASE, ['signIn'], { authorizationCode: { authorizeUrl: '{{baseUrl}}/authorize', params: { key: '{{api_key}}' }, exchange: { method: 'POST', url: '{{baseUrl}}/token', body: { encoding: 'form', fields: { code: '{{code}}' } } } } }) },
    { name: 'code exchange at another origin', def: setAt(BASE, ['signIn'], { authorizationCode: { authorizeUrl: '{{baseUrl}}/authorize', exchange: { method: 'POST', url: 'https://collector.example/token', body: { encoding: 'form', fields: { code: '{{code}}', v: '{{code_verifier}}' } } } } }) },
    { name: 'device poll at another origin', def: setAt(BASE, ['signIn'], { device: { authorize: { method: 'POST', url: '{{baseUrl}}/device' }, poll: { method: 'POST', url: 'https://collector.example/token', body: { encoding: 'form', fields: { d: '{{device_code}}' } } } } }) },
    { name: 'device code in the poll URL', def: setAt(BASE, ['signIn'], { device: { authorize: { method: 'POST', url: '{{baseUrl}}/device' }, poll: { method: 'POST', url: '{{baseUrl}}/token', query: { d: '{{device_code}}' } } } }) },
    { name: 'device code where none exists yet', def: setAt(BASE, ['signIn'], { device: { authorize: { method: 'POST', url: '{{baseUrl}}/device', body: { encoding: 'form', fields: { d: '{{device_code}}' } } }, poll: { method: 'POST', url: '{{baseUrl}}/token' } } }) },
    { name: 'device authorization with a secret to another origin', def: setAt(BASE, ['signIn'], { device: { authorize: { method: 'POST', url: 'https://collector.example/device', headers: { k: '{{api_key}}' } }, poll: { method: 'POST', url: '{{baseUrl}}/token' } } }) },
    { name: 'CR/LF in a header name', def: header('X-Key\r\nHost: evil', '{{api_key}}') },
    { name: 'LF in a header name', def: header('X-Key\nX-Other', '{{api_key}}') },
    { name: 'CR/LF in a header value', def: header('X-Ledgerly-Key', '{{api_key}}\r\nX-Injected: 1') },
    { name: 'CR/LF in a header default', def: header('X-Mode', { value: '{{api_key}}', default: 'a\r\nb' }) },
    { name: 'NUL in a header value', def: header('X-Ledgerly-Key', 'a\u0000b') },
    { name: 'Host header', def: header('Host', 'evil.example') },
    { name: 'Content-Length header', def: header('Content-Length', '0') },
    { name: 'Transfer-Encoding header', def: header('Transfer-Encoding', 'chunked') },
    { name: 'pointer into the request (request:)', def: setAt(BASE, ['refresh', 'answer', 'accessToken'], 'request:/body/session/renewal') },
    { name: 'pointer into the request (#)', def: setAt(BASE, ['refresh', 'answer', 'refreshToken'], '#/request/body') },
    { name: 'pointer into the request ($request)', def: setAt(BASE, ['refresh', 'errors', 'message'], '/$request/headers/x-ledgerly-key') },
    { name: 'placeholder in a pointer', def: setAt(BASE, ['refresh', 'answer', 'keep'], { k: { pointer: '{{api_key}}' } }) },
    { name: 'placeholder in an error message', def: setAt(BASE, ['refresh', 'errors', 'rules', 0, 'message'], 'key was {{api_key}}') },
    { name: 'keeps the access token as meta', def: setAt(BASE, ['refresh', 'answer', 'keep'], { copy: { pointer: '/data/auth/token' } }) },
    { name: 'keeps a secret field as meta', def: setAt(BASE, ['refresh', 'answer', 'keep'], { copy: { field: 'api_key' } }) },
    { name: 'answer fills a secret field', def: setAt(BASE, ['refresh', 'answer', 'settings'], { api_key: '/data/workspace/id' }) },
    { name: 'refresh token field not secret', def: setAt(BASE, ['fields', 1, 'secret'], false) },
    { name: '__proto__ key', def: JSON.parse(JSON.stringify(BASE).replace('"headers":{', '"headers":{"__proto__":{"polluted":"yes"},')) as Json },
    { name: 'constructor key', def: setAt(BASE, ['refresh', 'body', 'fields'], { constructor: { value: 'x' } }) },
    { name: 'prototype pointer key', def: setAt(BASE, ['refresh', 'body', 'fields'], { '/__proto__/polluted': 'yes' }) },
    { name: 'nested quantifier regex', def: setAt(BASE, ['refresh', 'errors', 'rules', 0, 'match', 0], { pointer: '/message', matches: '(a+)+$' }) },
    { name: 'invalid regex', def: setAt(BASE, ['fields', 0, 'validation', 'pattern'], '([a-z') },
    { name: 'a built-in id', def: setAt(BASE, ['id'], 'oauth2') },
    { name: 'an id with capitals', def: setAt(BASE, ['id'], 'Ledgerly') },
    { name: 'unknown placeholder', def: setAt(BASE, ['refresh', 'headers'], { 'X-Ledgerly-Key': '{{apikey}}' }) },
    { name: 'unbalanced braces', def: setAt(BASE, ['refresh', 'headers'], { 'X-Ledgerly-Key': '{{api_key}' }) },
    { name: 'rotation always without a refresh token pointer', def: setAt(BASE, ['refresh', 'answer', 'refreshToken'], undefined) },
    { name: 'GET with a body', def: setAt(BASE, ['refresh', 'method'], 'GET') },
    { name: 'iso expiry without a pointer', def: setAt(BASE, ['refresh', 'answer', 'expiry'], { kind: 'iso_date' }) },
    { name: 'sample lacks the access token', def: setAt(BASE, ['refresh', 'answer', 'sample'], { ok: true }) },
    { name: 'bidi override in a label', def: setAt(BASE, ['fields', 0, 'label'], 'API \u202ekey') },
    { name: '40 levels deep', def: setAt(BASE, ['refresh', 'answer', 'sample'], deep) },
    { name: 'over 256 KiB', def: setAt(BASE, ['refresh', 'answer', 'sample'], { pad: 'x'.repeat(300 * 1024) }) },
  ];
}

let dir: string;
let cleanup: () => Promise<void>;
let owner: Owner;
let client: RawClient;
let before: DataState;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('tokendesk-defs-fuzz-'));
  owner = await openTestOwner(dir, { serveSocket: true, schedule: false });
  client = await connectSocket(ownerSocketPath(dir));
  before = await dataState(dir, owner);
});

afterAll(async () => {
  client?.close();
  await owner?.close();
  await cleanup?.();
});

/** A path in a problem line: "/refresh/url: …", or "/" for the document itself. */
const PATH_IN_MESSAGE = /(^|: |; )\/[^\s:;]*: /;

describe(`hostile provider files (seed ${SEED})`, () => {
  it('refuses every one with a JSON path, stores nothing, and the owner keeps answering', async () => {
    const cases = [...fuzzed(new Prng(SEED)), ...dangerous()];
    expect(cases.length).toBeGreaterThanOrEqual(200);
    await mkdir('test-results/reliability', { recursive: true });
    await writeFile('test-results/reliability/provider-definitions-fuzz.json', JSON.stringify({ seed: SEED, cases: cases.length, dangerous: dangerous().length }, null, 2));
    const accepted: string[] = [];
    for (const { name, def } of cases) {
      const preview = await rawCall(client, 'providers.preview', { definition: def });
      const problems = (preview.result as { ok: boolean; problems: { path: string }[] } | undefined)?.problems ?? [];
      if (!preview.ok || (preview.result as { ok: boolean }).ok || problems.length === 0 || problems.some((p) => typeof p.path !== 'string')) accepted.push(`${name}: preview ${JSON.stringify(preview).slice(0, 200)}`);
      const added = await rawCall(client, 'providers.add', { definition: def });
      if (added.ok || added.error?.code !== 'invalid_input' || !PATH_IN_MESSAGE.test(added.error.message)) accepted.push(`${name}: add ${JSON.stringify(added).slice(0, 300)}`);
    }
    expect(accepted).toEqual([]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(fs.existsSync(`${dir}/providers.json`)).toBe(false);
    expect(await dataState(dir, owner)).toEqual(before);
    const status = await rawCall(client, 'owner.status');
    expect(status.ok).toBe(true);
    const listed = await rawCall(client, 'providers.list');
    expect((listed.result as { id: string }[]).map((p) => p.id)).toEqual([...PROVIDER_IDS]);
    // The good file still goes in afterwards.
    const good = await rawCall(client, 'providers.add', { definition: BASE });
    expect(good.ok).toBe(true);
  }, 120_000);
});
