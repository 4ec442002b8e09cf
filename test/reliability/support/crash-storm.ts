// Crash during refresh storms (the runner behind test/reliability/crash-storm.test.ts and
// bench/crash-storm.ts). A real `tokendesk daemon --log-saves` (the BUILT CLI unless told
// otherwise) owns N accounts spread over several simulators (ups, oauth2, teamup, pathstack,
// vaultist: the vendors that rotate, two servers each) whose refresh tokens rotate with reuse
// detection and whose access tokens live 2 s, so every account refreshes about once a second.
// The daemon is SIGKILLed at seeded random moments (uniform over 0.3–4 s after its spawn, so
// kills land in the process start, in the startup catch-up storm and in the steady storm) and
// restarted, K times. After each kill, with the daemon dead (and 250 ms for the simulators to
// answer requests it wrote just before dying):
//
//   1. Files: every file in the data dir is parsed (vault.json, each complete vault.journal
//      line, accounts.json, each complete history line). A torn LAST line of an append-only
//      file is not a parse failure: the kill cut an append whose fsync never returned, it was
//      never acknowledged, and the readers drop it by design; it is counted apart. Quarantined
//      (*.corrupt-*) files and leftover temp files are counted too.
//   2. Tokens: the vault is opened — on a copy, so the restarted daemon replays the real one
//      itself — and every account's stored refresh token is shown to its simulator. A token the
//      simulator refuses is "bricked". It is EXPLAINED only if the token is the old side of a
//      rotation that is the LAST of its grant (the new token was never presented), the daemon
//      logged no save of the new token and no save of the account after that rotation, and the
//      rotation is not later than 1 s after the daemon died. That is "killed between the
//      vendor's rotation and our save", the window no client can close; it has two kinds:
//      rotated before the kill signal, or after it (the request was already on the wire and the
//      vendor served it while or after the daemon died). Anything else is UNEXPLAINED: a bug.
//      Every rotation is also accounted for: its save was logged; or its new token is what the
//      vault holds although no save was logged (durable, killed before the acknowledgement);
//      or it bricked the account. "unaccounted" must be 0.
//   3. History: LOST means a row that was on disk at an earlier check and is gone, or a refresh
//      the daemon logged as finished (it logs refresh-finished after the history append is
//      durable, i.e. acknowledged) with no row on disk. A refresh whose tokens were saved but
//      whose history append had not been acknowledged at the kill is "in flight at the kill":
//      not lost, whether or not its row made it to disk.
//
// Bricked accounts are re-seeded before the restart: an owner in this process (the daemon is
// dead) gives each a fresh grant from the same simulator through accounts.update, as a user
// re-authorising would, so every round has N live accounts and no daemon ever presents a retired
// token. The daemon's save log and the simulators' rotation log also give the save window: for
// each rotation followed by a save, save time − rotation time, split into the durable write
// (save_ms, timed by the engine) and what came before it, beside the disk's own fsync latency.
import { spawn } from 'node:child_process';
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Owner } from '../../../src/main/core/owner/owner.js';
import { PassphraseWrapper } from '../../../src/main/core/vault/key-wrappers.js';
import { openVault, VAULT_FILE, VAULT_JOURNAL_FILE } from '../../../src/main/core/vault/vault.js';
import type { ProviderId } from '../../../src/shared/domain.js';
import { tokenHash, type TokenRotation } from '../../../src/simulators/harness.js';
import { startSimulator, type Simulator } from '../../../src/simulators/index.js';
import { mulberry32, stats, type Stats } from './stats.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PASSPHRASE = 'crash storm passphrase';
/** scrypt at N=2^10: the vault format is the same, a restart does not spend 0.1 s deriving the key. */
const FAST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };
const wrapper = () => new PassphraseWrapper(PASSPHRASE, FAST_SCRYPT);

/** Vendors whose refresh tokens rotate (docs/PROVIDERS.md; banyan does not by default). */
export const ROTATING_PROVIDERS: ProviderId[] = ['ups', 'oauth2', 'teamup', 'pathstack', 'vaultist'];

