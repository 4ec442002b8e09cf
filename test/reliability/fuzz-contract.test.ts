// Fuzzes every contract call over both wire transports of a real owner: the local socket
// (NDJSON) and the `serve` WebSocket. Each call gets malformed payloads its zod schema
// rejects — wrong types at every level, huge and over-limit strings, prototype-pollution
// keys, deep nesting, odd numbers, control and bidi characters, arrays for objects,
// missing and extra fields — plus broken envelopes (not JSON, not an object, unknown
// method) and messages over the 1 MiB cap. Every one must get its documented
// `invalid_input` reply (or, over the cap, the documented close), and afterwards the owner
// answers, no prototype is polluted and the data dir is byte-identical.
//
// Scale: RELIABILITY_SCALE=full sends 10,000 payloads per call per transport; the default
// is a short CI run. RELIABILITY_SEED=<seed> replays a run. Figures go to
// test-results/reliability/fuzz-contract.json (and fuzz-contract.<ci|full>.json).
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { createConnection, type Socket } from 'node:net';
import { cpus } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { calls, events as contractEvents, type CallName, type EventName } from '../../src/shared/contract.js';
import type { Owner } from '../../src/main/core/owner/owner.js';
import { ownerSocketPath } from '../../src/main/core/owner/socket-path.js';
import { WebServer } from '../../src/main/core/owner/web-server.js';
import { startSimulator, type Simulator } from '../../src/simulators/index.js';
import { call, openTestOwner, tempDir, waitFor } from '../helpers/temp-owner.js';
import { dataState, type DataState } from './support/data-state.js';
import {
  MAX_MESSAGE_BYTES,
  NOT_JSON,
  Prng,
  connectSocket,
  connectWebSocket,
  conversionTrapProbes,
  exchangeBatch,
  oversizeLines,
  probeStream,
  rawCall,
  type Probe,
  type RawClient,
  type StreamCounts,
} from './support/fuzz.js';

const FULL = process.env['RELIABILITY_SCALE'] === 'full';
const PER_CALL = Number(process.env['RELIABILITY_FUZZ_PER_CALL']) || (FULL ? 10_000 : 300);
const SEED = process.env['RELIABILITY_SEED'] ?? randomBytes(6).toString('hex');
/** In flight per connection: the WebSocket answers `owner_busy` past 64. */
const WINDOW = 32;
const CALL_NAMES = Object.keys(calls) as CallName[];
const TRANSPORTS = ['socket', 'websocket'] as const;
type Transport = (typeof TRANSPORTS)[number];
const SUMMARY_FILE = path.resolve('test-results/reliability/fuzz-contract.json');
const PER_CALL_TIMEOUT_MS = Math.max(60_000, PER_CALL * 30);

interface CallFigures {
  sent: number;
  /** Replies checked: invalid_input with the documented message. */
  rejected: number;
  schemaRejected: number;
  envelope: number;
  bytes: number;
  seconds: number;
  acceptedFiltered: number;
  oversizeRegenerated: number;
}

const figures: Record<Transport, Partial<Record<CallName, CallFigures>>> = { socket: {}, websocket: {} };
const oversize: Record<Transport, { sent: number; kinds: Record<string, number> }> = {
  socket: { sent: 0, kinds: {} },
  websocket: { sent: 0, kinds: {} },
};
/** How many sent payloads carried each class of hostility (a payload has several). */
const classes: Record<Transport, Record<string, number>> = { socket: {}, websocket: {} };
const startedAt = Date.now();

let owner: Owner;
let web: WebServer;
let dataDir: string;
let baseline: DataState;
const sims: Simulator[] = [];
const cleanups: (() => Promise<unknown>)[] = [];


const prototypes = [Object.prototype, Array.prototype, Function.prototype, String.prototype, Number.prototype] as const;
const prototypeKeys = prototypes.map((p) => Reflect.ownKeys(p).length);

/** Nothing a payload carried became a property of a shared prototype. */
function expectNoPollution(): void {
  const probe = {} as Record<string, unknown>;
  for (const key of ['polluted', 'isAdmin']) {
    expect(probe[key], key).toBeUndefined();
    expect(([] as unknown as Record<string, unknown>)[key], key).toBeUndefined();
  }
  expect(typeof probe['toString']).toBe('function');
  prototypes.forEach((p, i) => expect(Reflect.ownKeys(p).length).toBe(prototypeKeys[i]));
}

