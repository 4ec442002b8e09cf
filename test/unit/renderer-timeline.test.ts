// The timeline's geometry (src/renderer/src/lib/timeline.ts).
import { describe, expect, it } from 'vitest';
import { axisTicks, barSpan, fraction, inWindow, timeWindow, windowStep, ZOOMS } from '../../src/renderer/src/lib/timeline.js';

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
});