export interface CrashStormOptions {
  accounts: number;
  kills: number;
  /** PRNG seed for the kill moments and the account layout (random when absent; always printed). */
  seed?: number;
  providers?: ProviderId[];
  /** Simulator instances per provider (several servers of one vendor, one per-provider cap). */
  instancesPerProvider?: number;
  accessTtlSec?: number;
  /** The kill lands uniformly in [min, max] ms after the daemon was spawned (startup storm included). */
  killWindowMs?: [number, number];
  /** How the daemon is started: the built CLI by default; `source` runs src/cli/main.ts through tsx. */
  daemonFrom?: 'built' | 'source';
  /** Last round: SIGTERM instead of SIGKILL this long after the daemon is up (its ready line); nothing may be lost then. 0 = skip. */
  gracefulStopAfterMs?: number;
  log?: (line: string) => void;
  /** Keep the data dir (its path is in the figures). */
  keepDataDir?: boolean;
}

export interface BrickedAccount {
  round: number;
  accountId: string;
  providerId: string;
  category: string;
  detail: string;
}

export interface CrashStormFigures {
  seed: number;
  scale: { accounts: number; kills: number; simulators: number; providers: ProviderId[]; accessTtlSec: number; killWindowMs: [number, number] };
  machine: { cpus: number; loadavg1: number };
  daemon: 'built' | 'source';
  durationMs: number;
  refreshes: { ok: number; error: number; errorsByClass: Record<string, number> };
  rotations: number;
  saves: number;
  /**
   * Every rotation the simulators performed, accounted for: its save was logged; or its token is on
   * disk but the kill came before the save was acknowledged (durable, not yet logged); or it bricked
   * the account. `unaccounted` must be 0.
   */
  rotationsAccounted: { savedAndLogged: number; onDiskNotYetLogged: number; bricked: number; unaccounted: number };
  bricked: {
    explained: number;
    unexplained: number;
    reseeded: number;
    /** The most accounts one kill bricked (the engine bounds it: providers × per-provider cap, 5 × 4 here). */
    maxPerKill: number;
    byCategory: Record<string, number>;
    /** Kill time − rotation time of the explained ones (how long before the kill the vendor rotated). */
    rotationAgeAtKillMs: Stats;
    unexplainedDetails: BrickedAccount[];
  };
  files: {
    parseFailures: number;
    parseFailureDetails: string[];
    /** Torn last lines of append-only files (appends cut by the kill, never acknowledged). */
    tornTails: number;
    quarantined: string[];
    leftoverTempFiles: number;
    vaultOpenFailures: number;
  };
  history: {
    rowsAtEnd: number;
    /** Rows on disk at one check and gone at a later one. */
    lostFromDisk: number;
    /** Refreshes the daemon logged as finished (row durable) without a row on disk. */
    lostAcknowledged: number;
    /** Refreshes whose tokens were saved but whose row was not yet written when the kill came (never acknowledged). */
    inFlightAtKill: number;
    lostDetails: string[];
  };
  saveWindowMs: Stats & {
    /** The durable write alone (engine timing: waiting for a group commit in flight + write + fsync). */
    saveMs: Stats;
    /** Rotation → the save starting (the vendor's answer on the wire, the daemon reading and parsing it). */
    beforeSaveMs: Stats;
    /** The engine's own part: answer parsed → save started (validation, building the record). */
    engineBeforeSaveMs: Stats;
    /** The disk alone: append 2 KiB + fsync, timed synchronously, before the storm (idle). */
    fsyncProbeIdleMs: Stats;
    /** The same every 100 ms during the storms (same disk, same moments, outside the daemon's event loop). */
    fsyncProbeUnderLoadMs: Stats;
  };
  /** Daemon restarts: spawn → first rotation at a vendor, and first rotation → first save (the cold start's save window). */
  startup: { firstRotationMs: Stats; firstSaveAfterFirstRotationMs: Stats };
  daemonFailures: string[];
  gracefulStop?: { exitCode: number | null; bricked: number; lostAcknowledged: number };
  dataDir?: string;
}

interface Account {
  id: string;
  sim: Simulator;
}

interface SaveLine {
  at: number;
  accountId: string;
  rt: string;
  rotated?: boolean;
  saveMs: number;
  sinceResponseMs?: number;
  retry: boolean;
}

interface FinishedLine {
  key: string;
  accountId: string;
  outcome: 'ok' | 'error';
  errorClass?: string;
}

interface RoundLog {
  saves: SaveLine[];
  finished: FinishedLine[];
  warnings: string[];
  other: string[];
}

const SAVE_RE = /^saved (\S+) (\S+) rt=(\S+) rotated=(yes|no|-) save_ms=([\d.]+) since_response_ms=(\S+)( retry)?$/;
const FINISHED_RE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) ([0-9a-f-]{36}) (\w+) (ok|error)(?: (\w+))?/;

