// One account: what its state means, every action, its facts, the token inspector and
// its recent history.
import { useState } from 'react';
import { AlertDialog, Box, Button, Callout, Code, DataList, Flex, Heading, IconButton, Link, Spinner, Text, Tooltip } from '@radix-ui/themes';
import { Cross2Icon, ExclamationTriangleIcon, InfoCircledIcon, Pencil1Icon, PauseIcon, PlayIcon, ReloadIcon, TrashIcon, LockClosedIcon } from '@radix-ui/react-icons';
import type { AccountView, ProviderInfo } from '../../../shared/contract.js';
import { formatDuration } from '../../../shared/duration.js';
import { refreshNow, remove, revoke, setPaused, useLastResult, useRefreshPending } from '../state/actions.js';
import { useNow } from '../state/clock.js';
import { statusInfo } from '../lib/status.js';
import { fullTime, relativeTo } from '../lib/time.js';
import { StatusBadge, When } from './common.js';
import { HistoryTable, useHistory } from './HistoryTable.js';
import { TokenInspector } from './TokenInspector.js';

const EXPIRY_SOURCE_WORDS: Record<string, string> = {
  expires_in: 'from the provider’s expires_in',
  jwt_exp: 'from the token’s JWT exp claim',
  refresh_every: 'from this account’s “refresh every” setting',
  unknown: 'unknown',
};

interface Props {
  account: AccountView;
  provider?: ProviderInfo;
  onClose: () => void;
  onEdit: (id: string) => void;
  onShowHistory: (id: string) => void;
}

export function AccountDetails({ account, provider, onClose, onEdit, onShowHistory }: Props) {
  const info = statusInfo(account);
  const pending = useRefreshPending(account.id);
  const result = useLastResult(account.id);
  const now = useNow();
  const refreshing = pending || account.status === 'refreshing';
  const environment = provider?.environments.find((e) => e.id === account.environment);
  const { events, loading, error } = useHistory({ account: account.id }, 20);
  const calloutColor = info.color === 'green' ? 'green' : info.color === 'blue' ? 'blue' : info.color === 'gray' ? 'gray' : info.color === 'amber' ? 'amber' : info.color === 'orange' ? 'orange' : 'red';

  return (
    <section className="details" aria-labelledby="details-title" data-testid="account-details">
      <Flex justify="between" align="start" gap="2">
        <Box minWidth="0">
          <Heading as="h2" size="5" id="details-title" className="details-title" truncate>
            {account.name}
          </Heading>
          <Text as="div" size="2" color="gray">
            {provider?.name ?? account.providerId}
            {environment ? ` · ${environment.label}` : ''}
          </Text>
        </Box>
        <IconButton variant="ghost" color="gray" onClick={onClose} aria-label="Close account details">
          <Cross2Icon />
        </IconButton>
      </Flex>

      <Callout.Root color={calloutColor} size="1" mt="3" data-testid="status-explanation" role={info.attention ? 'alert' : undefined}>
        <Callout.Icon>{info.attention ? <ExclamationTriangleIcon /> : <InfoCircledIcon />}</Callout.Icon>
        <Callout.Text>
          <StatusBadge account={account} /> {info.explanation}
        </Callout.Text>
      </Callout.Root>

      <Flex gap="2" mt="3" wrap="wrap" role="toolbar" aria-label={`Actions for ${account.name}`}>
        <Button onClick={() => void refreshNow(account.id)} disabled={refreshing || account.status === 'revoked'} data-testid="refresh-now">
          {refreshing ? <Spinner size="1" /> : <ReloadIcon />} {refreshing ? 'Refreshing…' : 'Refresh now'}
        </Button>
        {account.paused ? (
          <Button variant="soft" onClick={() => void setPaused(account.id, false)}>
            <PlayIcon /> Resume
          </Button>
        ) : (
          <Button variant="soft" onClick={() => void setPaused(account.id, true)} disabled={account.status === 'revoked'}>
            <PauseIcon /> Pause
          </Button>
        )}
        <Button variant="soft" onClick={() => onEdit(account.id)}>
          <Pencil1Icon /> Edit
        </Button>
        <Flex gap="2" ml="auto">
          <RevokeButton account={account} provider={provider} />
          <RemoveButton account={account} onRemoved={onClose} />
        </Flex>
      </Flex>
      <div aria-live="polite" className="action-result" data-testid="action-result">
        {result && now - result.at < 120_000 && (
          <Text as="p" size="2" color={result.ok ? 'green' : 'red'} mt="2">
            {result.text}
          </Text>
        )}
      </div>

      <DataList.Root size="2" mt="3" className="facts">
        <DataList.Item>
          <DataList.Label>Access token expires</DataList.Label>
          <DataList.Value>
            {account.expiresAt !== undefined ? (
              <When at={account.expiresAt} />
            ) : account.status === 'revoked' ? (
              '—'
            ) : (
              'no known expiry'
            )}
          </DataList.Value>
        </DataList.Item>
        {account.expirySource && (
          <DataList.Item>
            <DataList.Label>Expiry known</DataList.Label>
            <DataList.Value>{EXPIRY_SOURCE_WORDS[account.expirySource] ?? account.expirySource}</DataList.Value>
          </DataList.Item>
        )}
        <DataList.Item>
          <DataList.Label>Next refresh</DataList.Label>
          <DataList.Value>
            {account.nextRefreshAt !== undefined ? (
              <When at={account.nextRefreshAt} />
            ) : (
              (info.label === 'Paused' ? 'paused' : 'none scheduled')
            )}
          </DataList.Value>
        </DataList.Item>
        {account.refreshTokenExpiresAt !== undefined && (
          <DataList.Item>
            <DataList.Label>Refresh token expires</DataList.Label>
            <DataList.Value>
              <When at={account.refreshTokenExpiresAt} />
            </DataList.Value>
          </DataList.Item>
        )}
        {account.obtainedAt !== undefined && (
          <DataList.Item>
            <DataList.Label>Obtained</DataList.Label>
            <DataList.Value>{fullTime(account.obtainedAt)}</DataList.Value>
          </DataList.Item>
        )}
        {account.scope && (
          <DataList.Item>
            <DataList.Label>Scope</DataList.Label>
            <DataList.Value className="break">{account.scope}</DataList.Value>
          </DataList.Item>
        )}
        <DataList.Item>
          <DataList.Label>Endpoint</DataList.Label>
          <DataList.Value className="break">
            <span>
              {account.baseUrl ?? environment?.baseUrl ?? account.settings['token_url'] ?? account.settings['issuer'] ?? '—'}
              {account.baseUrl && <Text color="gray"> (override)</Text>}
            </span>
          </DataList.Value>
        </DataList.Item>
        {account.refreshEveryMs !== undefined && (
          <DataList.Item>
            <DataList.Label>Refresh every</DataList.Label>
            <DataList.Value>{formatDuration(account.refreshEveryMs)} (when the token has no known expiry)</DataList.Value>
          </DataList.Item>
        )}
      </DataList.Root>

      {account.meta && Object.keys(account.meta).length > 0 && (
        <Box mt="3">
          <Text as="div" size="1" color="gray" mb="1">
            Details from {provider?.name ?? account.providerId}’s last answer
          </Text>
          <Flex gap="2" wrap="wrap" className="meta">
            {Object.entries(account.meta).map(([k, v]) => (
              <Code key={k} variant="soft" color="gray" size="1">
                {k}: {String(v)}
              </Code>
            ))}
          </Flex>
        </Box>
      )}

      <Box mt="4">
        <TokenInspector account={account} />
      </Box>

      <Flex justify="between" align="baseline" mt="4" mb="2">
        <Heading as="h3" size="3">
          Recent refreshes
        </Heading>
        <Link asChild size="2">
          <button type="button" className="link-button" onClick={() => onShowHistory(account.id)}>
            All history of this account
          </button>
        </Link>
      </Flex>
      <HistoryTable events={events} compact loading={loading} error={error} emptyText="This account has not been refreshed yet." />
    </section>
  );
}

