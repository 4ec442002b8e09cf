// `tokendesk daemon`: owns the data dir with no UI until SIGTERM/SIGINT, then
// stops cleanly (refreshes in flight are saved, the lock is released).
import { headlessKeyWrapper } from '../main/core/owner/headless-key.js';
import { Owner } from '../main/core/owner/owner.js';

export async function runDaemon(dataDir: string, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<void> {
  const owner = await Owner.open({ dataDir, keyWrapper: () => headlessKeyWrapper(dataDir), schedule: true });
  owner.engine.on('warning', ({ message }) => log(`warning: ${message}`));
  owner.engine.on('refresh-finished', ({ event }) => {
    log(`${new Date(event.at).toISOString()} ${event.accountId} ${event.trigger} ${event.outcome}${event.errorClass ? ` ${event.errorClass}` : ''}${event.message ? `: ${event.message}` : ''}`);
  });
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
  await owner.close();
  log('tokendesk daemon: stopped');
}
