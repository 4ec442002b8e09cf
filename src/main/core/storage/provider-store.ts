// Provider files the user added (README "Provider files"), in `providers.json` of the data
// dir: each definition as it was imported, with its revision (1 at add, +1 at each replace)
// and when it was added and last replaced. The file is versioned like every other
// (storage/versioned.ts); definitions are checked by the owner when it loads them, so a
// definition a newer rule refuses is reported, not deleted.
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomic.js';
import type { QuarantineReport } from './quarantine.js';
import { loadVersioned, type VersionedFormat } from './versioned.js';

export const PROVIDERS_FILE = 'providers.json';

const StoredProviderSchema = z.object({
  id: z.string().min(1).max(40),
  revision: z.number().int().min(1),
  addedAt: z.number().int().nonnegative(),
  updatedAt: z.number().int().nonnegative(),
  definition: z.record(z.string(), z.unknown()),
});
export type StoredProvider = z.infer<typeof StoredProviderSchema>;

const ProvidersFileSchema = z.object({ schemaVersion: z.literal(1), providers: z.array(StoredProviderSchema).max(200) });
type ProvidersFile = z.infer<typeof ProvidersFileSchema>;

const FORMAT: VersionedFormat<ProvidersFile> = { label: 'provider file store', current: 1, migrations: {}, schema: ProvidersFileSchema };

export class ProviderStore {
  #doc: ProvidersFile;

  private constructor(
    readonly file: string,
    doc: ProvidersFile,
    /** Set when the file was unreadable and moved aside at open. */
    readonly quarantined: QuarantineReport[],
  ) {
    this.#doc = doc;
  }

  static async open(dir: string): Promise<ProviderStore> {
    const file = path.join(dir, PROVIDERS_FILE);
    const loaded = await loadVersioned(file, FORMAT, 'the provider files you added (add them again from their JSON files)');
    if (loaded.status === 'ok') return new ProviderStore(file, loaded.data, []);
    const empty: ProvidersFile = { schemaVersion: 1, providers: [] };
    return new ProviderStore(file, empty, loaded.status === 'quarantined' ? [loaded.report] : []);
  }

  /** The stored entries, read only: a missing file is none; a damaged one throws (and stays as it is). */
  static async read(dir: string): Promise<readonly StoredProvider[]> {
    const loaded = await loadVersioned(path.join(dir, PROVIDERS_FILE), FORMAT, '', { onCorrupt: 'throw' });
    return loaded.status === 'ok' ? loaded.data.providers : [];
  }

  list(): readonly StoredProvider[] {
    return this.#doc.providers;
  }

  get(id: string): StoredProvider | undefined {
    return this.#doc.providers.find((p) => p.id === id);
  }

  /** Adds a definition, or replaces the one with its id (the revision goes up); durable before it returns. */
  async put(id: string, definition: Record<string, unknown>, now: number): Promise<StoredProvider> {
    const old = this.get(id);
    const entry: StoredProvider = { id, revision: (old?.revision ?? 0) + 1, addedAt: old?.addedAt ?? now, updatedAt: now, definition };
    await this.#write({ ...this.#doc, providers: old ? this.#doc.providers.map((p) => (p.id === id ? entry : p)) : [...this.#doc.providers, entry] });
    return entry;
  }

  async remove(id: string): Promise<boolean> {
    if (!this.get(id)) return false;
    await this.#write({ ...this.#doc, providers: this.#doc.providers.filter((p) => p.id !== id) });
    return true;
  }

  async #write(doc: ProvidersFile): Promise<void> {
    await writeFileAtomic(this.file, `${JSON.stringify(doc, undefined, '\t')}\n`);
    this.#doc = doc;
  }
}
