// The expiry timeline: one row per account (virtualised) on a shared time axis. A bar
// is the access token's lifetime, ◆ the next scheduled refresh, dots the past refreshes
// coloured by outcome (merged with a count where they would overlap), a red tick the
// refresh token's expiry; the now-line moves with the shared clock while the window itself
// only moves in steps (lib/timeline.ts). The marks are markers (TimelineMarkers.tsx): from
// the grid, → and ← enter the active row's markers, arrows move between them (↑ ↓ to the
// nearest in the next row), Escape returns to the rows.
import { memo, useCallback, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { Flex, SegmentedControl, Text } from '@radix-ui/themes';
import type { AccountView } from '../../../shared/contract.js';
import type { RefreshEvent } from '../../../shared/domain.js';
import { useClockDerived, useNow } from '../state/clock.js';
import { useStore } from '../state/store.js';
import { statusInfo } from '../lib/status.js';
import { axisTicks, barSpan, fraction, nearestMarker, refreshesInView, stepMarker, timeWindow, ZOOMS, type TimeWindow, type Zoom } from '../lib/timeline.js';
import { clockTime, fullTime } from '../lib/time.js';
import { TrackMarkers } from './TimelineMarkers.js';
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
  const [trackPx, setTrackPx] = useState(800);
  const axisTrackRef = useRef<HTMLDivElement>(null);
  const { scrollRef, virtualizer, activeIndex, setActive, move, navigate } = useKeyboardRows(accounts, { rowHeight: ROW_HEIGHT, overscan: 8, onSelect });
  useLayoutEffect(() => {
    const el = scrollRef.current;
    const track = axisTrackRef.current;
    if (!el || !track) return;
    const measure = () => {
      setGutter(el.offsetWidth - el.clientWidth);
      setTrackPx(track.clientWidth || 800);
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    ro.observe(track);
    return () => ro.disconnect();
  }, [scrollRef]);

  const markers = useMarkerKeys(accounts, scrollRef, move);

  const ticks = useMemo(() => axisTicks(win), [win]);
  const zoomIndex = ZOOMS.indexOf(zoom);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (navigate(e)) return e.preventDefault();
    switch (e.key) {
      case 'ArrowRight':
      case 'ArrowLeft':
        markers.focusMarker(activeIndex, e.key === 'ArrowRight' ? 'first' : 'last');
        break;
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
          <div className="tl-track axis-track" ref={axisTrackRef}>
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
            aria-label={`Expiry timeline, ${accounts.length} accounts, ${fullTime(win.start)} to ${fullTime(win.end)}. Up and down move between accounts, right and left between an account's refreshes, Enter opens, plus and minus zoom.`}
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
                    trackPx={trackPx}
                    onMarkerKey={markers.onMarkerKey}
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
          <span className="mark-event mark-mixed mark-group legend-mark">
            <span className="mark-count">3</span>
          </span>{' '}
          refreshes close together
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
  trackPx: number;
  onMarkerKey: (e: KeyboardEvent<HTMLButtonElement>, row: number, marker: number) => boolean;
}

const TimelineRow = memo(function TimelineRow({ account, win, events, top, index, active, selected, onSelect, onActivate, trackPx, onMarkerKey }: RowProps) {
  const info = statusInfo(account);
  const from = account.obtainedAt ?? account.lastRefreshAt;
  const unknownExpiry = account.expiresAt === undefined && account.hasAccessToken && account.status !== 'revoked';
  const bar = from !== undefined && (account.expiresAt !== undefined || unknownExpiry) ? barSpan(from, account.expiresAt ?? win.end + 1, win) : undefined;
  const rtBeyond = account.refreshTokenExpiresAt !== undefined && account.refreshTokenExpiresAt > win.end;
  const summary = [
    `${account.name}: ${info.label}`,
    account.expiresAt !== undefined ? `token valid until ${fullTime(account.expiresAt)}` : unknownExpiry ? 'no known expiry' : 'no token',
    account.nextRefreshAt !== undefined ? `next refresh ${fullTime(account.nextRefreshAt)}` : '',
    events ? refreshesInView(events) : '',
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
        <TrackMarkers account={account} events={events} win={win} trackPx={trackPx} onMarkerKey={(e, i) => onMarkerKey(e, index, i)} onMarkerFocus={() => onActivate(index)} />
        {rtBeyond && (
          <span className="rt-beyond" title={`Refresh token expires ${fullTime(account.refreshTokenExpiresAt!)}`} data-testid="rt-beyond">
            refresh token until {clockTime(account.refreshTokenExpiresAt!, win.start, false)} ▸
          </span>
        )}
      </div>
    </div>
  );
});

/** Moves focus among the rows' markers (DOM order is left to right; TimelineMarkers sorts them). */
function useMarkerKeys(accounts: readonly AccountView[], scrollRef: RefObject<HTMLDivElement | null>, move: (i: number) => void) {
  const buttonsOf = useCallback(
    (row: number): HTMLButtonElement[] => {
      const id = accounts[row]?.id;
      const el = id ? scrollRef.current?.querySelector(`#tl-row-${CSS.escape(id)}`) : undefined;
      return el ? [...el.querySelectorAll<HTMLButtonElement>('.tl-marker')] : [];
    },
    [accounts, scrollRef],
  );
  /** Focuses a marker of `row`: the first, the last, the one at an index, or the nearest to position `x`; false when the row has none. */
  const focusMarker = useCallback(
    (row: number, where: 'first' | 'last' | { index: number } | { x: number }): boolean => {
      const buttons = buttonsOf(row);
      const i =
        where === 'first' ? 0 : where === 'last' ? buttons.length - 1 : 'index' in where ? where.index : nearestMarker(buttons.map((b) => Number(b.dataset['x'])), where.x);
      const target = i === undefined ? undefined : buttons[i];
      target?.focus();
      return Boolean(target);
    },
    [buttonsOf],
  );
  const onMarkerKey = useCallback(
    (e: KeyboardEvent<HTMLButtonElement>, row: number, marker: number): boolean => {
      if (e.altKey || e.ctrlKey || e.metaKey) return false;
      const step = stepMarker(buttonsOf(row).length, marker, e.key);
      if (step !== undefined) {
        focusMarker(row, { index: step });
        return true;
      }
      if (e.key === 'Escape') {
        scrollRef.current?.focus();
        return true;
      }
      if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return false;
      const to = row + (e.key === 'ArrowDown' ? 1 : -1);
      if (to < 0 || to >= accounts.length) return true;
      const x = Number(e.currentTarget.dataset['x']);
      move(to);
      // The next row is rendered already (overscan); once it is in view, focus its nearest marker, or the rows.
      requestAnimationFrame(() => focusMarker(to, { x }) || scrollRef.current?.focus());
      return true;
    },
    [accounts.length, buttonsOf, focusMarker, move, scrollRef],
  );
  return { focusMarker, onMarkerKey };
}
