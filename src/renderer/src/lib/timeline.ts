// The expiry timeline's geometry: zoom levels, the visible window, positions and axis
// ticks. Pure (unit-tested). The window moves in steps, so between steps only the
// now-line moves and the rows do not re-render on every tick.
import type { RefreshEvent, RefreshTrigger } from '../../../shared/domain.js';
import { plural } from '../../../shared/plural.js';
import { errorClassShort } from './status.js';
import { TIME } from './time.js';

const { MINUTE, HOUR } = TIME;

export interface Zoom {
  id: string;
  label: string;
  /** How much of the past the window shows. */
  before: number;
  /** How much of the future. */
  after: number;
}

/** From "the next quarter hour" to "the last hour … the next day". */
export const ZOOMS: readonly Zoom[] = [
  { id: '15m', label: '15 min', before: 5 * MINUTE, after: 10 * MINUTE },
  { id: '1h', label: '1 hour', before: 15 * MINUTE, after: 45 * MINUTE },
  { id: '6h', label: '6 hours', before: HOUR, after: 5 * HOUR },
  { id: '1d', label: '1 day', before: HOUR, after: 24 * HOUR },
];

export interface TimeWindow {
  start: number;
  end: number;
}

/** Steps per window: the window jumps by span/STEPS (7.5 s at 15 min, 12.5 min at a day). */
const STEPS = 120;

export function windowStep(zoom: Zoom): number {
  return (zoom.before + zoom.after) / STEPS;
}

export function timeWindow(now: number, zoom: Zoom): TimeWindow {
  const step = windowStep(zoom);
  const start = Math.floor((now - zoom.before) / step) * step;
  return { start, end: start + zoom.before + zoom.after };
}

/** Fraction of the window (0…1, clamped) at instant `t`. */
export function fraction(t: number, win: TimeWindow): number {
  const f = (t - win.start) / (win.end - win.start);
  return f < 0 ? 0 : f > 1 ? 1 : f;
}

export function inWindow(t: number | undefined, win: TimeWindow): t is number {
  return t !== undefined && t >= win.start && t <= win.end;
}

/** A bar from `from` to `to` clipped to the window, or undefined when it is outside. */
export function barSpan(from: number, to: number, win: TimeWindow): { left: number; width: number; clippedStart: boolean; clippedEnd: boolean } | undefined {
  if (to < win.start || from > win.end || to <= from) return undefined;
  const left = fraction(from, win);
  const right = fraction(to, win);
  return { left, width: Math.max(right - left, 0.002), clippedStart: from < win.start, clippedEnd: to > win.end };
}

const TICK_STEPS = [MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR];

/** Axis ticks at round local times, about `target` of them across the window. */
export function axisTicks(win: TimeWindow, target = 8, tzOffsetMinutes = new Date(win.start).getTimezoneOffset()): number[] {
  const span = win.end - win.start;
  const step = TICK_STEPS.find((s) => span / s <= target) ?? TICK_STEPS[TICK_STEPS.length - 1]!;
  // Round in local time so hour ticks land on the hour wherever the user is.
  const offset = -tzOffsetMinutes * MINUTE;
  const first = Math.ceil((win.start + offset) / step) * step - offset;
  const ticks: number[] = [];
  for (let t = first; t <= win.end; t += step) ticks.push(t);
  return ticks;
}

/** Refreshes closer than this on screen merge into one marker (a dot is 8 px wide). */
export const MIN_MARKER_GAP_PX = 10;

export interface MarkerGroup<T extends { at: number }> {
  /** Position in the window (0…1): the middle of the group's first and last event. */
  x: number;
  /** Oldest first. */
  items: T[];
}

/**
 * Events on one row merged where their markers would overlap: an event joins the group
 * while it lies within `minGapPx` of the group's first event on a track `trackPx` wide, so
 * a group never spreads wider than that. Quick retries become one marker with a count.
 */
export function groupMarkers<T extends { at: number }>(events: readonly T[], win: TimeWindow, trackPx: number, minGapPx = MIN_MARKER_GAP_PX): MarkerGroup<T>[] {
  const sorted = [...events].sort((a, b) => a.at - b.at);
  const groups: MarkerGroup<T>[] = [];
  let anchor = 0;
  for (const e of sorted) {
    const x = fraction(e.at, win);
    const last = groups[groups.length - 1];
    if (last && (x - anchor) * trackPx < minGapPx) last.items.push(e);
    else {
      groups.push({ x, items: [e] });
      anchor = x;
    }
  }
  for (const g of groups) g.x = (fraction(g.items[0]!.at, win) + fraction(g.items[g.items.length - 1]!.at, win)) / 2;
  return groups;
}

type Outcome = { outcome: 'ok' | 'error' };

/** A group's colour: all ok, all failed, or both. */
export function groupOutcome(items: readonly Outcome[]): 'ok' | 'error' | 'mixed' {
  const failed = items.filter((e) => e.outcome === 'error').length;
  return failed === 0 ? 'ok' : failed === items.length ? 'error' : 'mixed';
}

/** The next marker from `index` by arrow key (clamped to the row's markers), or undefined when there is none. */
export function stepMarker(count: number, index: number, key: string): number | undefined {
  if (count === 0) return undefined;
  switch (key) {
    case 'ArrowRight':
      return Math.min(count - 1, index + 1);
    case 'ArrowLeft':
      return Math.max(0, index - 1);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return undefined;
  }
}

/** The index of the marker nearest to position `x` (0…1) — where focus lands in the row above or below. */
export function nearestMarker(positions: readonly number[], x: number): number | undefined {
  let best: number | undefined;
  for (let i = 0; i < positions.length; i++) if (best === undefined || Math.abs(positions[i]! - x) < Math.abs(positions[best]! - x)) best = i;
  return best;
}

const WHAT: Record<RefreshTrigger, string> = {
  scheduled: 'Scheduled refresh',
  manual: 'Manual refresh',
  startup: 'Refresh at startup',
  resume: 'Refresh after sleep',
  retry: 'Retry',
  cli: 'Refresh from the CLI',
  sign_in: 'Sign-in',
};

type Event = Pick<RefreshEvent, 'at' | 'trigger' | 'outcome' | 'errorClass' | 'message'>;

/** What, when and how it ended: "Scheduled refresh at 14:03:12: failed (rate limited) — Too Many Requests". */
export function eventSummary(e: Event, time: (at: number) => string): string {
  const outcome = e.outcome === 'ok' ? 'ok' : `failed (${errorClassShort(e.errorClass)})${e.message ? ` — ${e.message}` : ''}`;
  return `${WHAT[e.trigger]} at ${time(e.at)}: ${outcome}`;
}

/** A merged marker in one line: "3 refreshes 14:03:10–14:03:40, 2 failed". */
export function groupSummary(items: readonly Event[], time: (at: number) => string): string {
  if (items.length === 1) return eventSummary(items[0]!, time);
  const failed = items.filter((e) => e.outcome === 'error').length;
  const first = items[0]!.at;
  const last = items[items.length - 1]!.at;
  return `${plural(items.length, 'refresh')} ${time(first)}–${time(last)}${failed ? `, ${failed} failed` : ', all ok'}`;
}

/** The row's words for screen readers: "4 refreshes in view (1 failed)". */
export function refreshesInView(events: readonly Pick<RefreshEvent, 'outcome'>[]): string {
  if (!events.length) return '';
  const failed = events.filter((e) => e.outcome === 'error').length;
  return `${plural(events.length, 'refresh')} in view${failed ? ` (${failed} failed)` : ''}`;
}
