// The team database connection (docs/ARCHITECTURE.md "Team vault"): a pool for queries and one
// dedicated client that LISTENs for other members' changes. The listening client is the health
// signal: when it drops, the store is offline and reconnects with backoff; when it is back, the
// store catches up. sslmode and the password come from the URL, which lives only in the vault.
import { EventEmitter } from 'node:events';
import pg from 'pg';

export const CHANNEL = 'td_changes';

export type TeamConnectionState = 'online' | 'offline' | 'connecting';

export interface TeamHealth {
  state: TeamConnectionState;
  since: number;
  message?: string;
}

interface ConnectionEvents {
  health: [TeamHealth];
  notification: [string];
  /** Connected (again): the listener runs; catch up on what was missed. */
  online: [];
}

export interface TeamConnectionOptions {
  url: string;
  /** This process's session id: the application_name of every connection, so others can tell it is alive. */
  session: string;
  /** Run on every (re)connection before going online: schema check, member registration. Throwing keeps it offline. */
  prepare: (client: pg.ClientBase) => Promise<void>;
  maxBackoffMs?: number;
}

/** pg's errors when the server is unreachable, restarting or gone: the store is offline, nothing is wrong with the data. */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | undefined;
  const code = e?.code ?? '';
  if (/^(08|57P)/.test(code) || ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code)) return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error|not queryable|timeout exceeded when trying to connect/i.test(e?.message ?? '');
}

/** What a connection error says, without the URL (which carries the password). */
export function describeDbError(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const msg = (e?.message ?? String(err)).replace(/postgres(ql)?:\/\/\S+/gi, 'postgresql://…');
  return e?.code && !msg.includes(e.code) ? `${msg} (${e.code})` : msg;
}

export function poolConfig(url: string, session: string): pg.PoolConfig {
  return {
    connectionString: url,
    application_name: `td:${session}`,
    max: 16,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    // A refresh waits at most this long for another member's lock on the same account.
    options: '-c lock_timeout=20000',
  };
}

export class TeamConnection extends EventEmitter<ConnectionEvents> {
  readonly pool: pg.Pool;
  private listener?: pg.Client;
  private current: TeamHealth = { state: 'connecting', since: Date.now() };
  private retryTimer?: NodeJS.Timeout;
  private attempt = 0;
  private closed = false;
  /** When the listener last came online (ms): how long this member has been able to see the others. */
  onlineSince = 0;

  constructor(private readonly options: TeamConnectionOptions) {
    super();
    this.pool = new pg.Pool(poolConfig(options.url, options.session));
    // An idle pooled connection cut by the server: the pool drops it; the listener reports the outage.
    this.pool.on('error', () => undefined);
  }

  get health(): TeamHealth {
    return this.current;
  }

  get online(): boolean {
    return this.current.state === 'online';
  }

  /** First connection: resolves once online or once the first attempt failed (then it keeps trying in the background). */
  async start(): Promise<void> {
    await this.connect();
  }

  /** A query failed with a connection error: probe now rather than wait for the listener to notice. */
  suspect(err: unknown): void {
    if (!this.online || !isConnectionError(err)) return;
    this.listener?.query('SELECT 1').catch((e: unknown) => this.lost(e));
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.options.url, application_name: `td:${this.options.session}`, keepAlive: true, connectionTimeoutMillis: 5_000 });
    client.on('error', (err) => this.lost(err, client));
    client.on('end', () => this.lost(new Error('Connection terminated'), client));
    try {
      await client.connect();
      await this.options.prepare(client);
      client.on('notification', (n) => {
        if (n.channel === CHANNEL && n.payload) this.emit('notification', n.payload);
      });
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (err) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      this.setHealth({ state: 'offline', since: this.offlineSince(), message: describeDbError(err) });
      this.retryLater();
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.listener = client;
    this.attempt = 0;
    this.onlineSince = Date.now();
    this.setHealth({ state: 'online', since: this.onlineSince });
    this.emit('online');
  }

  private lost(err: unknown, client?: pg.Client): void {
    if (this.closed || (client && client !== this.listener)) return;
    const old = this.listener;
    this.listener = undefined;
    if (old) {
      old.removeAllListeners('end');
      old.end().catch(() => undefined);
    }
    if (this.current.state === 'online') this.setHealth({ state: 'offline', since: Date.now(), message: describeDbError(err) });
    this.retryLater();
  }

  private offlineSince(): number {
    return this.current.state === 'offline' ? this.current.since : Date.now();
  }

  /** Backoff with jitter, capped low (1 s): members must be refreshing again within seconds of the database. */
  private retryLater(): void {
    if (this.closed || this.retryTimer) return;
    const cap = this.options.maxBackoffMs ?? 1_000;
    const delay = Math.min(cap, 100 * 2 ** this.attempt) * (0.5 + Math.random() / 2);
    this.attempt++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, delay);
    this.retryTimer.unref();
  }

  private setHealth(health: TeamHealth): void {
    const changed = health.state !== this.current.state || health.message !== this.current.message;
    this.current = health;
    if (changed) this.emit('health', health);
  }
}
