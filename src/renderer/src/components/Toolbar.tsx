// The search box and the status and provider filters above the accounts list and the
// timeline, with the count of accounts shown. `children` adds controls (the list's sort).
import type { ReactNode } from 'react';
import { Box, Flex, Text, TextField } from '@radix-ui/themes';
import { MagnifyingGlassIcon } from '@radix-ui/react-icons';
import type { ProviderId } from '../../../shared/domain.js';
import type { AccountFilter, StatusFilter } from '../lib/accounts.js';
import { PROVIDER_NAMES, providerIds } from '../lib/providers.js';
import { STATUS_LABELS } from '../lib/status.js';

const STATUS_OPTIONS: { value: StatusFilter; label: string }[] = [
  { value: 'all', label: 'Any status' },
  { value: 'attention', label: 'Needs attention' },
  ...(['active', 'refreshing', 'retrying', 'reauth_required', 'config_error', 'paused', 'revoked'] as const).map((s) => ({ value: s, label: STATUS_LABELS[s] })),
];

export function Toolbar({ filter, setFilter, shown, total, children }: { filter: AccountFilter; setFilter: (f: AccountFilter) => void; shown: number; total: number; children?: ReactNode }) {
  return (
    <Flex className="toolbar" gap="3" align="end" wrap="wrap" role="search" aria-label="Filter accounts">
      <Box className="search-box">
        <TextField.Root
          id="account-search"
          placeholder="Search accounts  ( / )"
          value={filter.query}
          onChange={(e) => setFilter({ ...filter, query: e.target.value })}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && filter.query) {
              e.stopPropagation();
              setFilter({ ...filter, query: '' });
            }
          }}
          aria-label="Search accounts by name or provider"
          type="search"
          autoComplete="off"
        >
          <TextField.Slot>
            <MagnifyingGlassIcon />
          </TextField.Slot>
        </TextField.Root>
      </Box>
      <label className="field-inline">
        <Text size="1" color="gray">
          Status
        </Text>
        <select className="native-select" value={filter.status} onChange={(e) => setFilter({ ...filter, status: e.target.value as StatusFilter })} aria-label="Filter by status">
          {STATUS_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field-inline">
        <Text size="1" color="gray">
          Provider
        </Text>
        <select className="native-select" value={filter.provider} onChange={(e) => setFilter({ ...filter, provider: e.target.value as 'all' | ProviderId })} aria-label="Filter by provider">
          <option value="all">Any provider</option>
          {providerIds().map((id) => (
            <option key={id} value={id}>
              {PROVIDER_NAMES[id] ?? id}
            </option>
          ))}
        </select>
      </label>
      {children}
      <Text size="1" color="gray" className="toolbar-note" aria-live="polite">
        {shown === total ? `${total} account${total === 1 ? '' : 's'}` : `${shown} of ${total} accounts`}
      </Text>
    </Flex>
  );
}
