// QuitController: before-quit is held for the teardown (bounded), the end of the OS session
// bounds it at SESSION_END_TEARDOWN_MS (also shortening a quit already under way), and
// app.quit() is called exactly once.
import { describe, expect, it } from 'vitest';
import { QUIT_TEARDOWN_MS, QuitController, SESSION_END_TEARDOWN_MS } from '../../src/main/app/quit.js';

/** Timers the test fires by hand; a teardown the test resolves by hand. */
function harness() {
  const timers = new Map<number, { fn: () => void; ms: number }>();
  let next = 1;
  let finishTeardown!: () => void;
  let teardowns = 0;
  const quits: number[] = [];
  const controller = new QuitController({
    teardown: () => {
      teardowns++;
      return new Promise<void>((resolve) => (finishTeardown = resolve));
    },
    quit: () => void quits.push(Date.now()),
    setTimeout: (fn, ms) => {
      timers.set(next, { fn, ms });
      return next++;
    },
    clearTimeout: (h) => void timers.delete(h as number),
  });
  const prevented = () => {
    const e = { count: 0, preventDefault: () => void e.count++ };
    return e;
  };
  const fire = () => {
    const [id, t] = [...timers.entries()][0]!;
    timers.delete(id);
    t.fn();
  };
  return { controller, timers, quits, prevented, fire, finish: () => finishTeardown(), teardownCount: () => teardowns };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('QuitController', () => {
  it('a quit holds before-quit until the teardown ends, then quits once; before-quit then passes', async () => {
    const h = harness();
    const first = h.prevented();
    h.controller.onBeforeQuit(first);
    expect(first.count).toBe(1);
    expect([...h.timers.values()].map((t) => t.ms)).toEqual([QUIT_TEARDOWN_MS]);
    h.controller.onBeforeQuit(h.prevented()); // a second Cmd+Q while tearing down
    expect(h.teardownCount()).toBe(1);
    h.finish();
    await settle();
    expect(h.quits).toHaveLength(1);
    expect(h.timers.size).toBe(0);
    const after = h.prevented();
    h.controller.onBeforeQuit(after);
    expect(after.count).toBe(0);
    expect(h.controller.phase).toBe('done');
  });

  it('a teardown that never ends is cut off at the limit', async () => {
    const h = harness();
    h.controller.onBeforeQuit(h.prevented());
    h.fire();
    expect(h.quits).toHaveLength(1);
    h.finish();
    await settle();
    expect(h.quits).toHaveLength(1);
  });

  it('system shutdown: prevents (asks the OS to wait) and bounds the teardown at 2 s', () => {
    const h = harness();
    const e = h.prevented();
    h.controller.onSystemShutdown(e);
    expect(e.count).toBe(1);
    expect([...h.timers.values()].map((t) => t.ms)).toEqual([SESSION_END_TEARDOWN_MS]);
    h.fire();
    expect(h.quits).toHaveLength(1);
  });

  it('the session ending during a user quit shortens the limit to 2 s; Windows session end never prevents', () => {
    const h = harness();
    h.controller.onBeforeQuit(h.prevented());
    h.controller.onSessionEnd();
    expect([...h.timers.values()].map((t) => t.ms)).toEqual([SESSION_END_TEARDOWN_MS]);
    expect(h.teardownCount()).toBe(1);
    h.fire();
    expect(h.quits).toHaveLength(1);
    h.controller.onSessionEnd();
    expect(h.quits).toHaveLength(1);
  });
});
