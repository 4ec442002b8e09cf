// Starts the real `tokendesk serve` (the built CLI, plain node) on a temp data dir and
// talks to it like the browser does: a WebSocket client for seeding and checking.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import type { AccountView, CallName, CallOutput } from '../../../src/shared/contract.js';
import type { Simulator } from '../../../src/simulators/index.js';

export const E2E_PASSPHRASE = 'e2e correct horse battery staple';
const CLI = path.resolve('out/main/cli.js');

export interface Served {
  url: string;
  origin: string;
  port: number;
  secret: string;
  dataDir: string;
  proc: ChildProcess;
  /** Everything the process wrote on stderr so far (its log). */
  log: () => string;
  call<N extends CallName>(method: N, params?: unknown): Promise<CallOutput<N>>;
  /** Stops the server (SIGTERM), waits for it to exit, removes the data dir unless kept. */
  stop(options?: { keepDataDir?: boolean }): Promise<number | null>;
}

export async function startServe(options: { dataDir?: string; args?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<Served> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'tokendesk-e2e-')));
  const proc = spawn(process.execPath, [CLI, '--data-dir', dataDir, 'serve', '--port', '0', ...(options.args ?? [])], {
    env: { ...process.env, TOKENDESK_PASSPHRASE: E2E_PASSPHRASE, TOKENDESK_HOME: dataDir, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`tokendesk serve printed no URL within 20 s; stderr:\n${stderr}`)), 20_000);
    proc.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /^(http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]+\/)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tokendesk serve exited with ${code}; stderr:\n${stderr}`));
    });
  });
  const parsed = new URL(url);
  const secret = parsed.pathname.split('/')[1]!;
  const client = await WsClient.connect(`ws://127.0.0.1:${parsed.port}/${secret}/ws`);
  return {
    url,
    origin: parsed.origin,
    port: Number(parsed.port),
    secret,
    dataDir,
    proc,
    log: () => stderr,
    call: (method, params) => client.call(method, params),
    async stop({ keepDataDir = false } = {}) {
      client.close();
      const exited = new Promise<number | null>((resolve) => {
        if (proc.exitCode !== null) resolve(proc.exitCode);
        else proc.once('exit', (code) => resolve(code));
      });
      proc.kill('SIGTERM');
      const code = await exited;
      // `npm test` keeps data dirs for its closing leak scan (scripts/test-all.sh removes them after).
      if (!keepDataDir && !options.dataDir && process.env['TOKENDESK_KEEP_TEST_DIRS'] !== '1') await rm(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

export class WsClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly events: { event: string; payload: unknown }[] = [];

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { id?: number; ok?: boolean; result?: unknown; error?: { code: string; message: string }; event?: string; payload?: unknown };
      if (msg.event) {
        this.events.push({ event: msg.event, payload: msg.payload });
        return;
      }
      const p = typeof msg.id === 'number' ? this.pending.get(msg.id) : undefined;
      if (!p) return;
      this.pending.delete(msg.id!);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(Object.assign(new Error(`${msg.error?.code}: ${msg.error?.message}`), { code: msg.error?.code }));
    });
    ws.on('close', () => {
      for (const p of this.pending.values()) p.reject(new Error('connection closed'));
      this.pending.clear();
    });
  }

  static connect(url: string, headers: Record<string, string> = {}): Promise<WsClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      ws.once('open', () => resolve(new WsClient(ws)));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  call<N extends CallName>(method: N, params: unknown = {}): Promise<CallOutput<N>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.ws.close();
  }
}

/** Adds an account with the tokens a simulator just issued (no access token: the first refresh gets one). */
export async function addFromSimulator(
  served: Pick<Served, 'call'>,
  sim: Simulator,
  name: string,
  extra: Record<string, unknown> = {},
  options: { keepAccessToken?: boolean } = {},
): Promise<AccountView> {
  const grant = sim.issue();
  const { access_token: accessToken, ...values } = { ...grant.settings, ...grant.secrets };
  return served.call('accounts.add', {
    providerId: sim.providerId,
    name,
    baseUrl: sim.providerId === 'oauth2' ? undefined : sim.url,
    values: options.keepAccessToken ? { ...values, access_token: accessToken } : values,
    ...(options.keepAccessToken ? { accessTokenExpiresInSeconds: grant.expiresIn } : {}),
    ...extra,
  });
}
