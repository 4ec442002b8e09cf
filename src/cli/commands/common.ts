// What several commands share: writing to stdout, running a command's work against the data
// dir's owner, and option parsers.
import { type Command, InvalidArgumentError } from 'commander';
import { resolveDataDir } from '../../main/core/storage/data-dir.js';
import { withApi, type Api } from '../connect.js';

interface GlobalOptions {
  dataDir?: string;
}

export const out = (text: string): void => {
  process.stdout.write(text);
};

export const json = (value: unknown): void => out(`${JSON.stringify(value, null, 2)}\n`);

/** The data dir for this invocation: `--data-dir`, else $TOKENDESK_HOME, else the per-user default. */
export function dataDirOf(cmd: Command): string {
  const { dataDir } = cmd.optsWithGlobals<GlobalOptions>();
  return resolveDataDir({ dataDir, env: process.env });
}

/** A commander action that runs `work` against the owner; commander passes the command last. */
export function run<T extends unknown[]>(work: (api: Api, ...args: T) => Promise<void>) {
  return async (...args: T) => {
    const cmd = args[args.length - 1] as Command;
    await withApi(dataDirOf(cmd), (api) => work(api, ...args));
  };
}

export function parseSeconds(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number of seconds');
  return Number(value);
}
