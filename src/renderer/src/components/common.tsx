// Small pieces shared by the views: status badge, live countdown cells, empty states, section headings.
import { memo, type ReactNode } from 'react';
import { Badge, Flex, Heading, Spinner, Text } from '@radix-ui/themes';
import type { AccountView } from '../../../shared/contract.js';
import { useClockDerived, useNow } from '../state/clock.js';
import { errorClassWords, statusInfo } from '../lib/status.js';
import { agoCoarse, compactDuration as fmt, expiresIn, fullTime, nextRefresh } from '../lib/time.js';

export function StatusBadge({ account, size = '1' }: { account: AccountView; size?: '1' | '2' }) {
  const info = statusInfo(account);
  return (
    <Badge color={info.color} size={size} variant="soft" radius="full" className="status-badge">
      {account.status === 'refreshing' && <Spinner size="1" />}
      {info.label}
    </Badge>
  );
}

// The countdown cells read the shared clock through useClockDerived: each tick computes
// their text, but a cell re-renders only when its text changes ("3h 12m" once a minute).

/** "in 12m 05s" on the shared clock. */
export const ExpiresCell = memo(function ExpiresCell({ account }: { account: AccountView }) {
  const [tone, text] = useClockDerived((now) => {
    const e = expiresIn(account, now);
    return `${e.tone}|${e.text}`;
  }).split('|') as [string, string];
  return (
    <span className={`expiry expiry-${tone}`} title={account.expiresAt ? `Expires ${fullTime(account.expiresAt)}` : undefined}>
      {text}
    </span>
  );
});

export const NextRefreshCell = memo(function NextRefreshCell({ account }: { account: AccountView }) {
  const text = useClockDerived((now) => nextRefresh(account, now));
  return <span title={account.nextRefreshAt ? `Next refresh ${fullTime(account.nextRefreshAt)}` : undefined}>{text}</span>;
});

export const LastOutcomeCell = memo(function LastOutcomeCell({ account }: { account: AccountView }) {
  const last = account.lastOutcome;
  const ago = useClockDerived((now) => (last ? agoCoarse(last.at, now) : ''));
  if (!last) return <Text color="gray">never</Text>;
  return (
    <span className="last-outcome" title={`${fullTime(last.at)}${last.outcome === 'error' ? ` — ${errorClassWords(last.errorClass, last.httpStatus)}` : ''}${last.message ? `: ${last.message}` : ''}`}>
      <span className={`dot dot-${last.outcome}`} aria-hidden="true" />
      <span className="sr-only">{last.outcome === 'ok' ? 'succeeded' : 'failed'}</span>
      {last.outcome === 'ok' ? 'ok' : 'failed'} · {ago}
    </span>
  );
});

/** A live relative time ("in 3m 10s" / "2m ago"). */
export function Relative({ at, coarse }: { at: number; coarse?: boolean }) {
  const now = useNow();
  if (coarse) return <>{agoCoarse(at, now)}</>;
  const d = at - now;
  return <>{Math.abs(d) < 1000 ? 'now' : d > 0 ? `in ${fmt(d)}` : `${fmt(d)} ago`}</>;
}

/** "2026-03-03 14:05:09 (in 59m 12s)", live. One element, so flex parents keep the space. */
export function When({ at }: { at: number }) {
  const now = useNow();
  return (
    <span className="when">
      {fullTime(at)} <Text color="gray">({Math.abs(at - now) < 1000 ? 'now' : at > now ? `in ${fmt(at - now)}` : `${fmt(at - now)} ago`})</Text>
    </span>
  );
}

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <Flex direction="column" align="center" justify="center" gap="3" className="empty-state" role="status">
      <Heading as="h2" size="4">
        {title}
      </Heading>
      {children && (
        <Text as="p" color="gray" size="2" align="center" className="empty-text">
          {children}
        </Text>
      )}
      {action}
    </Flex>
  );
}

/** A section's heading with its icon (Settings: vault protection, team vault). */
export function SectionHeading({ icon, children }: { icon: ReactNode; children: ReactNode }) {
  return (
    <Heading as="h3" size="2" mb="2">
      <Flex gap="2" align="center">
        {icon} {children}
      </Flex>
    </Heading>
  );
}