function connectTransport(transport: Transport): Promise<RawClient> {
  return transport === 'socket' ? connectSocket(ownerSocketPath(dataDir)) : connectWebSocket(`ws://127.0.0.1:${web.listeningPort}/${web.secret}/ws`);
}

/** The owner answers a real call over the transport, and its data is what it was. */
async function expectHealthy(client: RawClient, where: string): Promise<void> {
  const context = `${where} (seed ${SEED})`;
  const status = await rawCall(client, 'owner.status');
  expect(status.ok, `${context}: owner.status answered ${JSON.stringify(status).slice(0, 200)}`).toBe(true);
  expectNoPollution();
  const now = await dataState(dataDir, owner);
  expect(now.files, `${context}: data dir changed`).toEqual(baseline.files);
  expect(now.accounts, `${context}: accounts changed`).toEqual(baseline.accounts);
  expect(now.history, `${context}: history changed`).toEqual(baseline.history);
}

beforeAll(async () => {
  console.log(`fuzz-contract: seed ${SEED} (RELIABILITY_SEED=${SEED} replays it), ${PER_CALL} payloads per call per transport, ${CALL_NAMES.length} calls`);
  const data = await tempDir('td-fuzz-');
  const files = await tempDir('td-fuzz-renderer-');
  cleanups.push(data.cleanup, files.cleanup);
  dataDir = data.dir;
  // Two real accounts with history, so "nothing changed" means something.
  for (const providerId of ['ups', 'oauth2'] as const) sims.push(await startSimulator(providerId));
  cleanups.push(() => Promise.all(sims.map((s) => s.close())));
  owner = await openTestOwner(dataDir, { serveSocket: true, schedule: false });
  cleanups.push(() => owner.close());
  for (const sim of sims) {
    const grant = sim.issue();
    const { access_token: _at, ...values } = { ...grant.settings, ...grant.secrets };
    const name = `${sim.providerId}-fuzz`;
    await call(owner, 'accounts.add', { providerId: sim.providerId, name, baseUrl: sim.providerId === 'oauth2' ? undefined : sim.url, values });
    expect((await call(owner, 'accounts.refresh', { account: name })).outcome.ok).toBe(true);
  }
  const renderer = path.join(files.dir, 'renderer');
  await mkdir(renderer, { recursive: true });
  await writeFile(path.join(renderer, 'index.html'), '<!doctype html><title>fuzz</title>');
  web = new WebServer({
    router: owner.router,
    events: owner.engine as unknown as ConstructorParameters<typeof WebServer>[0]['events'],
    eventNames: Object.keys(contractEvents) as EventName[],
    rendererDir: renderer,
  });
  await web.listen();
  cleanups.push(() => web.close());
  baseline = await dataState(dataDir, owner);
  expect((baseline.accounts as unknown[]).length).toBe(2);
  expect((baseline.history as unknown[]).length).toBeGreaterThanOrEqual(2);
});

afterAll(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
  await writeSummary();
});

