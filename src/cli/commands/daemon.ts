// `tokendesk daemon`: declares the command; src/cli/daemon.ts runs the owner.
import type { Command } from 'commander';
import { dataDirOf } from './common.js';

export function registerDaemon(program: Command): void {
  program
    .command('daemon')
    .description('own the data dir and refresh in the background until SIGTERM/SIGINT')
    .option('--demo', 'simulated providers and a separate demo data dir (not --data-dir): see TokenDesk work with no credentials')
    .option('--log-saves', 'log one line per durable token save to stderr (time, account id, sha256 prefix of the saved refresh token; no secret)')
    .action(async (opts: { demo?: boolean; logSaves?: boolean }, cmd: Command) => {
      // Loaded when run: the other commands' start-up never pays for the owner's code.
      const { runDaemon } = await import('../daemon.js');
      await runDaemon(dataDirOf(cmd), undefined, { demo: opts.demo, logSaves: opts.logSaves });
    });
}
