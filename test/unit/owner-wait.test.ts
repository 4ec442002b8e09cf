// src/cli/owner-wait.ts: the pause between retries of an owner that does not answer yet.
import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../src/cli/owner-wait.js';

describe('retryDelayMs', () => {
  it('starts near 20 ms and doubles to at most 400 ms, jittered by ±50 %', () => {
    const at = (attempt: number, random: number) => retryDelayMs(attempt, () => random);
    expect([0, 1, 2, 3, 4, 5, 6, 50].map((n) => at(n, 0.5))).toEqual([20, 40, 80, 160, 320, 400, 400, 400]);
    expect(at(0, 0)).toBe(10);
    expect(at(50, 0.999999)).toBeLessThan(600);
    expect(at(50, 0)).toBe(200);
  });
});