for (const transport of TRANSPORTS) {
  describe(`contract fuzz over the ${transport}`, () => {
    let client: RawClient;
    beforeAll(async () => {
      client = await connectTransport(transport);
    });
    afterAll(() => client?.close());

    for (const name of CALL_NAMES) {
      it(
        `${name}: every payload its schema rejects gets invalid_input; the owner and its data are untouched`,
        async () => {
          const counts: StreamCounts = { acceptedFiltered: 0, oversizeRegenerated: 0 };
          const f: CallFigures = { sent: 0, rejected: 0, schemaRejected: 0, envelope: 0, bytes: 0, seconds: 0, acceptedFiltered: 0, oversizeRegenerated: 0 };
          const started = performance.now();
          let batch: Probe[] = [];
          const flush = async () => {
            const problems = await exchangeBatch(client, batch);
            if (problems.length) {
              throw new Error(`${transport} ${name} (seed ${SEED}): ${problems.length} problem(s):\n${problems.slice(0, 10).join('\n')}`);
            }
            f.rejected += batch.length;
            batch = [];
          };
          for (const probe of probeStream(name, SEED, PER_CALL, counts)) {
            batch.push(probe);
            f.sent++;
            f.bytes += Buffer.byteLength(probe.line) + 1;
            for (const t of probe.tags) classes[transport][t] = (classes[transport][t] ?? 0) + 1;
            if (probe.origin === 'schema') f.schemaRejected++;
            else f.envelope++;
            if (batch.length >= WINDOW) await flush();
          }
          if (batch.length) await flush();
          f.seconds = (performance.now() - started) / 1000;
          f.acceptedFiltered = counts.acceptedFiltered;
          f.oversizeRegenerated = counts.oversizeRegenerated;
          figures[transport][name] = f;
          expect(f.sent).toBe(PER_CALL);
          expect(f.rejected).toBe(PER_CALL);
          await expectHealthy(client, `${transport} ${name}`);
        },
        PER_CALL_TIMEOUT_MS,
      );
    }

    it('answers values that make zod throw (an object with a non-function toString as a length) with invalid_input', async () => {
      // zod throws on these instead of reporting an issue: the router must still answer
      // invalid_input, and the owner keep running.
      let thrown = 0;
      for (const name of CALL_NAMES) {
        const probes = conversionTrapProbes(name, 1);
        thrown += probes.filter((p) => p.expect.kind === 'reply' && p.expect.message.includes('a malformed value')).length;
        for (let i = 0; i < probes.length; i += WINDOW) {
          const problems = await exchangeBatch(client, probes.slice(i, i + WINDOW));
          expect(problems, `${transport} ${name}`).toEqual([]);
        }
      }
      expect(thrown).toBeGreaterThan(20);
      await expectHealthy(client, `${transport} after conversion traps`);
    });

    it(
      'refuses every message over the 1 MiB cap as documented and keeps serving',
      async () => {
        const rng = new Prng(`${SEED}/oversize/${transport}`);
        for (const [i, name] of CALL_NAMES.entries()) {
          const lines = oversizeLines(name, rng);
          // The short run takes one kind per call, in turn; the full run every kind for every call.
          for (const { label, line } of FULL ? lines : [lines[i % lines.length]!]) {
            expect(Buffer.byteLength(line)).toBeGreaterThan(MAX_MESSAGE_BYTES);
            const victim = await connectTransport(transport);
            victim.send([line]);
            const code = await Promise.race([victim.closed, new Promise<string>((r) => setTimeout(() => r('still open'), 15_000))]);
            const context = `${transport} ${name} ${label} (seed ${SEED}): replies ${JSON.stringify(victim.replies).slice(0, 300)}`;
            if (transport === 'socket') {
              // socket-server.ts: one id-null invalid_input reply, then the owner hangs up.
              expect(code, context).toBe(0);
              expect(victim.replies, context).toEqual([{ id: null, ok: false, error: { code: 'invalid_input', message: `Message larger than ${MAX_MESSAGE_BYTES} bytes` } }]);
            } else {
              // web-server.ts: ws closes the connection with 1009 (message too big), no reply.
              expect(code, context).toBe(1009);
              expect(victim.replies, context).toEqual([]);
            }
            victim.close();
            oversize[transport].sent++;
            oversize[transport].kinds[label] = (oversize[transport].kinds[label] ?? 0) + 1;
          }
        }
        await expectHealthy(client, `${transport} after oversized messages`);
      },
      PER_CALL_TIMEOUT_MS,
    );

    it('answers bytes that are not UTF-8 JSON as documented', async () => {
      if (transport === 'socket') {
        // Invalid UTF-8 decodes to U+FFFD, which is not JSON: an id-null reply, the connection stays.
        const raw = createConnection(ownerSocketPath(dataDir));
        const lines: string[] = [];
        let pending = '';
        raw.setEncoding('utf8').on('data', (d: string) => {
          const parts = (pending + d).split('\n');
          pending = parts.pop()!;
          lines.push(...parts);
        });
        raw.write(Buffer.from([0xff, 0xfe, 0x7b, 0xc3, 0x0a]));
        raw.write(`${JSON.stringify({ id: 2, method: 'owner.status' })}\n`);
        await waitFor('two replies', () => lines.length >= 2, 5_000);
        expect(JSON.parse(lines[0]!)).toEqual({ id: null, ok: false, error: { code: 'invalid_input', message: NOT_JSON } });
        expect(JSON.parse(lines[1]!)).toMatchObject({ id: 2, ok: true });
        raw.destroy();
      } else {
        const ws = new WebSocket(`ws://127.0.0.1:${web.listeningPort}/${web.secret}/ws`);
        ws.on('error', () => undefined);
        await new Promise((r) => ws.once('open', r));
        // A binary frame: an id-null reply, the connection stays.
        const reply = new Promise<string>((r) => ws.once('message', (d) => r(String(d))));
        ws.send(Buffer.from('{"id":1,"method":"owner.status"}'), { binary: true });
        expect(JSON.parse(await reply)).toEqual({ id: null, ok: false, error: { code: 'invalid_input', message: 'Messages must be JSON text' } });
        // A text frame that is not UTF-8: ws closes with 1007 (invalid frame payload data).
        const closed = new Promise<number>((r) => ws.once('close', (c) => r(c)));
        (ws as unknown as { _socket: Socket })._socket.write(Buffer.concat(textFrame(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))));
        expect(await closed).toBe(1007);
      }
      await expectHealthy(client, `${transport} after non-UTF-8 bytes`);
    });
  });
}

