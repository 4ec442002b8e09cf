// The timeline's geometry (src/renderer/src/lib/timeline.ts).
import { describe, expect, it } from 'vitest';
import {
  axisTicks, barSpan, eventSummary, fraction, groupMarkers, groupOutcome, groupSummary, inWindow, nearestMarker, refreshesInView, stepMarker, timeWindow, windowStep, ZOOMS,
} from '../../src/renderer/src/lib/timeline.js';

const M = 60_000;
const H = 60 * M;
const hour = ZOOMS.find((z) => z.id === '1h')!;
const day = ZOOMS.find((z) => z.id === '1d')!;

describe('timeline', () => {
  it('zooms from a quarter hour to "the last hour … the next day"', () => {
    expect(ZOOMS[0]!.before + ZOOMS[0]!.after).toBe(15 * M);
    expect(day.before).toBe(H);
    expect(day.after).toBe(24 * H);
  });

  it('keeps now inside the window, which moves only in steps', () => {
    const now = Date.UTC(2026, 2, 3, 14, 7, 31);
    const win = timeWindow(now, hour);
    expect(win.end - win.start).toBe(H);
    expect(now).toBeGreaterThanOrEqual(win.start + hour.before);
    expect(now).toBeLessThan(win.start + hour.before + windowStep(hour));
    // Within a step the window stays put (no re-render of the rows), then jumps by one step.
    expect(timeWindow(now + 1000, hour)).toEqual(win);
    const later = timeWindow(win.start + hour.before + windowStep(hour), hour);
    expect(later.start - win.start).toBe(windowStep(hour));
  });

  it('places instants and clips bars to the window', () => {
    const win = { start: 0, end: 100 };
    expect(fraction(25, win)).toBe(0.25);
    expect(fraction(-10, win)).toBe(0);
    expect(fraction(150, win)).toBe(1);
    expect(inWindow(50, win)).toBe(true);
    expect(inWindow(150, win)).toBe(false);
    expect(inWindow(undefined, win)).toBe(false);
    const bar = barSpan(20, 60, win)!;
    expect(bar.left).toBeCloseTo(0.2);
    expect(bar.width).toBeCloseTo(0.4);
    expect([bar.clippedStart, bar.clippedEnd]).toEqual([false, false]);
    expect(barSpan(-50, 150, win)).toEqual({ left: 0, width: 1, clippedStart: true, clippedEnd: true });
    expect(barSpan(120, 160, win)).toBeUndefined();
    expect(barSpan(60, 20, win)).toBeUndefined();
  });

  it('puts axis ticks on round local times', () => {
    const start = Date.UTC(2026, 2, 3, 14, 3, 0);
    const ticks = axisTicks({ start, end: start + H }, 8, 0);
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    expect(ticks.length).toBeLessThanOrEqual(8);
    for (const t of ticks) expect(t % (10 * M)).toBe(0);
    // In UTC+5:30 hour ticks fall on the local hour, i.e. at :30 UTC.
    const dayTicks = axisTicks({ start, end: start + 25 * H }, 8, -330);
    for (const t of dayTicks) expect((t + 330 * M) % H).toBe(0);
  });

  it('merges markers closer than 10 px into one, oldest first, never wider than the gap', () => {
    const win = { start: 0, end: 1000 };
    const ev = (at: number, outcome: 'ok' | 'error' = 'ok') => ({ at, outcome });
    // 1000 px track: 1 ms = 1 px. Quick retries at 100, 103, 108 merge; 109 is 9 px from the first, so it joins; 112 does not.
    const groups = groupMarkers([ev(112), ev(103, 'error'), ev(100, 'error'), ev(108), ev(109), ev(500)], win, 1000);
    expect(groups.map((g) => g.items.map((e) => e.at))).toEqual([[100, 103, 108, 109], [112], [500]]);
    expect(groups[0]!.x).toBeCloseTo(0.1045);
    expect(groups.map((g) => groupOutcome(g.items))).toEqual(['mixed', 'ok', 'ok']);
    expect(groupOutcome([ev(1, 'error')])).toBe('error');
    // On a narrow track the same events are one marker; on a wide one none merge.
    expect(groupMarkers([ev(100), ev(112), ev(500)], win, 100)).toHaveLength(2);
    expect(groupMarkers([ev(100), ev(103)], win, 10_000)).toHaveLength(2);
    expect(groupMarkers([], win, 1000)).toEqual([]);
  });

  it('says what, when, outcome and message; counts in correct plurals', () => {
    const time = (at: number) => `T${at}`;
    const ok = { at: 1, trigger: 'scheduled' as const, outcome: 'ok' as const };
    const failed = { at: 2, trigger: 'retry' as const, outcome: 'error' as const, errorClass: 'rate_limited' as const, message: 'Too Many Requests' };
    expect(eventSummary(ok, time)).toBe('Scheduled refresh at T1: ok');
    expect(eventSummary(failed, time)).toBe('Retry at T2: failed (rate limited) — Too Many Requests');
    expect(groupSummary([ok], time)).toBe('Scheduled refresh at T1: ok');
    expect(groupSummary([ok, failed], time)).toBe('2 refreshes T1–T2, 1 failed');
    expect(groupSummary([ok, ok], time)).toBe('2 refreshes T1–T1, all ok');
    expect(refreshesInView([ok])).toBe('1 refresh in view');
    expect(refreshesInView([ok, failed, failed])).toBe('3 refreshes in view (2 failed)');
    expect(refreshesInView([])).toBe('');
  });

  it('moves between markers by arrow key and finds the nearest in another row', () => {
    expect(stepMarker(3, 0, 'ArrowRight')).toBe(1);
    expect(stepMarker(3, 2, 'ArrowRight')).toBe(2);
    expect(stepMarker(3, 0, 'ArrowLeft')).toBe(0);
    expect(stepMarker(3, 1, 'Home')).toBe(0);
    expect(stepMarker(3, 0, 'End')).toBe(2);
    expect(stepMarker(3, 0, 'Enter')).toBeUndefined();
    expect(stepMarker(0, 0, 'ArrowRight')).toBeUndefined();
    expect(nearestMarker([0.1, 0.5, 0.9], 0.6)).toBe(1);
    expect(nearestMarker([], 0.6)).toBeUndefined();
  });
});
