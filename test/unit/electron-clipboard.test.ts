// Copy token: written by main, cleared after N seconds only if the clipboard still
// holds it, never cleared when the user copied something else meanwhile.
import { describe, expect, it } from 'vitest';
import { ClipboardGuard, type ClipboardLike, type Timers } from '../../src/main/app/clipboard.js';

function fakeClipboard() {
  const state = { text: '', clears: 0 };
  const clipboard: ClipboardLike = {
    writeText: async (t) => void (state.text = t),
    readText: async () => state.text,
    clear: () => {
      state.text = '';
      state.clears++;
    },
  };
  return { clipboard, state };
}

function fakeTimers() {
  const pending = new Map<number, { fn: () => void; ms: number }>();
  let id = 0;
  const timers: Timers = {
    setTimeout: (fn, ms) => (pending.set(++id, { fn, ms }), id),
    clearTimeout: (h) => void pending.delete(h as number),
  };
  return {
    timers,
    pending,
    async fire() {
      const all = [...pending.values()];
      pending.clear();
      for (const t of all) t.fn();
      await new Promise((r) => setTimeout(r, 0));
    },
  };
}

describe('clipboard guard', () => {
  it('clears after the given seconds when the clipboard still holds the token', async () => {
    const { clipboard, state } = fakeClipboard();
    const t = fakeTimers();
    const guard = new ClipboardGuard(clipboard, t.timers);
    await guard.copy('tok-123', 30);
    expect(state.text).toBe('tok-123');
    expect([...t.pending.values()].map((p) => p.ms)).toEqual([30_000]);
    expect(await guard.holdsOurs()).toBe(true);
    await t.fire();
    expect(state).toEqual({ text: '', clears: 1 });
    expect(await guard.holdsOurs()).toBe(false);
  });

  it('leaves the clipboard alone when the user copied something else', async () => {
    const { clipboard, state } = fakeClipboard();
    const t = fakeTimers();
    const guard = new ClipboardGuard(clipboard, t.timers);
    await guard.copy('tok-123', 30);
    state.text = 'the user’s own text';
    await t.fire();
    expect(state).toEqual({ text: 'the user’s own text', clears: 0 });
  });

  it('0 seconds means never', async () => {
    const { clipboard, state } = fakeClipboard();
    const t = fakeTimers();
    await new ClipboardGuard(clipboard, t.timers).copy('tok', 0);
    expect(t.pending.size).toBe(0);
    expect(state.text).toBe('tok');
  });

  it('a second copy replaces the first timer; the new token is cleared on time', async () => {
    const { clipboard, state } = fakeClipboard();
    const t = fakeTimers();
    const guard = new ClipboardGuard(clipboard, t.timers);
    await guard.copy('first', 30);
    await guard.copy('second', 10);
    expect([...t.pending.values()].map((p) => p.ms)).toEqual([10_000]);
    await t.fire();
    expect(state).toEqual({ text: '', clears: 1 });
  });

  it('clears at quit if it still holds ours, and not otherwise', async () => {
    const a = fakeClipboard();
    const t = fakeTimers();
    const guard = new ClipboardGuard(a.clipboard, t.timers);
    await guard.copy('tok', 30);
    expect(await guard.clearIfHeld()).toBe(true);
    expect(a.state.text).toBe('');
    expect(t.pending.size).toBe(0);
    expect(await guard.clearIfHeld()).toBe(false);

    const b = fakeClipboard();
    const other = new ClipboardGuard(b.clipboard, fakeTimers().timers);
    await other.copy('tok', 30);
    b.state.text = 'else';
    expect(await other.clearIfHeld()).toBe(false);
    expect(b.state.text).toBe('else');
  });

  it('keeps no copy of the token, only a digest', async () => {
    const guard = new ClipboardGuard(fakeClipboard().clipboard, fakeTimers().timers);
    await guard.copy('very-secret-token', 30);
    expect(JSON.stringify(Object.entries(guard))).not.toContain('very-secret-token');
  });

  it('works with a synchronous clipboard too (older Electron)', async () => {
    let text = '';
    const guard = new ClipboardGuard({ writeText: (t) => void (text = t), readText: () => text, clear: () => void (text = '') }, fakeTimers().timers);
    await guard.copy('tok', 5);
    expect(await guard.clearIfHeld()).toBe(true);
    expect(text).toBe('');
  });
});
