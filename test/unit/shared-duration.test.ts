// One duration grammar for the CLI and the dashboard (src/shared/duration.ts): what it reads,
// how it refuses, that what it writes reads back, and that both sides use it.
import { InvalidArgumentError, type Command, type Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { relative } from '../../src/cli/format.js';
import { checkAddForm, emptyForm, formFromAccount } from '../../src/renderer/src/lib/form.js';
import type { AccountView } from '../../src/shared/contract.js';
import { formatDuration, parseDuration } from '../../src/shared/duration.js';
import { providerDescriptors } from '../../src/shared/providers/index.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

const ms = (text: string): number => {
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new Error(`${JSON.stringify(text)}: ${parsed.error}`);
  return parsed.ms;
};
const errorOf = (text: string): string => {
  const parsed = parseDuration(text);
  if (parsed.ok) throw new Error(`${JSON.stringify(text)} was accepted as ${parsed.ms}`);
  return parsed.error;
};

describe('parseDuration', () => {
  it.each([
    // What the dashboard read before.
    ['90s', 90 * S],
    ['15m', 15 * M],
    ['2h', 2 * H],
    ['1d', D],
    ['1h30m', 90 * M],
    ['1h 30m', 90 * M],
    [' 1.5h ', 90 * M],
    ['1D 6H', 30 * H],
    ['3h 07m', 3 * H + 7 * M], // the dashboard's countdowns, copied
    ['12m 05s', 12 * M + 5 * S],
    // What the CLI read before (`ms`, with a whole number alone meaning seconds).
    ['600', 600 * S],
    ['15 minutes', 15 * M],
    ['2 hours', 2 * H],
    ['1 hr', H],
    ['2hrs', 2 * H],
    ['10 mins', 10 * M],
    ['30 secs', 30 * S],
    ['1 second', S],
    ['1 day', D],
    ['2 days', 2 * D],
    ['1w', 7 * D],
    ['2 weeks', 14 * D],
    ['1y', 365.25 * D],
    ['1 year', 365.25 * D],
    ['2yrs', 730.5 * D],
    ['.5h', 30 * M],
    ['1.5d', 36 * H],
    ['500ms', 500],
    ['250 msecs', 250],
    ['1 millisecond', 1],
    ['1H', H],
    // Both together.
    ['2 hours 30 minutes', 150 * M],
    ['1d6h30m15s', D + 6 * H + 30 * M + 15 * S],
    ['1.5', 1500],
    ['0.6ms', 0.6], // rounded to a whole millisecond
  ])('%j is %d ms', (text, expected) => {
    expect(ms(text)).toBe(Math.round(expected));
  });

  it.each([
    ['', /^no duration given; write one e\.g\. 90s/],
    ['   ', /^no duration given/],
    ['soon', /^not a duration; write one e\.g\. 90s, 15m, 1h30m or 1d 6h$/],
    ['m', /^not a duration/],
    ['5x', /^unknown unit "x"; use ms, s, m, h, d, w or y$/],
    ['1h 30', /^30 has no unit \(s, m, h, d…\); only a number alone means seconds$/],
    ['1h, 30m', /^", 30m" is not a number with a unit/],
    ['-5m', /^a duration cannot be negative$/],
    ['0', /^a duration must be longer than zero$/],
    ['0s 0m', /longer than zero/],
    ['0.2ms', /longer than zero/],
    ['1e3', /unknown unit "e"/],
    ['9'.repeat(20) + 'y', /^far too long$/],
  ])('refuses %j, saying what is wrong', (text, message) => {
    expect(errorOf(text)).toMatch(message);
  });

  it('never echoes the input (the caller shows it next to the message)', () => {
    expect(errorOf('secretish-value')).not.toContain('secretish');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [1, '1ms'],
    [999, '999ms'],
    [S, '1s'],
    [1500, '1s 500ms'],
    [90 * S, '1m 30s'],
    [15 * M, '15m'],
    [90 * M, '1h 30m'],
    [2 * H, '2h'],
    [30 * H, '1d 6h'],
    [D + 6 * H + 30 * M + 15 * S + 7, '1d 6h 30m 15s 7ms'],
    [366 * D, '366d'],
    [-90 * S, '-1m 30s'],
  ])('%d ms is %j', (value, text) => {
    expect(formatDuration(value)).toBe(text);
  });

  it('with `parts`, keeps the largest units and rounds the last', () => {
    expect(formatDuration(90 * M, { parts: 1 })).toBe('2h');
    expect(formatDuration(89 * M, { parts: 1 })).toBe('1h');
    expect(formatDuration(23 * H + 40 * M, { parts: 1 })).toBe('1d'); // the carry reaches the next unit
    expect(formatDuration(H + 59 * M + 45 * S, { parts: 2 })).toBe('2h');
    expect(formatDuration(D + 6 * H + 30 * M, { parts: 2 })).toBe('1d 7h');
    expect(formatDuration(400 * D + 5 * H, { parts: 1 })).toBe('400d');
    expect(formatDuration(1400, { parts: 1 })).toBe('1s');
  });

  it('refuses what is not a number of milliseconds', () => {
    expect(() => formatDuration(Number.NaN)).toThrow(RangeError);
    expect(() => formatDuration(Infinity)).toThrow(RangeError);
  });
});

describe('round trip', () => {
  // A small deterministic generator: the same values on every run.
  let seed = 0x2f6b3a1;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const values = [
    1, 999, S, 10 * S, 59 * S, M, M + S, 90 * S, 45 * M, H - 1, H, 90 * M, D - 1, D, 30 * H, 7 * D, 366 * D, 10 * 365 * D,
    ...Array.from({ length: 500 }, () => 1 + Math.floor(next() * 366 * D)),
    ...Array.from({ length: 200 }, () => Math.round(next() * 1000) * [S, M, H, D][Math.floor(next() * 4)]!),
  ];

  it('parseDuration(formatDuration(x)) is x, for whole milliseconds', () => {
    for (const value of values) expect(ms(formatDuration(value)), String(value)).toBe(value);
  });

  it('formatDuration(parseDuration(text)) is the canonical text, and stable', () => {
    for (const [text, canonical] of [
      ['90s', '1m 30s'],
      ['1h30m', '1h 30m'],
      ['1d 6h', '1d 6h'],
      ['30h', '1d 6h'],
      ['600', '10m'],
      ['1.5h', '1h 30m'],
      ['2 hours 30 minutes', '2h 30m'],
      ['1w', '7d'],
      ['12m 05s', '12m 5s'],
    ] as const) {
      expect(formatDuration(ms(text)), text).toBe(canonical);
      expect(formatDuration(ms(canonical)), canonical).toBe(canonical);
    }
    for (const value of values) {
      const text = formatDuration(value);
      expect(formatDuration(ms(text))).toBe(text);
    }
  });
});

describe('the CLI and the dashboard read durations the same way', () => {
  const refreshEveryOption = (): Option => {
    const add = buildProgram().commands.find((c: Command) => c.name() === 'add')!;
    return add.options.find((o) => o.long === '--refresh-every')!;
  };
  /** What `tokendesk add … --refresh-every TEXT` passes on, or the message it exits with. */
  const cli = (text: string): { ms: number } | { error: string } => {
    try {
      return { ms: refreshEveryOption().parseArg!<unknown>(text, undefined) as number };
    } catch (error) {
      if (!(error instanceof InvalidArgumentError)) throw error;
      return { error: error.message };
    }
  };
  const ups = providerDescriptors.ups;
  /** What the add form sends as refreshEveryMs, or the message it shows under the field. */
  const dashboard = (text: string): { ms: number } | { error: string } => {
    const form = { ...emptyForm(ups), name: 'ups-prod', refreshEvery: text };
    form.values = { ...form.values, client_id: 'cid', client_secret: 'secret', refresh_token: 'rt_abc' };
    const checked = checkAddForm(form, ups);
    if (checked.ok) return { ms: checked.input.refreshEveryMs! };
    return { error: checked.errors['refreshEvery']! };
  };

  it.each(['30m', '1h30m', '1d 6h', '90s', '600', '1.5h', '2 hours', '1w', '12m 05s', '1D6H'])('both read %j as the same interval', (text) => {
    expect(cli(text)).toEqual({ ms: ms(text) });
    expect(dashboard(text)).toEqual({ ms: ms(text) });
  });

  it.each(['soon', '5x', '1h 30', '-5m', '0'])('both refuse %j with the same reason', (text) => {
    const reason = errorOf(text);
    expect(cli(text)).toEqual({ error: reason });
    expect(dashboard(text)).toEqual({ error: `Refresh every must be a valid duration: ${reason}` });
  });

  it("the edit form writes an account's interval in a form the CLI reads back", () => {
    const account: AccountView = {
      id: 'a1', name: 'ups-prod', providerId: 'ups', environment: 'production', settings: { client_id: 'cid' }, paused: false, status: 'active',
      createdAt: 1, updatedAt: 1, notSaved: false, hasAccessToken: true, retryAttempt: 0,
    };
    for (const refreshEveryMs of [10 * S, 90 * S, 45 * M, 90 * M, 30 * H, D + 6 * H + 30 * M, 366 * D]) {
      const text = formFromAccount(ups, { ...account, refreshEveryMs }).refreshEvery;
      expect(cli(text), text).toEqual({ ms: refreshEveryMs });
      expect(dashboard(text), text).toEqual({ ms: refreshEveryMs });
    }
  });

  it('the CLI prints times around now with the same formatter, one unit, rounded', () => {
    const now = 1_700_000_000_000;
    expect(relative(now + 90 * M, now)).toBe('in 2h');
    expect(relative(now - 12 * M - 20 * S, now)).toBe('12m ago');
    expect(relative(now + 3 * D, now)).toBe('in 3d');
    expect(relative(now + 400, now)).toBe('now');
  });
});
