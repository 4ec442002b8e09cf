// Where a member keeps its team membership: the local vault (encrypted like every secret), under
// a service id no account can have. The database URL carries its password, so it never goes to
// accounts.json.
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../storage/atomic.js';
import type { MembershipVault } from '../team/team-control.js';
import type { TeamMembership } from '../team/team-store.js';
import type { Vault } from '../vault/vault.js';

export const TEAM_SERVICE = '~team';
/** Team tokens the database did not take yet, one field per account id (a JSON of version, secrets, state). */
export const TEAM_PENDING_SERVICE = '~team-pending';

/** The team's sealed rows as last read (team/team-cache.ts), beside accounts.json. */
export const TEAM_CACHE_FILE = 'team-cache.json';

export function membershipVault(vault: Vault, dataDir: string): MembershipVault {
  const cacheFile = path.join(dataDir, TEAM_CACHE_FILE);
  return {
    cache: {
      async read() {
        return readFile(cacheFile, 'utf8').catch((err: NodeJS.ErrnoException) => {
          if (err.code === 'ENOENT') return undefined;
          throw err;
        });
      },
      write: (json) => writeFileAtomic(cacheFile, json),
    },
    pending: {
      async list() {
        return Object.fromEntries((await vault.findCredentials(TEAM_PENDING_SERVICE)).map(({ account, password }) => [account, password]));
      },
      async put(accountId, json) {
        await vault.setPassword(TEAM_PENDING_SERVICE, accountId, json);
      },
      async remove(accountId) {
        if (await vault.getPassword(TEAM_PENDING_SERVICE, accountId)) await vault.deletePassword(TEAM_PENDING_SERVICE, accountId);
      },
    },
    async read() {
      const fields = Object.fromEntries((await vault.findCredentials(TEAM_SERVICE)).map(({ account, password }) => [account, password]));
      if (!fields['database'] || !fields['key']) return undefined;
      return {
        database: fields['database'],
        teamId: fields['teamId'] ?? '',
        memberId: fields['memberId'] ?? '',
        memberName: fields['memberName'] ?? '',
        key: fields['key'],
      } satisfies TeamMembership;
    },
    async write(membership) {
      await vault.replaceService(TEAM_SERVICE, { ...membership });
    },
    async clear() {
      await vault.deleteService(TEAM_SERVICE);
      await rm(cacheFile, { force: true });
    },
  };
}
