// The expiry timeline's geometry: zoom levels, the visible window, positions and axis
// ticks. Pure (unit-tested). The window moves in steps, so between steps only the
// now-line moves and the rows do not re-render on every tick.
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
