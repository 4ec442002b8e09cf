// The `tokendesk` command line: the headless CLI (plain Node, never Electron). One-shot commands talk
// to the data dir's owner; `daemon` is an owner with no UI. Each command lives in commands/<name>.ts.
import { Command, CommanderError } from 'commander';
import { TOKENDESK_VERSION } from '../shared/version.js';
import { ContractError } from '../main/core/contract.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { printable } from './format.js';
import { registerAdd } from './commands/add.js';
import { registerDaemon } from './commands/daemon.js';
import { registerExec } from './commands/exec.js';
import { registerHistory } from './commands/history.js';
import { registerList } from './commands/list.js';
import { registerLogin } from './commands/login.js';
import { registerPauseResume } from './commands/pause-resume.js';
import { registerProviders } from './commands/providers.js';
import { registerRefresh } from './commands/refresh.js';
import { registerRemove } from './commands/remove.js';
import { registerRevoke } from './commands/revoke.js';
import { registerServe } from './commands/serve.js';
import { registerTeam } from './commands/team.js';
import { registerToken } from './commands/token.js';
import { registerVault } from './commands/vault.js';

/** The commands in the order `--help` lists them. */
const COMMANDS: ((program: Command) => void)[] = [
  registerProviders,
  registerAdd,
  registerLogin,
  registerList,
  registerRefresh,
  registerToken,
  registerExec,
  registerHistory,
  registerRevoke,
  registerRemove,
  registerPauseResume,
  registerVault,
  registerTeam,
  registerDaemon,
  registerServe,
];

export function buildProgram(): Command {
  const program = new Command('tokendesk')
    .description('Keeps API access tokens alive. Docs: README.md')
    .version(TOKENDESK_VERSION)
    .option('--data-dir <dir>', 'data directory (default: $TOKENDESK_HOME, else the per-user config dir)')
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

export async function main(argv = process.argv): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    // A command that passes on another process's exit code (`exec`) leaves it here.
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are successes; every other parse problem is a usage error (already printed).
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    // A client's errors are ContractErrors; the rest (one-shot path) need the router's mapping.
    const wire = err instanceof ContractError ? err.toWire() : (await import('../main/core/owner/router.js')).toWireError(err);
    process.stderr.write(`tokendesk: ${printable(wire.message)}\n`);
    return exitCodeFor(wire.code);
  }
}
