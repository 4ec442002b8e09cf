import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** The owner's local socket: a file in the data dir, or a named pipe on Windows. */
export function ownerSocketPath(dataDir: string): string {
  if (process.platform === 'win32') {
    const id = createHash('sha256').update(dataDir.toLowerCase()).digest('hex').slice(0, 16);
    return `\\\\.\\pipe\\tokendesk-${id}`;
  }
  return join(dataDir, 'owner.sock');
}