function parseDaemonLog(text: string): RoundLog {
  const log: RoundLog = { saves: [], finished: [], warnings: [], other: [] };
  for (const line of text.split('\n')) {
    if (!line) continue;
    let m = SAVE_RE.exec(line);
    if (m) {
      log.saves.push({ at: Date.parse(m[1]!), accountId: m[2]!, rt: m[3]!, rotated: m[4] === '-' ? undefined : m[4] === 'yes', saveMs: Number(m[5]), sinceResponseMs: m[6] === '-' ? undefined : Number(m[6]), retry: Boolean(m[7]) });
      continue;
    }
    m = FINISHED_RE.exec(line);
    if (m) {
      log.finished.push({ key: `${m[2]}@${Date.parse(m[1]!)}`, accountId: m[2]!, outcome: m[4] as 'ok' | 'error', errorClass: m[5] });
      continue;
    }
    if (line.startsWith('warning: ')) log.warnings.push(line);
    else if (!line.startsWith('tokendesk daemon: ')) log.other.push(line);
  }
  return log;
}

/** The daemon, started the way CI does (built CLI) or from the sources. */
function spawnDaemon(dataDir: string, from: 'built' | 'source') {
  // CRASH_STORM_CLI: another build of the CLI (experiments with a patched bundle).
  const built = process.env['CRASH_STORM_CLI'] ?? path.join(ROOT, 'bin/tokendesk.js');
  const args = from === 'built' ? [built] : ['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts')];
  const child = spawn(process.execPath, [...(process.env['CRASH_STORM_NODE_ARGS']?.split(' ').filter(Boolean) ?? []), ...args, 'daemon', '--log-saves'], {
    cwd: ROOT,
    env: { ...process.env, TOKENDESK_HOME: dataDir, TOKENDESK_PASSPHRASE: PASSPHRASE },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let markReady: () => void;
  // The daemon's "pid N, M accounts" line: it owns the data dir and handles SIGTERM from here on.
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (/^tokendesk daemon: pid \d+/m.test(stderr)) markReady();
  });
  // 'close': the process is gone AND its stderr is drained (pipes on Linux are written synchronously,
  // so every line the daemon wrote before it died is in what we read).
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return { child, closed, ready, stderr: () => stderr };
}

interface FileCheck {
  parseFailures: string[];
  tornTails: number;
  quarantined: string[];
  tempFiles: number;
  /** History rows: id → key (accountId@at). */
  rows: Map<string, string>;
}

/** Parses every file of the data dir the way a strict reader would. */
async function checkFiles(dir: string): Promise<FileCheck> {
  const out: FileCheck = { parseFailures: [], tornTails: 0, quarantined: [], tempFiles: 0, rows: new Map() };
  const parseJson = (name: string, text: string) => {
    try {
      JSON.parse(text);
      return true;
    } catch (err) {
      out.parseFailures.push(`${name}: ${(err as Error).message}`);
      return false;
    }
  };
  const lines = (name: string, text: string): string[] => {
    const cut = text.lastIndexOf('\n') + 1;
    if (cut < text.length) out.tornTails++;
    return text.slice(0, cut).split('\n').slice(0, -1);
  };
  for (const name of (await readdir(dir)).sort()) {
    if (/\.corrupt-/.test(name)) {
      out.quarantined.push(name);
      continue;
    }
    if (name.endsWith('.tmp')) {
      out.tempFiles++;
      continue;
    }
    if (name === 'owner.lock' || name === 'owner.sock') continue;
    const text = await readFile(path.join(dir, name), 'utf8');
    if (name === VAULT_FILE || name.endsWith('.json')) {
      parseJson(name, text);
    } else if (name === VAULT_JOURNAL_FILE) {
      lines(name, text).forEach((l, i) => parseJson(`${name} line ${i + 1}`, l));
    } else if (name.endsWith('.jsonl')) {
      lines(name, text).forEach((l, i) => {
        if (!parseJson(`${name} line ${i + 1}`, l) || i === 0) return;
        const row = JSON.parse(l) as { id: string; accountId: string; at: number };
        out.rows.set(row.id, `${row.accountId}@${row.at}`);
      });
    } else {
      out.parseFailures.push(`${name}: an unexpected file in the data dir`);
    }
  }
  return out;
}

