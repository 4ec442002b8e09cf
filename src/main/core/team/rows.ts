// A team account as the database returns it: the record, the sealed secrets and their versions.
import type { AccountRecord, TokenState } from '../engine/types.js';

export interface AccountRow {
  id: string;
  lock_key: number;
  record: AccountRecord;
  rotating: boolean;
  record_version: string;
  version: string;
  sealed: string;
  state: TokenState;
  refreshed_by: string | null;
  refreshed_at: Date | null;
}

export const ACCOUNT_COLUMNS = `a.id, a.lock_key, a.record, a.rotating, a.record_version, s.version, s.sealed, s.state, s.refreshed_by, s.refreshed_at`;
