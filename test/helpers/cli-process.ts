// The built `tokendesk` CLI as a user runs it, for integration tests: a command as a real
// process, a daemon owning a data dir, an account added with its secrets through stdin.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Simulator } from '../../src/simulators/index.js';
import { waitFor } from './temp-owner.js';

export const CLI = path.resolve('bin/tokendesk.js');
export const CLI_PASSPHRASE = 'cli test passphrase';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cliEnv(dataDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, TOKENDESK_HOME: dataDir, TOKENDESK_PASSPHRASE: CLI_PASSPHRASE, ...extra };
}

/** Runs `node ENTRY ARGS…` (ENTRY: bin/tokendesk.js unless given) to its end. */
export function runCli(dataDir: string, args: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv; entry?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.entry ?? CLI, ...args], { env: cliEnv(dataDir, options.env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

export interface Daemon {
  child: ChildProcess;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** `tokendesk daemon` on `dataDir`, resolved once its socket answers to connections. */
export async function startCliDaemon(dataDir: string): Promise<Daemon> {
  const child = spawn(process.execPath, [CLI, 'daemon'], { env: cliEnv(dataDir), stdio: ['ignore', 'ignore', 'ignore'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  await waitFor('the daemon socket', () => existsSync(path.join(dataDir, 'owner.sock')), 15_000);
  return { child, exited, stop };
}

/** `tokendesk add` with every secret passed through stdin (FIELD=-), as the README advises. */
export function addCliAccount(dataDir: string, s: Simulator, name: string): Promise<CliResult> {
  const grant = s.issue();
  const { access_token: _a, ...secrets } = grant.secrets;
  const args = ['add', s.providerId, '--name', name];
  if (s.providerId !== 'oauth2') args.push('--base-url', s.url);
  for (const [k, v] of Object.entries(grant.settings)) args.push('--set', `${k}=${v}`);
  for (const k of Object.keys(secrets)) args.push('--set', `${k}=-`);
  return runCli(dataDir, args, { stdin: Object.values(secrets).join('\n') + '\n' });
}