/** Cancel, and a red button that runs `action` with progress and closes the dialog once it succeeded. */
function ConfirmFooter({ label, action, onDone }: { label: string; action: () => Promise<boolean>; onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  return (
    <Flex gap="3" mt="4" justify="end">
      <AlertDialog.Cancel>
        <Button variant="soft" color="gray">
          Cancel
        </Button>
      </AlertDialog.Cancel>
      <Button
        color="red"
        loading={busy}
        onClick={async () => {
          setBusy(true);
          const ok = await action();
          setBusy(false);
          if (ok) onDone();
        }}
      >
        {label}
      </Button>
    </Flex>
  );
}

function RevokeButton({ account, provider }: { account: AccountView; provider?: ProviderInfo }) {
  const [open, setOpen] = useState(false);
  const now = useNow();
  const localOnly = provider?.revoke.kind !== 'rfc7009';
  const vendor = provider?.name ?? account.providerId;
  return (
    <AlertDialog.Root open={open} onOpenChange={setOpen}>
      <AlertDialog.Trigger>
        <Button variant="soft" color="red" disabled={account.status === 'revoked'}>
          <LockClosedIcon /> Revoke
        </Button>
      </AlertDialog.Trigger>
      <AlertDialog.Content maxWidth="520px" data-testid="revoke-dialog">
        <AlertDialog.Title>Revoke {account.name}?</AlertDialog.Title>
        <AlertDialog.Description size="2">{provider?.revoke.sentence ?? 'TokenDesk deletes the tokens from this computer.'}</AlertDialog.Description>
        {localOnly && account.expiresAt !== undefined && account.expiresAt > now && (
          <Callout.Root color="amber" size="1" mt="3">
            <Callout.Icon>
              <ExclamationTriangleIcon />
            </Callout.Icon>
            <Callout.Text>
              The current access token stays valid at {vendor} until {fullTime(account.expiresAt)} ({relativeTo(account.expiresAt, now)}). Anyone who copied it can use it until then.
            </Callout.Text>
          </Callout.Root>
        )}
        <ConfirmFooter label={localOnly ? 'Delete tokens here' : 'Revoke at the server'} action={() => revoke(account.id)} onDone={() => setOpen(false)} />
      </AlertDialog.Content>
    </AlertDialog.Root>
  );
}

function RemoveButton({ account, onRemoved }: { account: AccountView; onRemoved: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <AlertDialog.Root open={open} onOpenChange={setOpen}>
      <Tooltip content="Remove the account">
        <AlertDialog.Trigger>
          <IconButton variant="soft" color="gray" aria-label="Remove">
            <TrashIcon />
          </IconButton>
        </AlertDialog.Trigger>
      </Tooltip>
      <AlertDialog.Content maxWidth="480px" data-testid="remove-dialog">
        <AlertDialog.Title>Remove {account.name}?</AlertDialog.Title>
        <AlertDialog.Description size="2">
          TokenDesk deletes this account, its tokens and its settings from this computer. Nothing is sent to the provider: revoke first if the tokens must stop working. The history of its refreshes stays in the log.
        </AlertDialog.Description>
        <ConfirmFooter
          label="Remove account"
          action={() => remove(account.id)}
          onDone={() => {
            setOpen(false);
            onRemoved();
          }}
        />
      </AlertDialog.Content>
    </AlertDialog.Root>
  );
}
