// `tokendesk daemon`: owns the data dir with no UI until SIGTERM/SIGINT, then
// stops cleanly (refreshes in flight are saved, the lock is released).
// With `--demo` it owns the demo data dir with the simulators instead (src/main/core/demo.ts).
// With `--log-saves` it logs one line per durable token save (no secret: the refresh
// token appears as a sha256 prefix, the fingerprint the simulators log at rotation).
import type { TokensSaved } from '../main/core/engine/types.js';
import { storageReportLines } from './format.js';
import { openOwner } from './serve.js';

export async function runDaemon(
  dataDir: string,
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
  options: { demo?: boolean; logSaves?: boolean } = {},
): Promise<void> {
  const { owner, close } = await openOwner(dataDir, options.demo ?? false);
  owner.engine.on('warning', ({ message }) => log(`warning: ${message}`));
  if (options.logSaves) owner.engine.on('tokens-saved', (saved) => log(formatSave(saved)));
  owner.engine.on('refresh-finished', ({ event }) => {
    log(`${new Date(event.at).toISOString()} ${event.accountId} ${event.trigger} ${event.outcome}${event.errorClass ? ` ${event.errorClass}` : ''}${event.message ? `: ${event.message}` : ''}`);
  });
  for (const line of storageReportLines(owner.storageReports)) log(line);
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

/**
 * `saved <ISO time> <account id> rt=<sha256 prefix|-> rotated=<yes|no|-> save_ms=<n> since_response_ms=<n|->[ retry]`:
 * written once the save is durable, so a line that reached the log is a save that happened.
 */
export function formatSave(saved: TokensSaved): string {
  const flag = (value: boolean | undefined) => (value === undefined ? '-' : value ? 'yes' : 'no');
  const ms = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(1));
  return `saved ${new Date(saved.at).toISOString()} ${saved.accountId} rt=${saved.refreshTokenHash ?? '-'} rotated=${flag(saved.rotated)} save_ms=${ms(saved.saveMs)} since_response_ms=${ms(saved.sinceResponseMs)}${saved.retry ? ' retry' : ''}`;
}
