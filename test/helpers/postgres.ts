// A real PostgreSQL cluster for one test run: initdb in a temp dir, pg_ctl on a free port with
// its Unix socket in that dir, stopped (and the dir removed) by stop(). PostgreSQL refuses to
// run as root, so under root (CI) the cluster runs as `nobody` with the dir chowned to it.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PostgresCluster {
  /** postgresql://… over TCP on 127.0.0.1 (what members are given). */
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** Starts a stopped cluster again (same port and data). */
  start(): Promise<void>;
  /** `pg_ctl stop -m MODE`: `immediate` is a crash (no checkpoint, every connection cut). */
  stopServer(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Stops the server (if running) and removes the temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

/** Debian keeps the server binaries in /usr/lib/postgresql/<version>/bin, off PATH: the newest one, else PATH. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(root, versions[0], 'bin');
  }
  try {
    return path.dirname(execFileSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).trim()) || undefined;
  } catch {
    return undefined;
  }
}

/** Whether the team vault's tests can run; under CI (which installs PostgreSQL) a missing server fails them instead of skipping. */
export function postgresAvailable(): boolean {
  if (postgresBinDir() !== undefined) return true;
  if (process.env['CI'] === 'true') throw new Error('PostgreSQL (initdb, pg_ctl) is not installed, and CI=true: .ci/run installs Debian\'s postgresql');
  return false;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const asRoot = process.getuid?.() === 0;
const NOBODY = { uid: 65534, gid: 65534 };

/** Runs a PostgreSQL tool, as `nobody` when we are root. */
async function pgTool(bin: string, args: string[]): Promise<void> {
  const [cmd, argv] = asRoot ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', bin, ...args]] : [bin, args];
  await run(cmd, argv, { env: { ...process.env, LC_ALL: 'C', LANG: 'C' }, timeout: 60_000 });
}

export async function startPostgres(): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL is not installed (no initdb): apt-get install postgresql');
  // As root the cluster runs as nobody, who must reach its directory: not inside a private
  // TMPDIR (scripts/test-all.sh keeps one, mode 0700), but in the system temp dir.
  const dir = await mkdtemp(path.join(asRoot ? '/tmp' : tmpdir(), 'tokendesk-pg-'));
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'server.log');
  if (asRoot) {
    await chown(dir, NOBODY.uid, NOBODY.gid);
    await chmod(dir, 0o700);
  }
  const pwfile = path.join(dir, 'pw');
  await writeFile(pwfile, 'tokendesk-test\n', { mode: 0o600 });
  if (asRoot) await chown(pwfile, NOBODY.uid, NOBODY.gid);
  await pgTool(path.join(bin, 'initdb'), ['-D', data, '-U', 'tokendesk', '--pwfile', pwfile, '-A', 'scram-sha-256', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  // fsync stays on: the crash tests stop the server with -m immediate and expect committed rows back.
  const opts = `-p ${port} -k ${dir} -h 127.0.0.1 -c max_connections=200 -c shared_buffers=16MB`;
  let running = false;
  const cluster: PostgresCluster = {
    url: `postgresql://tokendesk:tokendesk-test@127.0.0.1:${port}/postgres`,
    port,
    dir,
    async start() {
      await pgTool(path.join(bin, 'pg_ctl'), ['-D', data, '-l', log, '-o', opts, '-w', '-t', '60', 'start']);
      running = true;
    },
    async stopServer(mode = 'fast') {
      if (!running) return;
      await pgTool(path.join(bin, 'pg_ctl'), ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
      running = false;
    },
    async stop() {
      try {
        await cluster.stopServer('immediate');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
  try {
    await cluster.start();
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return cluster;
}
