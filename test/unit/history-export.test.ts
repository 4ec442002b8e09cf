// The history's exports and outcome classes (src/shared/history-export.ts), shared by the
// dashboard's Export buttons and `tokendesk history --format csv|json`.
import { describe, expect, it } from 'vitest';
import type { RefreshEvent } from '../../src/shared/domain.js';
import { csvField, HISTORY_CSV_COLUMNS, historyCsv, historyJson, matchesOutcome, OUTCOME_CLASSES, OUTCOME_WORDS, outcomeClass } from '../../src/shared/history-export.js';

const row = (extra: Partial<RefreshEvent> = {}): RefreshEvent => ({
  id: 'r1',
  accountId: 'acc-1',
  at: Date.UTC(2026, 0, 2, 3, 4, 5, 6),
  action: 'refreshed',
  actor: 'daemon',
  trigger: 'scheduled',
  outcome: 'ok',
  durationMs: 12.6,
  ...extra,
});

describe('history export', () => {
  it('quotes CSV fields as RFC 4180 says: commas, quotes and line breaks inside quotes, quotes doubled', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r\nlf')).toBe('"cr\r\nlf"');
  });

  it('never lets a spreadsheet run a field as a formula', () => {
    for (const v of ['=1+1', '+cmd', '-2', '@SUM(A1)']) expect(csvField(v)).toBe(`'${v}`);
    expect(csvField('=HYPERLINK("x","y")')).toBe(`"'=HYPERLINK(""x"",""y"")"`);
  });

  it('writes a header and one CRLF-ended line per row, times in ISO 8601 UTC, the name at the time first', () => {
    const csv = historyCsv(
      [
        row({ accountName: 'Old, "name"', outcome: 'error', errorClass: 'rate_limited', httpStatus: 429, message: 'slow\ndown' }),
        row({ id: 'r2', accountName: undefined, actor: undefined, newExpiresAt: Date.UTC(2026, 0, 2, 4, 4, 5), rotated: true }),
      ],
      (id) => (id === 'acc-1' ? 'Current' : undefined),
    );
    expect(csv).toBe(
      `${HISTORY_CSV_COLUMNS.join(',')}\r\n` +
        '2026-01-02T03:04:05.006Z,"Old, ""name""",acc-1,refreshed,daemon,scheduled,error,rate_limited,429,13,,,"slow\ndown"\r\n' +
        '2026-01-02T03:04:05.006Z,Current,acc-1,refreshed,,scheduled,ok,,,13,2026-01-02T04:04:05.000Z,true,\r\n',
    );
  });

  it('JSON is the rows as the contract has them: an array', () => {
    const rows = [row(), row({ id: 'r2', action: 'removed', actor: 'cli', trigger: 'cli', accountName: 'Gone' })];
    expect(JSON.parse(historyJson(rows))).toEqual(rows);
    expect(historyJson([])).toBe('[]\n');
  });

  it('every outcome class has words, and filters match them', () => {
    expect(OUTCOME_CLASSES.map((c) => OUTCOME_WORDS[c])).toEqual(['ok', 'sign in again', 'fix settings', 'rate limited', 'temporary']);
    const limited = row({ outcome: 'error', errorClass: 'rate_limited' });
    const unclassed = row({ outcome: 'error' });
    expect([outcomeClass(row()), outcomeClass(limited), outcomeClass(unclassed)]).toEqual(['ok', 'rate_limited', 'error']);
    expect(matchesOutcome(limited, 'rate_limited')).toBe(true);
    expect(matchesOutcome(limited, 'error')).toBe(true);
    expect(matchesOutcome(limited, 'transient')).toBe(false);
    expect(matchesOutcome(limited, 'ok')).toBe(false);
    expect(matchesOutcome(unclassed, 'error')).toBe(true);
    expect(matchesOutcome(row(), undefined)).toBe(true);
  });
});
