// `tokendesk serve`: owns the data dir like `daemon` and serves the dashboard to a browser
// on this machine (src/main/core/owner/web-server.ts has the security design). Prints the
// dashboard's URL (with its per-run secret) on stdout, alone on a line; logs go to stderr.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { events as contractEvents, type EventName } from '../shared/contract.js';
import type { Demo } from '../main/core/demo.js';
import { ContractError } from '../main/core/contract.js';
import { headlessKeyWrapper } from '../main/core/owner/headless-key.js';
import { Owner, type OwnerOptions } from '../main/core/owner/owner.js';
import { WebServer } from '../main/core/owner/web-server.js';
import { storageReportLines } from './format.js';
import { trimHeapWhenIdle } from './heap-trim.js';

export interface ServeOptions {
  port: number;
  host: '127.0.0.1';
  /** The built renderer; found next to the CLI bundle (out/renderer) when absent. */
  rendererDir?: string;
  /** Demo mode (src/main/core/demo.ts): simulators in-process and the demo data dir instead of `dataDir`. */
  demo?: boolean;
}

/** out/renderer, seen from the bundled CLI (out/main/cli.js, or the chunk this module is bundled in: out/main/chunks/) or from the sources (src/cli). */
export function defaultRendererDir(): string {
  const candidates = ['../renderer/', '../../renderer/', '../../out/renderer/'].map((relative) => fileURLToPath(new URL(relative, import.meta.url)));
  return candidates.find((dir) => existsSync(`${dir}index.html`)) ?? candidates[0]!;
}

export async function runServe(
  dataDir: string,
  options: ServeOptions,
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<void> {
  const rendererDir = options.rendererDir ?? defaultRendererDir();
  if (!existsSync(`${rendererDir}/index.html`)) {
    throw new ContractError('invalid_input', `The dashboard is not built (no ${rendererDir}/index.html); run \`npm run build\` first`);
  }
  const demoBeside = new DemoBeside(dataDir, rendererDir, options.host, log);
  // Refuses (owner_busy, exit 7) when another owner — the app, a daemon, another serve — runs.
  const { owner, close } = await openOwner(dataDir, options.demo ?? false, () => demoBeside.start());
  let web: WebServer;
  try {
    web = await serveDashboard(owner, { rendererDir, port: options.port, host: options.host, log });
  } catch (err) {
    await close();
    throw err;
  }
  if (options.demo) log(`tokendesk serve: DEMO — simulated providers on 127.0.0.1, demo data dir ${owner.dataDir} (your real data dir is not touched)`);
  for (const line of storageReportLines(owner.storageReports)) log(`tokendesk serve: ${line}`);
  log(`tokendesk serve: pid ${process.pid}, ${owner.engine.size} accounts, data dir ${owner.dataDir}`);
  log('tokendesk serve: open the dashboard at the URL below (it carries a secret: do not share it); Ctrl-C stops');
  out(web.url);
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      log(`tokendesk serve: ${signal}, stopping`);
      resolve();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await web.close();
  await demoBeside.close();
  await close();
  log('tokendesk serve: stopped');
}

/** Logs the owner's refreshes and serves its dashboard on `port` (0: any free one). */
async function serveDashboard(owner: Owner, options: { rendererDir: string; port: number; host: '127.0.0.1'; log: (line: string) => void; prefix?: string }): Promise<WebServer> {
  const { log, prefix = '' } = options;
  owner.engine.on('warning', ({ message }) => log(`${prefix}warning: ${message}`));
  owner.engine.on('refresh-finished', ({ event }) => {
    log(`${prefix}${new Date(event.at).toISOString()} ${event.accountId} ${event.trigger} ${event.outcome}${event.errorClass ? ` ${event.errorClass}` : ''}`);
  });
  const web = new WebServer({
    router: owner.router,
    events: owner.engine as unknown as ConstructorParameters<typeof WebServer>[0]['events'],
    eventNames: Object.keys(contractEvents) as EventName[],
    rendererDir: options.rendererDir,
    port: options.port,
    host: options.host,
    log: (line) => log(`tokendesk serve: ${prefix}${line}`),
  });
  try {
    await web.listen();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new ContractError('conflict', `Port ${options.port} on ${options.host} is in use; choose another with --port, or --port 0 for any free one`);
    }
    throw err;
  }
  return web;
}

/**
 * The dashboard's "Explore the demo" under `serve`: a demo session (its own simulators, demo
 * data dir and owner) with a second dashboard on a free port, started on the first request and
 * stopped with this serve. The real session keeps running beside it.
 */
class DemoBeside {
  private running?: Promise<{ demo: Demo; web: WebServer }>;

  constructor(
    private readonly realDataDir: string,
    private readonly rendererDir: string,
    private readonly host: '127.0.0.1',
    private readonly log: (line: string) => void,
  ) {}

  async start(): Promise<{ kind: 'url'; url: string }> {
    this.running ??= this.open().catch((err: unknown) => {
      this.running = undefined; // a later click tries again (e.g. once another demo has stopped)
      throw err;
    });
    const { web } = await this.running;
    return { kind: 'url', url: web.url };
  }

  private async open(): Promise<{ demo: Demo; web: WebServer }> {
    const demo = await loadDemo().then(({ startDemo }) => startDemo({ realDataDir: this.realDataDir }));
    try {
      const web = await serveDashboard(demo.owner, { rendererDir: this.rendererDir, port: 0, host: this.host, log: this.log, prefix: 'demo: ' });
      this.log(`tokendesk serve: demo started from the dashboard — simulated providers, demo data dir ${demo.dataDir}`);
      return { demo, web };
    } catch (err) {
      await demo.close();
      throw err;
    }
  }

  async close(): Promise<void> {
    const running = await this.running?.catch(() => undefined);
    this.running = undefined;
    if (!running) return;
    await running.web.close();
    await running.demo.close();
  }
}

/** The demo and its simulators, loaded only when asked for: every other start skips compiling them. */
const loadDemo = () => import('../main/core/demo.js');

/**
 * The owner of `dataDir`; in demo mode the demo's instead (its close() also stops the
 * simulators), and `dataDir` — the real one — is only what the demo refuses to use.
 */
export async function openOwner(
  dataDir: string,
  demo: boolean,
  startDemoBeside?: OwnerOptions['startDemo'],
): Promise<{ owner: Owner; close: () => Promise<void> }> {
  const opened = demo ? await openDemo(dataDir) : await openReal(dataDir, startDemoBeside);
  trimHeapWhenIdle();
  return opened;
}

async function openDemo(realDataDir: string): Promise<{ owner: Owner; close: () => Promise<void> }> {
  const session = await (await loadDemo()).startDemo({ realDataDir });
  return { owner: session.owner, close: () => session.close() };
}

async function openReal(dataDir: string, startDemoBeside?: OwnerOptions['startDemo']): Promise<{ owner: Owner; close: () => Promise<void> }> {
  const owner = await Owner.open({ dataDir, keyWrapper: () => headlessKeyWrapper(dataDir), schedule: true, startDemo: startDemoBeside });
  return { owner, close: () => owner.close() };
}
