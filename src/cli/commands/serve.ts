// `tokendesk serve`: declares the command; src/cli/serve.ts runs the owner and the web server.
import { type Command, InvalidArgumentError, Option } from 'commander';
import { dataDirOf } from './common.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('own the data dir like daemon and serve the dashboard to a browser on this machine; prints its URL')
    .option('--port <port>', 'TCP port on 127.0.0.1 (0 = any free port)', parsePort, 0)
    .addOption(new Option('--host <host>', 'address to bind: loopback only, so the dashboard never leaves this machine').choices(['127.0.0.1']).default('127.0.0.1'))
    .option('--demo', 'simulated providers and a separate demo data dir (not --data-dir): see TokenDesk work with no credentials')
    .action(async (opts: { port: number; host: '127.0.0.1'; demo?: boolean }, cmd: Command) => {
      const { runServe } = await import('../serve.js');
      await runServe(dataDirOf(cmd), { port: opts.port, host: opts.host, demo: opts.demo });
    });
}

function parsePort(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65_535) throw new InvalidArgumentError('expected a port number from 0 to 65535');
  return Number(value);
}
