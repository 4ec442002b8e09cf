import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** sun_path holds 104–108 bytes; longer data-dir paths get a socket in the temp dir. */
const MAX_SOCKET_PATH = 100;

/** The owner's local socket: a file in the data dir, or a named pipe on Windows. */
export function ownerSocketPath(dataDir: string): string {
  if (process.platform === 'win32') {
    const id = createHash('sha256').update(dataDir.toLowerCase()).digest('hex').slice(0, 16);
    return `\\\\.\\pipe\\tokendesk-${id}`;
  }
  const inDir = join(dataDir, 'owner.sock');
  if (Buffer.byteLength(inDir) <= MAX_SOCKET_PATH) return inDir;
  const id = createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
  return join(tmpdir(), `tokendesk-${process.getuid?.() ?? 0}-${id}.sock`);
}
