// `tokendesk exec`'s thin parent: runs the command with stdin/stdout/stderr inherited (never
// read or buffered here), forwards the signals a supervisor sends to tokendesk, and returns
// the child's exit code — 128+N when the child died of signal N, as a shell reports it.
// README "Running a command with tokens" has the rules; docs/ARCHITECTURE.md "Headless and CLI" why.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';

/** Forwarded to the child. SIGQUIT too: Ctrl-\ would otherwise kill tokendesk and orphan the child. */
export const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;
type Forwarded = (typeof FORWARDED_SIGNALS)[number];

/** Signals a terminal sends to its whole foreground process group (Ctrl-C, Ctrl-\, hangup). */
const TERMINAL_SIGNALS: ReadonlySet<Forwarded> = new Set(['SIGINT', 'SIGQUIT', 'SIGHUP']);

export const EXIT_NOT_FOUND = 127;
export const EXIT_NOT_EXECUTABLE = 126;

/**
 * True when this process is in the foreground process group of its controlling terminal: a
 * Ctrl-C there reaches the child (same group) straight from the terminal, so forwarding it
 * would deliver it twice. Linux: /proc/self/stat; macOS and BSD: ps; elsewhere: false.
 */
export function inTerminalForeground(): boolean {
  try {
    if (process.platform === 'linux') {
      const stat = readFileSync('/proc/self/stat', 'utf8');
      // pid (comm) state ppid pgrp session tty_nr tpgid …; comm may contain spaces and parentheses.
      const [, , pgrp, , ttyNr, tpgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
      return ttyNr !== 0 && tpgid !== undefined && tpgid > 0 && tpgid === pgrp;
    }
    if (process.platform === 'darwin' || process.platform.endsWith('bsd')) {
      const [pgid, tpgid] = execFileSync('ps', ['-o', 'pgid=,tpgid=', '-p', String(process.pid)], { encoding: 'utf8' }).trim().split(/\s+/).map(Number);
      return tpgid !== undefined && tpgid > 0 && tpgid === pgid;
    }
  } catch {
    // Unknown: forward (a missed signal is worse than a doubled one).
  }
  return false;
}

/** Whether tokendesk passes `signal` on, given where it came from as far as it can tell. */
export function shouldForward(signal: Forwarded, platform = process.platform, foreground: () => boolean = inTerminalForeground): boolean {
  // Windows: the console delivers Ctrl-C and close to every process attached to it.
  if (platform === 'win32') return signal === 'SIGTERM';
  return !(TERMINAL_SIGNALS.has(signal) && foreground());
}

export interface ChildFailure {
  code: number;
  message: string;
}

/**
 * Runs `command` and resolves with the exit code tokendesk should exit with. A command that
 * cannot be started resolves with 127 (not found) or 126 (not executable) and `onFailure`.
 */
export function runChild(command: string, args: readonly string[], env: NodeJS.ProcessEnv, onFailure: (failure: ChildFailure) => void): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', env });
    const forward = (signal: Forwarded) => {
      if (child.exitCode === null && child.signalCode === null && shouldForward(signal)) child.kill(signal);
    };
    const listeners = FORWARDED_SIGNALS.map((signal) => {
      const listener = () => forward(signal);
      process.on(signal, listener);
      return [signal, listener] as const;
    });
    const done = (code: number) => {
      for (const [signal, listener] of listeners) process.off(signal, listener);
      resolve(code);
    };
    child.on('error', (err: NodeJS.ErrnoException) => {
      // A failed start; anything later (a signal to a child just gone) changes nothing: 'exit' decides.
      if (child.pid !== undefined) return;
      const notFound = err.code === 'ENOENT';
      onFailure({
        code: notFound ? EXIT_NOT_FOUND : EXIT_NOT_EXECUTABLE,
        message: notFound ? `${command}: command not found` : `${command}: cannot run it (${err.code ?? err.message})`,
      });
      done(notFound ? EXIT_NOT_FOUND : EXIT_NOT_EXECUTABLE);
    });
    child.once('exit', (code, signal) => {
      done(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
    });
  });
}
