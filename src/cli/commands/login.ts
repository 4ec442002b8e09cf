// `tokendesk login`: sign an account in — in the system browser (authorization code + PKCE,
// loopback redirect), or with a code entered on another device (--device). With --json it
// prints one JSON object per line: {"event":"open","url"} before it waits on the browser,
// {"event":"device","verificationUri","userCode","expiresIn"} for a device code, and
// {"event":"done","account"} at the end. `add --login` uses signIn() too.
import type { Command } from 'commander';
import type { SignInInfo } from '../../shared/contract.js';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { ContractError } from '../../main/core/contract.js';
import { promptHidden } from '../../main/core/vault/prompt.js';
import type { Api } from '../connect.js';
import { printable } from '../format.js';
import { out, parseSeconds, run } from './common.js';

export interface LoginOptions {
  browser?: boolean;
  device?: boolean;
  /** Password sign-in (PathStack, Vault.ist): the user name here, the password from stdin or a prompt. */
  password?: boolean;
  username?: string;
  timeout?: number;
  json?: boolean;
}

const line = (value: unknown): void => out(`${JSON.stringify(value)}\n`);

/** Opens the URL in the user's browser; false when there is none to open (a server, a container). */
async function openBrowser(url: string): Promise<boolean> {
  try {
    const { default: open } = await import('open');
    const child = await open(url);
    return await new Promise<boolean>((resolve) => {
      child.once('error', () => resolve(false));
      child.once('spawn', () => resolve(true));
    });
  } catch {
    return false;
  }
}

function announce(info: SignInInfo, opts: LoginOptions, now = Date.now()): void {
  if (info.method === 'password') return;
  if (info.method === 'browser') {
    if (opts.json) return line({ event: 'open', url: info.url });
    out(`Open this page to sign in (TokenDesk waits for the browser to come back to ${new URL(info.redirectUri).host}):\n${info.url}\n`);
    return;
  }
  const expiresIn = Math.max(0, Math.round((info.expiresAt - now) / 1000));
  if (opts.json) return line({ event: 'device', verificationUri: info.verificationUri, userCode: info.userCode, expiresIn });
  out(`On any device, open ${info.verificationUri}\nand enter the code ${info.userCode} (it expires in ${Math.ceil(expiresIn / 60)} min).\n`);
}

/** Starts a sign-in for `account`, says what to do, waits; throws a contract error when it does not succeed. */
export async function signIn(api: Api, account: string, opts: LoginOptions): Promise<void> {
  const credentials = opts.password ? await readCredentials(opts) : undefined;
  const info = await api.call('signin.start', {
    account,
    method: opts.password ? 'password' : opts.device ? 'device' : 'browser',
    ...(opts.timeout !== undefined ? { timeoutSeconds: opts.timeout } : {}),
    ...(credentials ? { credentials } : {}),
  });
  announce(info, opts);
  if (info.method === 'browser' && opts.browser !== false && !(await openBrowser(info.url)) && !opts.json) {
    out('(No browser could be opened here: open the page above yourself.)\n');
  }
  // Ctrl-C cancels the sign-in at the owner too, so its listener does not wait on.
  const onInterrupt = () => void api.call('signin.cancel', { sessionId: info.sessionId }).catch(() => undefined);
  process.once('SIGINT', onInterrupt);
  try {
    const { account: view } = await api.call('signin.wait', { sessionId: info.sessionId });
    if (opts.json) line({ event: 'done', account: view });
    else out(`${printable(view.name)}: signed in${view.expiresAt !== undefined ? `; the access token is good until ${new Date(view.expiresAt).toLocaleTimeString()}` : ''}\n`);
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

/** The user name from --username, the password from the first line of stdin or a hidden prompt: never from the command line. */
async function readCredentials(opts: LoginOptions): Promise<{ username: string; password: string }> {
  if (process.stdin.isTTY) {
    const username = opts.username ?? (await promptLine('User name: '));
    return { username, password: await promptHidden('Password: ') };
  }
  if (!opts.username) throw new ContractError('invalid_input', '--password needs --username NAME (the password is read from stdin)');
  const password = readFileSync(0, 'utf8').split(/\r?\n/)[0] ?? '';
  if (!password) throw new ContractError('invalid_input', 'expected the password on the first line of stdin');
  return { username: opts.username, password };
}

function promptLine(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  return new Promise((resolve) => rl.question(question, (answer) => (rl.close(), resolve(answer.trim()))));
}

export function addLoginOptions(command: Command): Command {
  return command
    .option('--no-browser', 'print the sign-in URL without opening a browser')
    .option('--device', 'sign in with a code entered on another device (RFC 8628)')
    .option('--password', 'sign in with a user name and password (PathStack, Vault.ist; the password from stdin or a prompt)')
    .option('--username <name>', 'the user name (or email) for --password')
    .option('--timeout <seconds>', 'how long to wait for the sign-in (default 300)', parseSeconds);
}

export function registerLogin(program: Command): void {
  addLoginOptions(
    program
      .command('login')
      .description('sign an account in: in the browser, or with a code on another device; stores the tokens it gets')
      .argument('<name>', 'account name or id'),
  )
    .option('--json', 'one JSON object per line: {"event":"open"|"device"|"done", …}')
    .action(run(async (api, name: string, opts: LoginOptions) => signIn(api, name, opts)));
}
