// `tokendesk daemon`: owns the data dir with no UI until SIGTERM/SIGINT, then
// stops cleanly (refreshes in flight are saved, the lock is released).
// With `--demo` it owns the demo data dir with the simulators instead (src/main/core/demo.ts).
import { openOwner } from './serve.js';

export async function runDaemon(
  dataDir: string,
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
  options: { demo?: boolean } = {},
): Promise<void> {
  const { owner, close } = await openOwner(dataDir, options.demo ?? false);
  owner.engine.on('warning', ({ message }) => log(`warning: ${message}`));
  owner.engine.on('refresh-finished', ({ event }) => {
    log(`${new Date(event.at).toISOString()} ${event.accountId} ${event.trigger} ${event.outcome}${event.errorClass ? ` ${event.errorClass}` : ''}${event.message ? `: ${event.message}` : ''}`);
  });
  if (options.demo) log(`tokendesk daemon: DEMO — simulated providers on 127.0.0.1, demo data dir ${owner.dataDir} (your real data dir is not touched)`);
  const next = owner.engine.nextDeadline();
  log(`tokendesk daemon: pid ${process.pid}, ${owner.engine.size} accounts, data dir ${owner.dataDir}${next ? `, next refresh ${new Date(next).toISOString()}` : ''}`);
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      log(`tokendesk daemon: ${signal}, stopping`);
      resolve();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await close();
  log('tokendesk daemon: stopped');
}
