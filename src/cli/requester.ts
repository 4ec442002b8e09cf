// Which process asked for a token, in words for the history row of a refresh it causes:
// `exec: curl (tokendesk pid 1234, parent bash pid 1200)`. Never the command's arguments,
// which may hold anything.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CONTROL_CHARS } from '../shared/control-chars.js';

/** A short, printable name: no control or bidi characters, at most 60 characters. */
function cleanName(name: string): string {
  const cleaned = name.replace(new RegExp(CONTROL_CHARS.source, 'g'), '?').trim();
  return cleaned.length > 60 ? `${cleaned.slice(0, 59)}…` : cleaned;
}

/** The parent process's name where the OS says it cheaply (Linux /proc), else nothing. */
function parentName(ppid: number): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    return cleanName(readFileSync(`/proc/${ppid}/comm`, 'utf8')) || undefined;
  } catch {
    return undefined;
  }
}

/** `what` is the asking command: `exec: curl`, `token`, `token --watch`. */
export function describeRequester(what: string, pid = process.pid, ppid = process.ppid): string {
  const parent = parentName(ppid);
  return `${cleanName(what)} (tokendesk pid ${pid}, parent ${parent ? `${parent} ` : ''}pid ${ppid})`;
}

/** `exec: NAME` for a command path or name: its base name only. */
export function execRequester(command: string): string {
  return describeRequester(`exec: ${path.basename(command) || command}`);
}
