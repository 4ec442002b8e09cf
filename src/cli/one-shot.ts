// The one-shot path of a CLI command: no owner answered, so this process opens the data dir
// itself for the command's duration. Imported lazily by connect.ts.
import { headlessKeyWrapper } from '../main/core/owner/headless-key.js';
import { localClient, type OwnerCalls } from '../main/core/owner/local-client.js';
import { Owner } from '../main/core/owner/owner.js';
import { storageReportLines } from './format.js';

export { OwnerLockedError } from '../main/core/storage/owner-lock.js';

export async function openOneShot(dataDir: string): Promise<{ owner: Owner; client: OwnerCalls }> {
  const owner = await Owner.open({ dataDir, keyWrapper: () => headlessKeyWrapper(dataDir), schedule: false, actor: 'cli' });
  // A one-shot owner is the only one to see what it found damaged: say so where a human looks.
  for (const line of storageReportLines(owner.storageReports)) process.stderr.write(`tokendesk: ${line}\n`);
  return { owner, client: localClient(owner.router, { actor: 'cli' }) };
}
