// The team's rows as this member last read them, in a file of its data dir (docs/ARCHITECTURE.md
// "Database unreachable"): a member started while the database is down serves the still-valid
// tokens from it until the database answers. The rows are kept exactly as the database returns
// them, secrets sealed with the team key, so the file tells a reader without the key only what a
// database reader learns.
import type { AccountRow } from './rows.js';

/** Where the cache is kept (the owner gives a file beside accounts.json). */
export interface TeamCache {
  read(): Promise<string | undefined>;
  write(json: string): Promise<void>;
}

/** How long after a change its rows are read again and written (changes meanwhile go together). */
const CHANGE_DELAY_MS = 1_000;

/** A row as the file holds it: the date as milliseconds. */
type CachedRow = Omit<AccountRow, 'refreshed_at'> & { refreshed_at: number | null };

export class TeamRowCache {
  private readonly rows = new Map<string, AccountRow>();
  /** Accounts changed since their rows were last read. */
  private readonly changed = new Set<string>();
  private timer?: NodeJS.Timeout;
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: TeamCache,
    private readonly teamId: string,
    /** Reads these accounts' rows (a removed account has none); throws while the database is down. */
    private readonly readRows: (ids: string[]) => Promise<AccountRow[]>,
  ) {}

  /** The rows of the last start's file, for this team only; none when missing or damaged. */
  async load(): Promise<AccountRow[]> {
    const text = await this.file.read().catch(() => undefined);
    if (!text) return [];
    try {
      const parsed = JSON.parse(text) as { teamId?: string; rows?: CachedRow[] };
      if (parsed.teamId !== this.teamId || !Array.isArray(parsed.rows)) return [];
      const rows = parsed.rows.map((row) => ({ ...row, refreshed_at: row.refreshed_at === null ? null : new Date(row.refreshed_at) }));
      for (const row of rows) this.rows.set(row.id, row);
      return rows;
    } catch {
      return [];
    }
  }

  /** Every row of the team, just read: the file is rewritten. */
  replaceAll(rows: readonly AccountRow[]): void {
    this.rows.clear();
    this.changed.clear();
    for (const row of rows) this.rows.set(row.id, row);
    this.write();
  }

  /** An account changed (a notification, a save): its row is read again shortly. */
  markChanged(id: string): void {
    this.changed.add(id);
    if (this.timer) return;
    this.timer = setTimeout(() => void this.readChanged(), CHANGE_DELAY_MS);
    this.timer.unref();
  }

  /** At close: what changed and was not read yet, then the writes in flight. */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    if (this.changed.size) await this.readChanged();
    await this.writes;
  }

  private async readChanged(): Promise<void> {
    this.timer = undefined;
    const ids = [...this.changed];
    this.changed.clear();
    try {
      const rows = await this.readRows(ids);
      for (const id of ids) this.rows.delete(id);
      for (const row of rows) this.rows.set(row.id, row);
      this.write();
    } catch {
      // Database down: the catch-up reads every row once it answers.
      for (const id of ids) this.changed.add(id);
    }
  }

  /** One write at a time, in order; a failed write costs only the next offline start. */
  private write(): void {
    const rows: CachedRow[] = [...this.rows.values()].map((row) => ({ ...row, refreshed_at: row.refreshed_at?.getTime() ?? null }));
    const json = JSON.stringify({ teamId: this.teamId, rows });
    this.writes = this.writes.then(() => this.file.write(json)).catch(() => undefined);
  }
}
