// The expiry timeline: one row per account (virtualised) on a shared time axis. A bar
// is the access token's lifetime, ◆ the next scheduled refresh, dots the past refreshes
// coloured by outcome, a red tick the refresh token's expiry; the now-line moves with
// the shared clock while the window itself only moves in steps (lib/timeline.ts).
import { memo, useLayoutEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { Flex, SegmentedControl, Text } from '@radix-ui/themes';
import type { AccountView } from '../../../shared/contract.js';
import type { RefreshEvent } from '../../../shared/domain.js';
import { useClockDerived, useNow } from '../state/clock.js';
import { useStore } from '../state/store.js';
import { statusInfo } from '../lib/status.js';
import { axisTicks, barSpan, fraction, inWindow, timeWindow, ZOOMS, type TimeWindow, type Zoom } from '../lib/timeline.js';
import { clockTime, fullTime } from '../lib/time.js';
import { useKeyboardRows } from './useKeyboardRows.js';

const ROW_HEIGHT = 34;

interface Props {
  accounts: readonly AccountView[];
  selectedId?: string;
  onSelect: (id: string) => void;
  zoomId: string;
  onZoom: (id: string) => void;
}

export function TimelineView({ accounts, selectedId, onSelect, zoomId, onZoom }: Props) {
  const zoom: Zoom = ZOOMS.find((z) => z.id === zoomId) ?? ZOOMS[1]!;
  // Re-renders when the window steps, not on every tick.
  const start = useClockDerived((now) => timeWindow(now, zoom).start);
  const win: TimeWindow = useMemo(() => ({ start, end: start + zoom.before + zoom.after }), [start, zoom]);
  const recent = useStore((s) => s.recentHistory);
  const marks = useMemo(() => {
    const by = new Map<string, RefreshEvent[]>();
    for (const e of recent) {
      if (e.at < win.start) break; // newest first: the rest is older
      if (e.at > win.end) continue;
      let list = by.get(e.accountId);
      if (!list) by.set(e.accountId, (list = []));
      list.push(e);
    }
    return by;
  }, [recent, win]);

  const [gutter, setGutter] = useState(0);
  const { scrollRef, virtualizer, activeIndex, setActive, navigate } = useKeyboardRows(accounts, { rowHeight: ROW_HEIGHT, overscan: 8, onSelect });
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const measure = () => setGutter(el.offsetWidth - el.clientWidth);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [scrollRef]);

  const ticks = useMemo(() => axisTicks(win), [win]);
  const zoomIndex = ZOOMS.indexOf(zoom);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (navigate(e)) return e.preventDefault();
    switch (e.key) {
      case '+':
      case '=':
        if (zoomIndex > 0) onZoom(ZOOMS[zoomIndex - 1]!.id);
        break;
      case '-':
        if (zoomIndex < ZOOMS.length - 1) onZoom(ZOOMS[zoomIndex + 1]!.id);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const activeAccount = accounts[activeIndex];
  return (
    <div className="timeline" data-testid="timeline">
      <TimelineToolbar zoom={zoom} onZoom={onZoom} />
      <div className="timeline-frame" style={{ ['--tl-gutter' as string]: `${gutter}px` }}>
        <div className="timeline-axis" aria-hidden="true">
          <div className="tl-label-col" />
          <div className="tl-track axis-track">
            {ticks.map((t) => (
              <span key={t} className="axis-tick" style={{ left: `${fraction(t, win) * 100}%` }}>
                {clockTime(t, win.start + (win.end - win.start) / 2, false)}
              </span>
            ))}
          </div>
        </div>
        <div className="timeline-body">
          <div className="tl-overlay" aria-hidden="true">
            {ticks.map((t) => (
              <span key={t} className="gridline" style={{ left: `${fraction(t, win) * 100}%` }} />
            ))}
            <NowLine win={win} />
          </div>
          <div
            ref={scrollRef}
            className="timeline-scroll"
            role="grid"
            tabIndex={0}
            aria-label={`Expiry timeline, ${accounts.length} accounts, ${fullTime(win.start)} to ${fullTime(win.end)}. Arrow keys move, Enter opens, plus and minus zoom.`}
            aria-rowcount={accounts.length}
            aria-activedescendant={activeAccount ? `tl-row-${activeAccount.id}` : undefined}
            onKeyDown={onKeyDown}
          >
            <div className="list-inner" style={{ height: virtualizer.getTotalSize() }}>
              {virtualizer.getVirtualItems().map((item) => {
                const account = accounts[item.index]!;
                return (
                  <TimelineRow
                    key={account.id}
                    account={account}
                    win={win}
                    events={marks.get(account.id)}
                    top={item.start}
                    index={item.index}
                    active={item.index === activeIndex}
                    selected={account.id === selectedId}
                    onSelect={onSelect}
                    onActivate={setActive}
                  />
                );
              })}
            </div>
          </div>
        </div>
      </div>
    </div>
  );
}

/** The zoom choice (the width of the window) and the legend of the marks. */
function TimelineToolbar({ zoom, onZoom }: { zoom: Zoom; onZoom: (id: string) => void }) {
  return (
    <Flex className="toolbar timeline-toolbar" gap="4" align="center" wrap="wrap">
      <Flex align="center" gap="2">
        <Text size="1" color="gray" id="zoom-label">
          Window
        </Text>
        <SegmentedControl.Root value={zoom.id} onValueChange={onZoom} size="1" aria-labelledby="zoom-label">
          {ZOOMS.map((z) => (
            <SegmentedControl.Item key={z.id} value={z.id}>
              {z.label}
            </SegmentedControl.Item>
          ))}
        </SegmentedControl.Root>
      </Flex>
      <Flex className="legend" gap="3" align="center" wrap="wrap" aria-label="Legend">
        <span className="legend-item">
          <span className="legend-bar" /> token lifetime
        </span>
        <span className="legend-item">
          <span className="mark-next legend-mark" /> next refresh
        </span>
        <span className="legend-item">
          <span className="mark-event mark-ok legend-mark" /> refresh ok
        </span>
        <span className="legend-item">
          <span className="mark-event mark-error legend-mark" /> refresh failed
        </span>
        <span className="legend-item">
          <span className="mark-rt legend-mark" /> refresh token expires
        </span>
        <span className="legend-item">
          <span className="legend-now" /> now
        </span>
      </Flex>
    </Flex>
  );
}

function NowLine({ win }: { win: TimeWindow }) {
  const now = useNow();
  return <span className="now-line" data-testid="now-line" style={{ left: `${fraction(now, win) * 100}%` }} title={`Now: ${fullTime(now)}`} />;
}

interface RowProps {
  account: AccountView;
  win: TimeWindow;
  events?: RefreshEvent[];
  top: number;
  index: number;
  active: boolean;
  selected: boolean;
  onSelect: (id: string) => void;
  onActivate: (i: number) => void;
}

const TimelineRow = memo(function TimelineRow({ account, win, events, top, index, active, selected, onSelect, onActivate }: RowProps) {
  const info = statusInfo(account);
  const from = account.obtainedAt ?? account.lastRefreshAt;
  const unknownExpiry = account.expiresAt === undefined && account.hasAccessToken && account.status !== 'revoked';
  const bar = from !== undefined && (account.expiresAt !== undefined || unknownExpiry) ? barSpan(from, account.expiresAt ?? win.end + 1, win) : undefined;
  const rtBeyond = account.refreshTokenExpiresAt !== undefined && account.refreshTokenExpiresAt > win.end;
  const summary = [
    `${account.name}: ${info.label}`,
    account.expiresAt !== undefined ? `token valid until ${fullTime(account.expiresAt)}` : unknownExpiry ? 'no known expiry' : 'no token',
    account.nextRefreshAt !== undefined ? `next refresh ${fullTime(account.nextRefreshAt)}` : '',
    events?.length ? `${events.length} refreshes in view (${events.filter((e) => e.outcome === 'error').length} failed)` : '',
    account.refreshTokenExpiresAt !== undefined ? `refresh token expires ${fullTime(account.refreshTokenExpiresAt)}` : '',
  ]
    .filter(Boolean)
    .join('; ');
  return (
    <div
      id={`tl-row-${account.id}`}
      role="row"
      aria-rowindex={index + 1}
      aria-selected={selected}
      aria-label={summary}
      className={`tl-row${active ? ' row-active' : ''}${selected ? ' row-selected' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      onClick={() => {
        onActivate(index);
        onSelect(account.id);
      }}
      data-account-name={account.name}
    >
      <div className="tl-label-col" role="rowheader">
        <span className={`dot dot-status-${info.color}`} aria-hidden="true" />
        <Text size="1" truncate weight={selected ? 'bold' : 'regular'}>
          {account.name}
        </Text>
      </div>
      <div className="tl-track" role="gridcell">
        {bar && (
          <span
            className={`lifetime lifetime-${info.color}${unknownExpiry ? ' lifetime-unknown' : ''}${bar.clippedStart ? ' clipped-start' : ''}${bar.clippedEnd ? ' clipped-end' : ''}`}
            style={{ left: `${bar.left * 100}%`, width: `${bar.width * 100}%` }}
            title={`${account.name}: token ${from !== undefined ? `from ${fullTime(from)} ` : ''}${account.expiresAt !== undefined ? `until ${fullTime(account.expiresAt)}` : '(no known expiry)'}`}
            data-testid="lifetime-bar"
          />
        )}
        {inWindow(account.nextRefreshAt, win) && (
          <span className="mark-next" style={{ left: `${fraction(account.nextRefreshAt, win) * 100}%` }} title={`Next refresh ${fullTime(account.nextRefreshAt)}`} data-testid="mark-next" />
        )}
        {events?.map((e) => (
          <span
            key={e.id}
            className={`mark-event mark-${e.outcome}`}
            style={{ left: `${fraction(e.at, win) * 100}%` }}
            title={`${fullTime(e.at)}: ${e.trigger} refresh ${e.outcome === 'ok' ? 'ok' : `failed${e.message ? ` — ${e.message}` : ''}`}`}
            data-testid={`mark-${e.outcome}`}
          />
        ))}
        {inWindow(account.refreshTokenExpiresAt, win) && (
          <span className="mark-rt" style={{ left: `${fraction(account.refreshTokenExpiresAt, win) * 100}%` }} title={`Refresh token expires ${fullTime(account.refreshTokenExpiresAt)}`} data-testid="mark-rt" />
        )}
        {rtBeyond && (
          <span className="rt-beyond" title={`Refresh token expires ${fullTime(account.refreshTokenExpiresAt!)}`}>
            refresh token until {clockTime(account.refreshTokenExpiresAt!, win.start, false)} ▸
          </span>
        )}
      </div>
    </div>
  );
});
