// `tokendesk serve`: owns the data dir like `daemon` and serves the dashboard to a browser
// on this machine (src/main/core/owner/web-server.ts has the security design). Prints the
// dashboard's URL (with its per-run secret) on stdout, alone on a line; logs go to stderr.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { events as contractEvents, type EventName } from '../shared/contract.js';
import { ContractError } from '../main/core/owner/errors.js';
import { headlessKeyWrapper } from '../main/core/owner/headless-key.js';
import { Owner } from '../main/core/owner/owner.js';
import { WebServer } from '../main/core/owner/web-server.js';

export interface ServeOptions {
  port: number;
  host: '127.0.0.1';
  /** The built renderer; found next to the CLI bundle (out/renderer) when absent. */
  rendererDir?: string;
}

/** out/renderer, seen from the bundled CLI (out/main/cli.js) or from the sources (src/cli). */
export function defaultRendererDir(): string {
  const candidates = [new URL('../renderer/', import.meta.url), new URL('../../out/renderer/', import.meta.url)].map((u) => fileURLToPath(u));
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
  // Refuses (owner_busy, exit 7) when another owner — the app, a daemon, another serve — runs.
  const owner = await Owner.open({ dataDir, keyWrapper: () => headlessKeyWrapper(dataDir), schedule: true });
  const web = new WebServer({
    router: owner.router,
    events: owner.engine as unknown as ConstructorParameters<typeof WebServer>[0]['events'],
    eventNames: Object.keys(contractEvents) as EventName[],
    rendererDir,
    port: options.port,
    host: options.host,
    log: (line) => log(`tokendesk serve: ${line}`),
  });
  try {
    await web.listen();
  } catch (err) {
    await owner.close();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new ContractError('conflict', `Port ${options.port} on ${options.host} is in use; choose another with --port, or --port 0 for any free one`);
    }
    throw err;
  }
  owner.engine.on('warning', ({ message }) => log(`warning: ${message}`));
  owner.engine.on('refresh-finished', ({ event }) => {
    log(`${new Date(event.at).toISOString()} ${event.accountId} ${event.trigger} ${event.outcome}${event.errorClass ? ` ${event.errorClass}` : ''}`);
  });
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
  await owner.close();
  log('tokendesk serve: stopped');
}
