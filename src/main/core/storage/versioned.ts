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
  | { status: 'ok'; data: T; from: number }
  | { status: 'quarantined'; report: QuarantineReport };

/** Reads a versioned JSON file; an unreadable one is quarantined with `lost` as the user-facing loss. */
export async function loadVersioned<T>(file: string, format: VersionedFormat<T>, lost: string): Promise<Loaded<T>> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' };
    throw error;
  }
  try {
    return { status: 'ok', ...parseVersioned(text, format, file) };
  } catch (error) {
    if (!(error instanceof CorruptFileError)) throw error;
    return { status: 'quarantined', report: await quarantine(file, error.message, lost) };
  }
}
