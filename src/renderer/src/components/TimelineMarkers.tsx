// The marks on one timeline row as focusable markers: past refreshes (merged where they
// would overlap, with a count), the next refresh and the refresh token's expiry. Each has a
// tooltip on hover and on focus; arrow keys move between them (TimelineView wires the keys).
import { memo, useMemo, type KeyboardEvent, type ReactNode } from 'react';
import { Tooltip } from '@radix-ui/themes';
import type { AccountView } from '../../../shared/contract.js';
import type { RefreshEvent } from '../../../shared/domain.js';
import { eventSummary, fraction, groupMarkers, groupOutcome, groupSummary, inWindow, type TimeWindow } from '../lib/timeline.js';
import { clockTime, fullTime } from '../lib/time.js';
import './TimelineView.css';

/** Events listed in a merged marker's tooltip; the rest are counted. */
const TOOLTIP_LIST_MAX = 8;

interface Marker {
  key: string;
  /** Position in the window, 0…1. */
  x: number;
  className: string;
  testId: string;
  /** Events merged into this marker (1 for a single refresh, 0 for the other marks). */
  count: number;
  label: string;
  tooltip: ReactNode;
}

/** Every marker of a row, left to right. */
export function rowMarkers(account: AccountView, events: readonly RefreshEvent[] | undefined, win: TimeWindow, trackPx: number): Marker[] {
  const mid = win.start + (win.end - win.start) / 2;
  const time = (at: number) => clockTime(at, mid, true);
  const markers: Marker[] = (events?.length ? groupMarkers(events, win, trackPx) : []).map((g) => {
    const outcome = groupOutcome(g.items);
    const summary = groupSummary(g.items, time);
    const listed = g.items.length > 1 ? g.items.slice(-TOOLTIP_LIST_MAX).reverse() : [];
    return {
      key: `ev-${g.items[0]!.id}`,
      x: g.x,
      className: `mark-event mark-${outcome}${g.items.length > 1 ? ' mark-group' : ''}`,
      testId: `mark-${outcome}`,
      count: g.items.length,
      label: `${account.name}: ${summary}`,
      tooltip: (
        <div className="tl-tip">
          <div className="tl-tip-title">{summary}</div>
          {listed.length > 0 && (
            <ul>
              {listed.map((e) => (
                <li key={e.id} className={e.outcome === 'error' ? 'tl-tip-error' : undefined}>
                  {eventSummary(e, time)}
                </li>
              ))}
              {g.items.length > listed.length && <li>… and {g.items.length - listed.length} older</li>}
            </ul>
          )}
        </div>
      ),
    };
  });
  if (inWindow(account.nextRefreshAt, win)) {
    const text = `Next refresh ${fullTime(account.nextRefreshAt)}`;
    markers.push({ key: 'next', x: fraction(account.nextRefreshAt, win), className: 'mark-next', testId: 'mark-next', count: 0, label: `${account.name}: ${text}`, tooltip: text });
  }
  if (inWindow(account.refreshTokenExpiresAt, win)) {
    const text = `Refresh token expires ${fullTime(account.refreshTokenExpiresAt)}; sign in again before then`;
    markers.push({ key: 'rt', x: fraction(account.refreshTokenExpiresAt, win), className: 'mark-rt', testId: 'mark-rt', count: 0, label: `${account.name}: ${text}`, tooltip: text });
  }
  return markers.sort((a, b) => a.x - b.x);
}

interface Props {
  account: AccountView;
  events?: readonly RefreshEvent[];
  win: TimeWindow;
  trackPx: number;
  /** A key pressed on marker `index` of this row; returns true when it was handled. */
  onMarkerKey: (e: KeyboardEvent<HTMLButtonElement>, index: number) => boolean;
  onMarkerFocus: () => void;
}

export const TrackMarkers = memo(function TrackMarkers({ account, events, win, trackPx, onMarkerKey, onMarkerFocus }: Props) {
  const markers = useMemo(() => rowMarkers(account, events, win, trackPx), [account, events, win, trackPx]);
  return (
    <>
      {markers.map((m, i) => (
        <Tooltip key={m.key} content={m.tooltip} delayDuration={150}>
          <button
            type="button"
            tabIndex={-1}
            className={`tl-marker ${m.className}`}
            style={{ left: `${m.x * 100}%` }}
            aria-label={m.label}
            data-testid={m.testId}
            data-x={m.x}
            data-count={m.count || undefined}
            onFocus={onMarkerFocus}
            onKeyDown={(e) => {
              if (onMarkerKey(e, i)) {
                e.preventDefault();
                e.stopPropagation();
              }
            }}
          >
            {m.count > 1 && <span className="mark-count">{m.count}</span>}
          </button>
        </Tooltip>
      ))}
    </>
  );
});
