// Durations as people type them, e.g. "Refresh every": one parser and one formatter for the
// CLI (`--refresh-every`) and the dashboard's form, so a value written by either reads in both.
//
// Grammar (case-insensitive, spaces around and between terms ignored):
//   duration := number              a number alone is seconds: "600", "1.5"
//             | term (term)*        summed: "90s", "1h30m", "1h 30m", "1d 6h", "2 hours"
//   term     := number unit
//   number   := 12 | 1.5 | .5
//   unit     := ms | s | m | h | d | w | y, or their words: msec(s), millisecond(s), sec(s),
//               second(s), min(s), minute(s), hr(s), hour(s), day(s), week(s), yr(s), year(s)
// A year is 365.25 days. The result is rounded to a whole millisecond and must be above zero.
// Limits that depend on the use (Refresh every: 10 s to 366 days) are the contract's to check.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const UNITS: Readonly<Record<string, number>> = (() => {
  const table: Record<string, number> = {};
  const add = (ms: number, ...names: string[]) => names.forEach((n) => (table[n] = ms));
  add(1, 'ms', 'msec', 'msecs', 'millisecond', 'milliseconds');
  add(SECOND, 's', 'sec', 'secs', 'second', 'seconds');
  add(MINUTE, 'm', 'min', 'mins', 'minute', 'minutes');
  add(HOUR, 'h', 'hr', 'hrs', 'hour', 'hours');
  add(DAY, 'd', 'day', 'days');
  add(7 * DAY, 'w', 'week', 'weeks');
  add(365.25 * DAY, 'y', 'yr', 'yrs', 'year', 'years');
  return table;
})();

const EXAMPLES = 'e.g. 90s, 15m, 1h30m or 1d 6h';
const NUMBER = String.raw`(?:\d+(?:\.\d+)?|\.\d+)`;
const LONE_NUMBER = new RegExp(`^${NUMBER}$`);
/** One term, anchored where the last one ended: number, optional spaces, unit letters. */
const TERM = new RegExp(`(${NUMBER})\\s*([a-z]*)\\s*`, 'y');

export type ParsedDuration = { ok: true; ms: number } | { ok: false; error: string };

/** Reads a duration (grammar above); `error` says what is wrong, in words for the user (without echoing the input). */
export function parseDuration(text: string): ParsedDuration {
  const t = text.trim().toLowerCase();
  const fail = (error: string): ParsedDuration => ({ ok: false, error });
  if (t === '') return fail(`no duration given; write one ${EXAMPLES}`);
  if (t.startsWith('-')) return fail('a duration cannot be negative');
  let total: number;
  if (LONE_NUMBER.test(t)) {
    total = Number(t) * SECOND;
  } else {
    total = 0;
    TERM.lastIndex = 0;
    while (TERM.lastIndex < t.length) {
      const at = TERM.lastIndex;
      const m = TERM.exec(t);
      if (!m) {
        const rest = t.slice(at);
        return fail(at === 0 ? `not a duration; write one ${EXAMPLES}` : `"${rest}" is not a number with a unit; write ${EXAMPLES}`);
      }
      const number = m[1]!;
      const unit = m[2]!;
      if (unit === '') return fail(`${number} has no unit (s, m, h, d…); only a number alone means seconds`);
      const size = UNITS[unit];
      if (size === undefined) return fail(`unknown unit "${unit}"; use ms, s, m, h, d, w or y`);
      total += Number(number) * size;
    }
  }
  const ms = Math.round(total);
  if (!Number.isSafeInteger(ms)) return fail('far too long');
  if (ms <= 0) return fail('a duration must be longer than zero');
  return { ok: true, ms };
}

/** Largest first; what formatDuration writes. */
const PARTS: readonly [string, number][] = [
  ['d', DAY],
  ['h', HOUR],
  ['m', MINUTE],
  ['s', SECOND],
  ['ms', 1],
];

/**
 * Writes `ms` as parseDuration reads it, largest unit first, zero parts left out:
 * 5_400_000 → "1h 30m", 108_000_000 → "1d 6h", 90_000 → "1m 30s", 0 → "0s".
 * Exact for a whole number of milliseconds (parseDuration(formatDuration(x)) is x). With
 * `parts`, at most that many units are written, the last one rounded: an approximation for
 * display, e.g. "in 2h" (formatDuration(5_400_000, { parts: 1 }) is "2h").
 * A negative value is written with a leading "-", which parseDuration refuses.
 */
export function formatDuration(ms: number, { parts = PARTS.length }: { parts?: number } = {}): string {
  if (!Number.isFinite(ms)) throw new RangeError(`not a duration: ${ms}`);
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  const first = PARTS.findIndex(([, size]) => size <= rest);
  if (first === -1 || Math.round(rest) === 0) return '0s';
  const last = PARTS[Math.min(first + Math.max(1, parts), PARTS.length) - 1]![1];
  rest = Math.round(rest / last) * last;
  const out: string[] = [];
  for (const [unit, size] of PARTS) {
    if (size < last) break;
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) out.push(`${n}${unit}`);
  }
  return sign + out.join(' ');
}
