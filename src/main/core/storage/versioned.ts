// Every file carries `schemaVersion`. On open, older documents are migrated step by
// step; a newer one (written by a newer TokenDesk) is refused and left untouched,
// because rewriting it would destroy what the newer version stored.
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { quarantine, type QuarantineReport } from './quarantine.js';

export type Migration = (doc: Record<string, unknown>) => Record<string, unknown>;

export interface VersionedFormat<T> {
  /** For messages, e.g. "account store". */
  label: string;
  current: number;
  /** `migrations[n]` turns a version-n document into version n+1 (the runner sets the number). */
  migrations: Readonly<Record<number, Migration>>;
  schema: z.ZodType<T>;
}

export class SchemaVersionTooNewError extends Error {
  override name = 'SchemaVersionTooNewError';
  constructor(
    readonly file: string,
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `${path.basename(file)} was written by a newer TokenDesk (format ${found}; this version reads up to ${supported}). ` +
        'Update TokenDesk. The file was left untouched.',
    );
  }
}

/** The content is not a readable document of this format: it gets quarantined. */
export class CorruptFileError extends Error {
  override name = 'CorruptFileError';
}

/**
 * A file of the data dir cannot be read at all (a directory in its place, no permission,
 * a symlink to nothing, too large): nothing was read or changed, and the message names
 * the file. Refusing is right: guessing ("treat it as missing") would write a new file
 * over whatever the user has there.
 */
export class UnreadableFileError extends Error {
  override name = 'UnreadableFileError';
  readonly code: string | undefined;
  constructor(
    readonly file: string,
    problem: string,
    code?: string,
    options?: ErrorOptions,
  ) {
    super(`Cannot read ${file}: ${problem}. It was left untouched; fix it, or move it aside to start without it.`, options);
    this.code = code;
  }

  static from(file: string, error: unknown): UnreadableFileError {
    const e = error as NodeJS.ErrnoException;
    const problem =
      e.code === 'EISDIR'
        ? 'it is a directory, not a file'
        : e.code === 'EACCES' || e.code === 'EPERM'
          ? 'permission denied'
          : e.code === 'ERR_STRING_TOO_LONG' || e.code === 'ERR_FS_FILE_TOO_LARGE'
            ? 'it is far too large to be a TokenDesk file'
            : e.code === 'ELOOP'
              ? 'it is a symlink loop'
              : (e.code ?? 'read failed');
    return new UnreadableFileError(file, problem, e.code, { cause: error });
  }
}

/**
 * Reads a data-dir file as text; undefined when it does not exist. A symlink whose
 * target is missing is not "missing": a new file written there would replace the link.
 */
export async function readDataFile(file: string): Promise<string | undefined> {
  try {
    return await fsp.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw UnreadableFileError.from(file, error);
  }
  const link = await fsp.readlink(file).catch(() => undefined);
  if (link !== undefined) throw new UnreadableFileError(file, `it is a symlink to ${link}, which does not exist`, 'ENOENT');
  return undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Applies the migrations from the document's version up to `current`. */
export function upgrade<T>(doc: unknown, format: VersionedFormat<T>, file: string): { doc: Record<string, unknown>; from: number } {
  const from = isRecord(doc) ? doc['schemaVersion'] : undefined;
  if (!isRecord(doc) || typeof from !== 'number' || !Number.isInteger(from) || from < 1) {
    throw new CorruptFileError(`the ${format.label} has no valid schemaVersion`);
  }
  if (from > format.current) throw new SchemaVersionTooNewError(file, from, format.current);
  let current = doc;
  for (let v = from; v < format.current; v++) {
    const step = format.migrations[v];
    if (!step) throw new Error(`no migration of the ${format.label} from format ${v}`); // our bug, not the file's
    current = { ...step(current), schemaVersion: v + 1 };
  }
  return { doc: current, from };
}

/** Parses, migrates and validates. Never puts file content in an error message (it may hold secrets). */
export function parseVersioned<T>(text: string, format: VersionedFormat<T>, file: string): { data: T; from: number } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CorruptFileError(`the ${format.label} is not valid JSON`);
  }
  const { doc, from } = upgrade(json, format, file);
  const result = format.schema.safeParse(doc);
  if (!result.success) {
    const issues = result.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new CorruptFileError(`the ${format.label} does not match its format (${issues.join('; ')})`);
  }
  return { data: result.data, from };
}

export type Loaded<T> =
  | { status: 'missing' }
  /** `text`: the file as read (the vault measures its size). */
  | { status: 'ok'; data: T; from: number; text: string }
  | { status: 'quarantined'; report: QuarantineReport };

/**
 * Reads a versioned JSON file; an unreadable one is quarantined with `lost` as the user-facing
 * loss — or, with `onCorrupt: 'throw'`, left in place and the CorruptFileError thrown.
 */
export async function loadVersioned<T>(file: string, format: VersionedFormat<T>, lost: string, options: { onCorrupt?: 'quarantine' | 'throw' } = {}): Promise<Loaded<T>> {
  const text = await readDataFile(file);
  if (text === undefined) return { status: 'missing' };
  try {
    return { status: 'ok', ...parseVersioned(text, format, file), text };
  } catch (error) {
    if (!(error instanceof CorruptFileError) || options.onCorrupt === 'throw') throw error;
    return { status: 'quarantined', report: await quarantine(file, error.message, lost) };
  }
}