/** Stored refresh token of every account, read from a copy of the vault (the real one is left for the daemon to replay). */
async function storedRefreshTokens(dir: string, scratchRoot: string, ids: string[]): Promise<{ tokens: Map<string, string | null>; failure?: string }> {
  const scratch = await mkdtemp(path.join(scratchRoot, 'vault-copy-'));
  try {
    for (const f of [VAULT_FILE, VAULT_JOURNAL_FILE]) await copyFile(path.join(dir, f), path.join(scratch, f)).catch(() => undefined);
    const vault = await openVault({ dir: scratch, wrapper: wrapper() });
    try {
      const tokens = new Map<string, string | null>();
      for (const id of ids) tokens.set(id, await vault.getPassword(id, 'refresh_token'));
      const damaged = vault.quarantined.map((q) => `${path.basename(q.file)}: ${q.reason}`).join('; ');
      return { tokens, failure: damaged || undefined };
    } finally {
      vault.close();
    }
  } catch (err) {
    return { tokens: new Map(), failure: `the vault did not open: ${(err as Error).message}` };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * The disk's own latency for what a save costs: append a 2 KiB line and fsync it, timed
 * synchronously (no event loop in the measure), in a file beside the data dir.
 */
class FsyncProbe {
  readonly idle: number[] = [];
  readonly loaded: number[] = [];
  #timer?: NodeJS.Timeout;
  readonly #file: string;
  readonly #line = 'x'.repeat(2047) + '\n';

  constructor(root: string) {
    this.#file = path.join(root, 'fsync-probe.jsonl');
  }

  once(into: number[]): void {
    const t = performance.now();
    const fd = openSync(this.#file, 'a');
    try {
      writeSync(fd, this.#line);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    into.push(performance.now() - t);
  }

  /** Every `everyMs` while a daemon storms (the same disk, the same moment). */
  start(everyMs = 100): void {
    this.#timer = setInterval(() => this.once(this.loaded), everyMs);
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

async function withOwner<T>(dataDir: string, fn: (call: (method: string, params: unknown) => Promise<unknown>) => Promise<T>): Promise<T> {
  const owner = await Owner.open({ dataDir, keyWrapper: async () => wrapper(), schedule: false, serveSocket: false });
  try {
    return await fn(async (method, params) => {
      const reply = await owner.router.handle(method, params);
      if (!reply.ok) throw new Error(`${method}: ${reply.error.code}: ${reply.error.message}`);
      return reply.result;
    });
  } finally {
    await owner.close();
  }
}

/** A grant's account field values (settings and secrets) without the access token: the daemon gets its own. */
function grantValues(sim: Simulator): Record<string, string> {
  const grant = sim.issue();
  const { access_token: _a, ...values } = { ...grant.settings, ...grant.secrets };
  return values;
}

function countBy(keys: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = (out[k] ?? 0) + 1;
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runCrashStorm(options: CrashStormOptions): Promise<CrashStormFigures> {
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const random = mulberry32(seed);
  const providers = options.providers ?? ROTATING_PROVIDERS;
  const instances = options.instancesPerProvider ?? 2;
  const accessTtlSec = options.accessTtlSec ?? 2;
  const killWindowMs = options.killWindowMs ?? [300, 4000];
  const daemonFrom = options.daemonFrom ?? 'built';
  const log = options.log ?? ((line: string) => console.log(line));
  const started = performance.now();
  log(`crash storm: seed ${seed}, ${options.accounts} accounts, ${options.kills} kills, ${providers.length * instances} simulators (${providers.join(', ')} × ${instances}), access tokens live ${accessTtlSec} s, daemon from ${daemonFrom}`);

  const root = await mkdtemp(path.join(tmpdir(), 'tokendesk-crash-storm-'));
  const dataDir = path.join(root, 'data');
  await mkdir(dataDir, { mode: 0o700 });
  const sims: Simulator[] = [];
  const figures: CrashStormFigures = {
    seed,
    scale: { accounts: options.accounts, kills: options.kills, simulators: providers.length * instances, providers, accessTtlSec, killWindowMs },
    machine: { cpus: cpus().length, loadavg1: Math.round(loadavg()[0]! * 100) / 100 },
    daemon: daemonFrom,
    durationMs: 0,
    refreshes: { ok: 0, error: 0, errorsByClass: {} },
    rotations: 0,
    saves: 0,
    rotationsAccounted: { savedAndLogged: 0, onDiskNotYetLogged: 0, bricked: 0, unaccounted: 0 },
    bricked: { explained: 0, unexplained: 0, reseeded: 0, maxPerKill: 0, byCategory: {}, rotationAgeAtKillMs: stats([]), unexplainedDetails: [] },
    files: { parseFailures: 0, parseFailureDetails: [], tornTails: 0, quarantined: [], leftoverTempFiles: 0, vaultOpenFailures: 0 },
    history: { rowsAtEnd: 0, lostFromDisk: 0, lostAcknowledged: 0, inFlightAtKill: 0, lostDetails: [] },
    saveWindowMs: { ...stats([]), saveMs: stats([]), beforeSaveMs: stats([]), engineBeforeSaveMs: stats([]), fsyncProbeIdleMs: stats([]), fsyncProbeUnderLoadMs: stats([]) },
    startup: { firstRotationMs: stats([]), firstSaveAfterFirstRotationMs: stats([]) },
    daemonFailures: [],
  };

  try {
    const probe = new FsyncProbe(root);
    for (let i = 0; i < 40; i++) probe.once(probe.idle);

    for (const id of providers) for (let i = 0; i < instances; i++) sims.push(await startSimulator(id, { accessTtlSec, reuseDetection: true }));

    // Accounts, added through the contract by an owner in this process (no daemon yet).
    const accounts: Account[] = [];
    await withOwner(dataDir, async (call) => {
      for (let i = 0; i < options.accounts; i++) {
        const sim = sims[Math.floor(random() * sims.length)]!;
        const view = (await call('accounts.add', {
          providerId: sim.providerId,
          name: `storm-${i}`,
          ...(sim.providerId === 'oauth2' ? {} : { baseUrl: sim.url }),
          values: grantValues(sim),
        })) as { id: string };
        accounts.push({ id: view.id, sim });
      }
    });
    const byId = new Map(accounts.map((a) => [a.id, a]));

    // Rotation indexes (every simulator logs {at, oldTokenHash, newTokenHash}).
    const byOld = new Map<string, TokenRotation>();
    const byNew = new Map<string, TokenRotation>();
    const indexed = new Map<Simulator, number>();
    const indexRotations = () => {
      for (const sim of sims) {
        const from = indexed.get(sim) ?? 0;
        for (const r of sim.rotations.slice(from)) {
          byOld.set(r.oldTokenHash, r);
          byNew.set(r.newTokenHash, r);
        }
        indexed.set(sim, sim.rotations.length);
      }
    };
    const savedHashes = new Set<string>();
    const lastSaveOf = new Map<string, number>();
    const countedOnDisk = new Set<string>();
    const windows: number[] = [];
    const saveMs: number[] = [];
    const beforeSave: number[] = [];
    const engineBeforeSave: number[] = [];
    const firstRotations: number[] = [];
    const firstSaves: number[] = [];
    const rotationAges: number[] = [];
    let previousRows = new Map<string, string>();
    let previousQuarantined = new Set<string>();

    const rounds = options.kills + (options.gracefulStopAfterMs ? 1 : 0);
    for (let round = 1; round <= rounds; round++) {
      const graceful = round > options.kills;
      const delay = graceful ? options.gracefulStopAfterMs! : killWindowMs[0] + random() * (killWindowMs[1] - killWindowMs[0]);
      const rotationsAtStart = sims.reduce((n, sim) => n + sim.rotations.length, 0);
      const spawnedAt = Date.now();
      const daemon = spawnDaemon(dataDir, daemonFrom);
      probe.start();
      // A kill may land anywhere, start-up included; a graceful stop is timed from when the daemon is up.
      const started = graceful ? await Promise.race([daemon.closed, daemon.ready.then(() => undefined)]) : undefined;
      const early = started ?? (await Promise.race([daemon.closed, sleep(delay).then(() => undefined)]));
      probe.stop();
      const killAt = Date.now();
      if (early) figures.daemonFailures.push(`round ${round}: the daemon exited by itself (code ${early.code}, signal ${early.signal}): ${daemon.stderr().slice(-800)}`);
      else daemon.child.kill(graceful ? 'SIGTERM' : 'SIGKILL');
      const exit = await daemon.closed;
      // A request the daemon wrote just before it died may still sit unread in a simulator's
      // socket: let the simulators serve it (and rotate) before judging the stored tokens.
      await sleep(250);
      const roundLog = parseDaemonLog(daemon.stderr());
      indexRotations();

      // ── refreshes and saves ───────────────────────────────────────────────
      for (const f of roundLog.finished) {
        if (f.outcome === 'ok') figures.refreshes.ok++;
        else {
          figures.refreshes.error++;
          const cls = f.errorClass ?? 'unknown';
          figures.refreshes.errorsByClass[cls] = (figures.refreshes.errorsByClass[cls] ?? 0) + 1;
        }
      }
      for (const w of roundLog.warnings) figures.daemonFailures.push(`round ${round}: ${w}`);
      for (const o of roundLog.other) figures.daemonFailures.push(`round ${round}: unexpected daemon output: ${o.slice(0, 300)}`);
      const firstRotation = Math.min(...sims.map((sim) => sim.rotations.find((r) => r.at >= spawnedAt)?.at ?? Infinity));
      if (Number.isFinite(firstRotation)) firstRotations.push(firstRotation - spawnedAt);
      if (Number.isFinite(firstRotation) && roundLog.saves.length) firstSaves.push(Math.min(...roundLog.saves.map((x) => x.at)) - firstRotation);
      let roundRotationsLogged = 0;
      for (const s of roundLog.saves) {
        figures.saves++;
        savedHashes.add(s.rt);
        lastSaveOf.set(s.accountId, Math.max(lastSaveOf.get(s.accountId) ?? 0, s.at));
        const rotation = s.rotated ? byNew.get(s.rt) : undefined;
        if (rotation) {
          roundRotationsLogged++;
          windows.push(s.at - rotation.at);
          saveMs.push(s.saveMs);
          beforeSave.push(Math.max(0, s.at - rotation.at - s.saveMs));
          if (s.sinceResponseMs !== undefined) engineBeforeSave.push(Math.max(0, s.sinceResponseMs - s.saveMs));
        }
      }

      // ── files ─────────────────────────────────────────────────────────────
      const files = await checkFiles(dataDir);
      figures.files.parseFailures += files.parseFailures.length;
      figures.files.parseFailureDetails.push(...files.parseFailures.map((f) => `round ${round}: ${f}`));
      figures.files.tornTails += files.tornTails;
      figures.files.leftoverTempFiles += files.tempFiles;
      for (const q of files.quarantined) if (!previousQuarantined.has(q)) figures.files.quarantined.push(`round ${round}: ${q}`);
      previousQuarantined = new Set(files.quarantined);

      // ── history ───────────────────────────────────────────────────────────
      for (const [id, key] of previousRows) {
        if (!files.rows.has(id)) {
          figures.history.lostFromDisk++;
          if (figures.history.lostDetails.length < 20) figures.history.lostDetails.push(`round ${round}: row ${id} (${key}) was on disk and is gone`);
        }
      }
      const onDisk = new Map<string, number>();
      for (const key of files.rows.values()) onDisk.set(key, (onDisk.get(key) ?? 0) + 1);
      for (const f of roundLog.finished) {
        const left = onDisk.get(f.key) ?? 0;
        if (left > 0) onDisk.set(f.key, left - 1);
        else {
          figures.history.lostAcknowledged++;
          if (figures.history.lostDetails.length < 20) figures.history.lostDetails.push(`round ${round}: refresh ${f.key} was logged as finished but has no row`);
        }
      }
      // Saved but not (yet) finished at the kill: their rows were in flight, never acknowledged.
      const finishedAccounts = new Map<string, number>();
      for (const f of roundLog.finished) if (f.outcome === 'ok') finishedAccounts.set(f.accountId, (finishedAccounts.get(f.accountId) ?? 0) + 1);
      for (const s of roundLog.saves) {
        const n = finishedAccounts.get(s.accountId) ?? 0;
        if (n > 0) finishedAccounts.set(s.accountId, n - 1);
        else if (!s.retry) figures.history.inFlightAtKill++;
      }
      previousRows = files.rows;

      // ── every stored refresh token against its vendor ─────────────────────
      const stored = await storedRefreshTokens(dataDir, root, accounts.map((a) => a.id));
      if (stored.failure) {
        figures.files.vaultOpenFailures++;
        figures.files.parseFailureDetails.push(`round ${round}: ${stored.failure}`);
        if (!stored.tokens.size) break; // nothing more can be checked
      }
      const bricked: BrickedAccount[] = [];
      let onDiskNotYetLogged = 0;
      for (const account of accounts) {
        const token = stored.tokens.get(account.id);
        const brick = (category: string, detail: string) =>
          bricked.push({ round, accountId: account.id, providerId: account.sim.providerId, category, detail });
        if (!token) {
          brick('unexplained: no refresh token stored', 'the vault holds no refresh token for this account');
          continue;
        }
        const hash = tokenHash(token);
        if (account.sim.isValidRefreshToken(token)) {
          // Counted once: a later round killed before this account refreshed sees the same token again.
          if (byNew.has(hash) && !savedHashes.has(hash) && !countedOnDisk.has(hash)) {
            countedOnDisk.add(hash);
            onDiskNotYetLogged++;
          }
          continue;
        }
        const rotation = byOld.get(hash);
        if (!rotation) {
          brick('unexplained: refused, never rotated', `the simulator refuses ${hash} and never rotated it (expired, revoked or unknown)`);
        } else if (byOld.has(rotation.newTokenHash)) {
          brick('unexplained: a newer token was used', `stored ${hash} was rotated to ${rotation.newTokenHash}, which the daemon presented later: its save was lost`);
        } else if (savedHashes.has(rotation.newTokenHash)) {
          brick('unexplained: acknowledged save lost', `the daemon logged the save of ${rotation.newTokenHash}, yet the vault holds ${hash}`);
        } else if ((lastSaveOf.get(account.id) ?? 0) > rotation.at) {
          brick('unexplained: saved after the rotation', `a save of this account was logged after the rotation at ${rotation.at}, yet the vault holds the retired ${hash}`);
        } else if (rotation.at > exit.at + 1_000) {
          brick('unexplained: rotated long after the daemon died', `rotation at ${rotation.at}, daemon gone at ${exit.at}: who presented the token?`);
        } else {
          rotationAges.push(killAt - rotation.at);
          brick(
            rotation.at > killAt ? 'explained: rotated after the kill signal (request already sent)' : 'explained: killed between rotation and save',
            `rotated ${killAt - rotation.at} ms before the kill, no save of ${rotation.newTokenHash} logged`,
          );
        }
      }
      figures.bricked.maxPerKill = Math.max(figures.bricked.maxPerKill, bricked.length);
      const roundRotations = sims.reduce((n, sim) => n + sim.rotations.length, 0) - rotationsAtStart;
      const accounted = figures.rotationsAccounted;
      accounted.savedAndLogged += roundRotationsLogged;
      accounted.onDiskNotYetLogged += onDiskNotYetLogged;
      accounted.bricked += bricked.length;
      accounted.unaccounted += roundRotations - roundRotationsLogged - onDiskNotYetLogged - bricked.length;
      for (const b of bricked) {
        figures.bricked.byCategory[b.category] = (figures.bricked.byCategory[b.category] ?? 0) + 1;
        if (b.category.startsWith('explained')) figures.bricked.explained++;
        else {
          figures.bricked.unexplained++;
          if (figures.bricked.unexplainedDetails.length < 20) figures.bricked.unexplainedDetails.push(b);
        }
      }
      if (graceful) {
        figures.gracefulStop = {
          exitCode: exit.code,
          bricked: bricked.length,
          lostAcknowledged: figures.history.lostAcknowledged,
        };
      }

      // ── re-seed what was bricked, as a user re-authorising would ──────────
      if (bricked.length && !graceful) {
        await withOwner(dataDir, async (call) => {
          for (const b of bricked) {
            await call('accounts.update', { account: b.accountId, values: grantValues(byId.get(b.accountId)!.sim) });
            figures.bricked.reseeded++;
          }
        });
      }

      log(
        `round ${String(round).padStart(3)}${graceful ? ' (SIGTERM)' : ''}: ${graceful ? 'stopped' : 'killed'} after ${Math.round(delay)} ms; ` +
          `${roundLog.finished.length} refreshes, ${roundLog.saves.length} saves; bricked ${bricked.length}` +
          (bricked.length ? ` (${Object.entries(countBy(bricked.map((b) => b.category.split(':')[0]!))).map(([k, n]) => `${n} ${k}`).join(', ')})` : '') +
          `; parse failures ${files.parseFailures.length}, torn tails ${files.tornTails}, history rows ${files.rows.size}`,
      );
    }

    figures.rotations = sims.reduce((n, s) => n + s.rotations.length, 0);
    figures.history.rowsAtEnd = previousRows.size;
    figures.bricked.rotationAgeAtKillMs = stats(rotationAges);
    figures.startup = { firstRotationMs: stats(firstRotations), firstSaveAfterFirstRotationMs: stats(firstSaves) };
    figures.saveWindowMs = {
      ...stats(windows),
      saveMs: stats(saveMs),
      beforeSaveMs: stats(beforeSave),
      engineBeforeSaveMs: stats(engineBeforeSave),
      fsyncProbeIdleMs: stats(probe.idle),
      fsyncProbeUnderLoadMs: stats(probe.loaded),
    };
  } finally {
    await Promise.all(sims.map((s) => s.close()));
    figures.durationMs = Math.round(performance.now() - started);
    if (options.keepDataDir) figures.dataDir = dataDir;
    else await rm(root, { recursive: true, force: true });
  }
  return figures;
}

/** Prints the figures as a few readable lines. */
export function describeFigures(f: CrashStormFigures): string[] {
  const s = (x: Stats) => `p50 ${x.p50} / p99 ${x.p99} / max ${x.max} ms (n=${x.count})`;
  return [
    `crash storm, seed ${f.seed}: ${f.scale.kills} kills × ${f.scale.accounts} accounts on ${f.scale.simulators} simulators, ${(f.durationMs / 1000).toFixed(1)} s (${f.machine.cpus} cpus, load ${f.machine.loadavg1})`,
    `  refreshes ok ${f.refreshes.ok}, errors ${f.refreshes.error} ${JSON.stringify(f.refreshes.errorsByClass)}; rotations ${f.rotations}; saves logged ${f.saves}`,
    `  rotations accounted: ${f.rotationsAccounted.savedAndLogged} saved and logged, ${f.rotationsAccounted.onDiskNotYetLogged} on disk but killed before the save was acknowledged, ${f.rotationsAccounted.bricked} bricked, ${f.rotationsAccounted.unaccounted} unaccounted`,
    `  bricked: ${f.bricked.explained} explained, ${f.bricked.unexplained} unexplained, ${f.bricked.reseeded} re-seeded, at most ${f.bricked.maxPerKill} in one kill ${JSON.stringify(f.bricked.byCategory)}`,
    `  explained bricks: rotation age at the kill ${s(f.bricked.rotationAgeAtKillMs)}`,
    `  files: ${f.files.parseFailures} parse failures, ${f.files.vaultOpenFailures} vault open failures, ${f.files.tornTails} torn tails (unacknowledged appends), ${f.files.quarantined.length} quarantined, ${f.files.leftoverTempFiles} leftover temp files`,
    `  history: ${f.history.rowsAtEnd} rows at the end, ${f.history.lostFromDisk} lost from disk, ${f.history.lostAcknowledged} acknowledged rows lost, ${f.history.inFlightAtKill} in flight at a kill (never acknowledged)`,
    `  save window (rotation → durable save): ${s(f.saveWindowMs)}`,
    `    of which the durable write: ${s(f.saveWindowMs.saveMs)}; before it: ${s(f.saveWindowMs.beforeSaveMs)} (the engine's own part: ${s(f.saveWindowMs.engineBeforeSaveMs)})`,
    `    the disk alone (append 2 KiB + fsync, timed synchronously): idle ${s(f.saveWindowMs.fsyncProbeIdleMs)}; during the storms ${s(f.saveWindowMs.fsyncProbeUnderLoadMs)}`,
    `  restarts: spawn → first rotation ${s(f.startup.firstRotationMs)}; first rotation → first save ${s(f.startup.firstSaveAfterFirstRotationMs)}`,
    ...(f.gracefulStop ? [`  graceful stop (SIGTERM): exit ${f.gracefulStop.exitCode}, bricked ${f.gracefulStop.bricked}`] : []),
    ...(f.daemonFailures.length ? [`  daemon trouble: ${f.daemonFailures.slice(0, 5).join(' | ')}`] : []),
    ...f.bricked.unexplainedDetails.slice(0, 5).map((b) => `  UNEXPLAINED round ${b.round} ${b.providerId} ${b.accountId}: ${b.category}: ${b.detail}`),
    ...f.history.lostDetails.slice(0, 5).map((d) => `  HISTORY ${d}`),
    ...f.files.parseFailureDetails.slice(0, 5).map((d) => `  FILE ${d}`),
  ];
}

/** test-results/reliability/crash-storm.json (the latest run), and a copy named by its size so a full run is not overwritten by CI's short one. */
export async function writeFigures(f: CrashStormFigures, dir = path.join(ROOT, 'test-results/reliability')): Promise<string> {
  await mkdir(dir, { recursive: true });
  const text = JSON.stringify(f, null, 2) + '\n';
  const file = path.join(dir, 'crash-storm.json');
  await writeFile(file, text);
  await writeFile(path.join(dir, `crash-storm-${f.scale.accounts}x${f.scale.kills}.json`), text);
  return file;
}
