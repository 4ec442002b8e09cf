import { describe, expect, it } from 'vitest';
import { backoffDelay, marginFor, nextDeadline } from '../../src/main/core/engine/deadline.js';
import { DeadlineQueue } from '../../src/main/core/engine/deadline-queue.js';
import { Semaphore } from '../../src/main/core/engine/semaphore.js';

const S = 1000;
const MIN = 60 * S;
const NOW = 1_800_000_000_000;
const noJitter = () => 0;

describe('refresh margin', () => {
  it('is 20% of the lifetime, clamped to 30 s … 15 min, never more than half the lifetime', () => {
    expect(marginFor(60 * MIN)).toBe(12 * MIN);
    expect(marginFor(4 * 60 * MIN)).toBe(15 * MIN);
    expect(marginFor(60 * S)).toBe(30 * S);
    expect(marginFor(4 * S)).toBe(2 * S);
  });
});

describe('nextDeadline', () => {
  it('refreshes at expiresAt − margin − jitter', () => {
    const at = nextDeadline({ obtainedAt: NOW, expiresAt: NOW + 60 * MIN }, NOW, noJitter);
    expect(at).toBe(NOW + 48 * MIN);
    const jittered = nextDeadline({ obtainedAt: NOW, expiresAt: NOW + 60 * MIN }, NOW, () => 0.999)!;
    expect(jittered).toBeLessThan(NOW + 48 * MIN);
    expect(jittered).toBeGreaterThan(NOW + 48 * MIN - 31 * S);
  });
  it('a 4-second token refreshes at about 2 s, not in a loop', () => {
    const at = nextDeadline({ obtainedAt: NOW, expiresAt: NOW + 4 * S }, NOW, noJitter)!;
    expect(at - NOW).toBe(2 * S);
  });
  it('uses the refresh-every interval when no expiry is known', () => {
    expect(nextDeadline({ refreshEveryMs: 10 * MIN, lastRefreshAt: NOW - MIN }, NOW, noJitter)).toBe(NOW + 9 * MIN);
    expect(nextDeadline({}, NOW, noJitter)).toBeUndefined();
  });
  it('a near refresh-token expiry is also a deadline', () => {
    const at = nextDeadline({ obtainedAt: NOW, expiresAt: NOW + 60 * MIN, refreshTokenExpiresAt: NOW + 10 * MIN }, NOW, noJitter);
    expect(at).toBe(NOW + 9 * MIN);
  });
  it('refreshes at once when there is no access token yet', () => {
    expect(nextDeadline({ missingAccessToken: true, refreshEveryMs: MIN }, NOW)).toBe(NOW);
  });
});

describe('backoffDelay (full jitter)', () => {
  it('stays within [0, min(cap, base·2^n)] and reaches the cap', () => {
    expect(backoffDelay(0, () => 0.999)).toBeLessThanOrEqual(5 * S);
    expect(backoffDelay(3, () => 0.999)).toBeLessThanOrEqual(40 * S);
    expect(backoffDelay(3, () => 0.999)).toBeGreaterThan(39 * S);
    expect(backoffDelay(20, () => 0.999)).toBeLessThanOrEqual(5 * MIN);
    expect(backoffDelay(20, () => 0.999)).toBeGreaterThan(4.9 * MIN);
    expect(backoffDelay(5, () => 0)).toBeGreaterThan(0);
  });
});

describe('DeadlineQueue', () => {
  it('pops due entries in deadline order and supports moves and deletes', () => {
    const q = new DeadlineQueue();
    const n = 2000;
    const deadlines = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const at = Math.floor(Math.random() * 1e6);
      q.set(`a${i}`, at);
      deadlines.set(`a${i}`, at);
    }
    for (let i = 0; i < n; i += 3) {
      const at = Math.floor(Math.random() * 1e6);
      q.set(`a${i}`, at);
      deadlines.set(`a${i}`, at);
    }
    for (let i = 1; i < n; i += 7) {
      q.delete(`a${i}`);
      deadlines.delete(`a${i}`);
    }
    expect(q.size).toBe(deadlines.size);
    const popped = q.popDue(Number.MAX_SAFE_INTEGER);
    expect(popped.map((e) => e.at)).toEqual([...deadlines.values()].sort((a, b) => a - b));
    expect(q.size).toBe(0);
  });
  it('popDue leaves entries that are not due yet', () => {
    const q = new DeadlineQueue();
    q.set('a', 10);
    q.set('b', 20);
    expect(q.popDue(15).map((e) => e.id)).toEqual(['a']);
    expect(q.peek()?.id).toBe('b');
  });
});

describe('Semaphore', () => {
  it('never lets more than the limit run at once', async () => {
    const sem = new Semaphore(4);
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 40 }, async () => {
        const release = await sem.acquire();
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 2));
        running--;
        release();
      }),
    );
    expect(peak).toBe(4);
    expect(sem.inUse).toBe(0);
  });
});
