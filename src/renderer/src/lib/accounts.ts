// Filtering and sorting the accounts list. Pure (unit-tested); runs when accounts or
// the filter change, never on a clock tick (sort keys are instants, not countdowns).
import type { AccountView } from '../../../shared/contract.js';
import type { AccountStatus, ProviderId } from '../../../shared/domain.js';
import { statusInfo } from './status.js';

export const SORT_KEYS = ['attention', 'name', 'provider', 'expires', 'next', 'last'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = 'asc' | 'desc';

export const SORT_LABELS: Record<SortKey, string> = {
  attention: 'Needs attention first',
  name: 'Name',
  provider: 'Provider',
  expires: 'Expires',
  next: 'Next refresh',
  last: 'Last refresh',
};

export type StatusFilter = 'all' | 'attention' | AccountStatus;

export interface AccountFilter {
  query: string;
  status: StatusFilter;
  provider: 'all' | ProviderId;
}

export const EMPTY_FILTER: AccountFilter = { query: '', status: 'all', provider: 'all' };

export function isFiltering(filter: AccountFilter): boolean {
  return filter.query.trim() !== '' || filter.status !== 'all' || filter.provider !== 'all';
}

export function filterAccounts(accounts: readonly AccountView[], filter: AccountFilter, providerNames: Readonly<Record<string, string>> = {}): AccountView[] {
  const q = filter.query.trim().toLowerCase();
  return accounts.filter((a) => {
    if (filter.provider !== 'all' && a.providerId !== filter.provider) return false;
    if (filter.status === 'attention') {
      if (!statusInfo(a).attention) return false;
    } else if (filter.status !== 'all' && a.status !== filter.status) return false;
    if (q) {
      const hay = `${a.name} ${a.providerId} ${providerNames[a.providerId] ?? ''} ${a.environment ?? ''}`.toLowerCase();
      if (!hay.includes(q)) return false;
    }
    return true;
  });
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Missing values sort last whatever the direction. */
function byNumber(a: number | undefined, b: number | undefined, dir: number): number {
  if (a === undefined && b === undefined) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return (a - b) * dir;
}

export function sortAccounts(accounts: readonly AccountView[], key: SortKey, dirName: SortDir = 'asc'): AccountView[] {
  const dir = dirName === 'asc' ? 1 : -1;
  const keyed = accounts.map((a) => ({ a, rank: key === 'attention' ? statusInfo(a).rank : 0 }));
  keyed.sort((x, y) => {
    let c = 0;
    switch (key) {
      case 'attention':
        c = (x.rank - y.rank) * dir || byNumber(x.a.expiresAt, y.a.expiresAt, 1);
        break;
      case 'name':
        break;
      case 'provider':
        c = collator.compare(x.a.providerId, y.a.providerId) * dir;
        break;
      case 'expires':
        c = byNumber(x.a.expiresAt, y.a.expiresAt, dir);
        break;
      case 'next':
        c = byNumber(x.a.nextRefreshAt, y.a.nextRefreshAt, dir);
        break;
      case 'last':
        c = byNumber(x.a.lastOutcome?.at ?? x.a.lastRefreshAt, y.a.lastOutcome?.at ?? y.a.lastRefreshAt, dir);
        break;
    }
    // The name breaks ties (and is the order for 'name'), then the id keeps it stable.
    return c || collator.compare(x.a.name, y.a.name) * (key === 'name' ? dir : 1) || (x.a.id < y.a.id ? -1 : 1);
  });
  return keyed.map((k) => k.a);
}

/** Counts for the header: how many accounts are healthy, need attention, are paused. */
export function summarize(accounts: readonly AccountView[]): { total: number; attention: number; paused: number; refreshing: number } {
  let attention = 0;
  let paused = 0;
  let refreshing = 0;
  for (const a of accounts) {
    if (statusInfo(a).attention) attention++;
    if (a.status === 'paused') paused++;
    if (a.status === 'refreshing') refreshing++;
  }
  return { total: accounts.length, attention, paused, refreshing };
}
