// The keyboard's active row of a list of accounts: an account, not a position. Pure (unit-tested).
import type { AccountView } from '../../../shared/contract.js';

export interface ActiveRow {
  id?: string;
  /** Where it was last seen: the fallback when the account is gone from the list. */
  index: number;
}

/** The active row's index now: where its account is, else its old position clamped to the list. */
export function activeRowIndex(accounts: readonly Pick<AccountView, 'id'>[], active: ActiveRow): number {
  if (active.id !== undefined) {
    const i = accounts.findIndex((a) => a.id === active.id);
    if (i >= 0) return i;
  }
  return Math.min(active.index, Math.max(accounts.length - 1, 0));
}