/** A masked, final client text frame carrying `payload` as it is (ws itself would never send invalid UTF-8). */
function textFrame(payload: Buffer): Buffer[] {
  const mask = randomBytes(4);
  const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  return [Buffer.from([0x81, 0x80 | payload.length]), mask, masked];
}

async function writeSummary(): Promise<void> {
  // A filtered run (-t) would overwrite the figures with a fraction of them.
  const complete = TRANSPORTS.every((t) => CALL_NAMES.every((n) => figures[t][n]));
  if (!complete) {
    console.log(`fuzz-contract (seed ${SEED}): partial run, ${path.relative(process.cwd(), SUMMARY_FILE)} not written`);
    return;
  }
  const perTransport = Object.fromEntries(
    TRANSPORTS.map((t) => {
      const rows = Object.values(figures[t]) as CallFigures[];
      const sum = (k: keyof CallFigures) => rows.reduce((n, r) => n + r[k], 0);
      const seconds = sum('seconds');
      return [
        t,
        {
          calls: rows.length,
          sent: sum('sent'),
          rejectedInvalidInput: sum('rejected'),
          schemaRejected: sum('schemaRejected'),
          envelope: sum('envelope'),
          acceptedBySchemaFiltered: sum('acceptedFiltered'),
          overCapRegenerated: sum('oversizeRegenerated'),
          overCapSent: oversize[t].sent,
          overCapKinds: oversize[t].kinds,
          classes: Object.fromEntries(Object.entries(classes[t]).sort((a, b) => b[1] - a[1])),
          megabytes: Math.round((sum('bytes') / 1024 / 1024) * 10) / 10,
          seconds: Math.round(seconds * 100) / 100,
          payloadsPerSecond: seconds ? Math.round(sum('sent') / seconds) : 0,
        },
      ];
    }),
  );
  const summary = {
    test: 'test/reliability/fuzz-contract.test.ts',
    at: new Date().toISOString(),
    scale: FULL ? 'full' : 'ci',
    seed: SEED,
    payloadsPerCallPerTransport: PER_CALL,
    calls: CALL_NAMES,
    machine: { node: process.version, cpus: cpus().length },
    note: 'The owner runs in the test process: payloads/s includes generating each payload, judging it locally with the zod schema and checking its reply.',
    transports: perTransport,
    totals: {
      sent: TRANSPORTS.reduce((n, t) => n + (perTransport[t] as { sent: number }).sent, 0),
      overCapSent: oversize.socket.sent + oversize.websocket.sent,
      durationSeconds: Math.round((Date.now() - startedAt) / 100) / 10,
    },
    perCall: Object.fromEntries(CALL_NAMES.map((n) => [n, { socket: figures.socket[n], websocket: figures.websocket[n] }])),
  };
  await mkdir(path.dirname(SUMMARY_FILE), { recursive: true });
  // The latest run, and the latest run of this scale (so a CI run does not hide the full figures).
  for (const file of [SUMMARY_FILE, SUMMARY_FILE.replace(/\.json$/, `.${summary.scale}.json`)]) await writeFile(file, `${JSON.stringify(summary, null, 2)}\n`);
  const line = (t: Transport) => {
    const s = perTransport[t] as { sent: number; schemaRejected: number; envelope: number; acceptedBySchemaFiltered: number; overCapSent: number; seconds: number; payloadsPerSecond: number };
    return `  ${t.padEnd(9)} sent ${s.sent} (schema-rejected ${s.schemaRejected}, broken envelopes ${s.envelope}), filtered as valid ${s.acceptedBySchemaFiltered}, over-cap ${s.overCapSent}, ${s.seconds} s, ${s.payloadsPerSecond} payloads/s`;
  };
  console.log(`fuzz-contract (seed ${SEED}, ${summary.scale}): ${summary.totals.sent} payloads, all refused with invalid_input, in ${summary.totals.durationSeconds} s\n${TRANSPORTS.map(line).join('\n')}\n  → ${path.relative(process.cwd(), SUMMARY_FILE)}`);
}
