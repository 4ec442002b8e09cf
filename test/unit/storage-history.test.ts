import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RefreshEvent } from '../../src/shared/domain.js';
import { HISTORY_ARCHIVE_FILE, HISTORY_FILE, HistoryLog } from '../../src/main/core/storage/history-log.js';
import { SchemaVersionTooNewError } from '../../src/main/core/storage/versioned.js';
import { makeTempDir, mode, removeDir } from '../fixtures/storage-helpers.js';

let dir: string;
let n = 0;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(() => removeDir(dir));

function event(accountId: string, extra: Partial<RefreshEvent> = {}): RefreshEvent {
  n++;
  return { id: `ev-${n}`, accountId, at: 1_700_000_000_000 + n, action: 'refreshed', trigger: 'scheduled', outcome: 'ok', durationMs: 120, ...extra };
}
const historyText = () => fs.readFileSync(path.join(dir, HISTORY_FILE), 'utf8');

describe('history log', () => {
  it('appends and lists newest first, filtered, limited; survives reopening', async () => {
    const log = await HistoryLog.open({ dir });
    const events = [event('a'), event('b', { outcome: 'error', errorClass: 'transient', httpStatus: 503 }), event('a')];
    for (const e of events) await log.append(e);
    const ids = (q = {}) => log.list(q).map((e) => e.id);
    expect(ids()).toEqual([events[2]!.id, events[1]!.id, events[0]!.id]);
    expect(ids({ accountId: 'a' })).toEqual([events[2]!.id, events[0]!.id]);
    expect(ids({ outcome: 'error' })).toEqual([events[1]!.id]);
    expect(ids({ limit: 1 })).toEqual([events[2]!.id]);
    expect((await HistoryLog.open({ dir })).list()).toEqual(log.list());
    expect(mode(path.join(dir, HISTORY_FILE))).toBe(0o600);
  });

  it('writes a versioned header and only schema fields, never anything else handed in', async () => {
    const log = await HistoryLog.open({ dir });
    const leaky = { ...event('a'), accessToken: 'at-SECRET-1', refreshToken: 'rt-SECRET-2', headers: { authorization: 'Bearer x' } } as RefreshEvent;
    await log.append(leaky);
    const [header, line] = historyText().trim().split('\n');
    expect(JSON.parse(header!)).toEqual({ schemaVersion: 2, format: 'tokendesk-history' });
    const allowed = ['id', 'accountId', 'accountName', 'at', 'action', 'actor', 'trigger', 'outcome', 'errorClass', 'httpStatus', 'durationMs', 'newExpiresAt', 'rotated', 'message'];
    expect(Object.keys(JSON.parse(line!)).every((k) => allowed.includes(k))).toBe(true);
    expect(historyText()).not.toMatch(/SECRET|Bearer/);
    await expect(log.append({ ...event('a'), outcome: 'maybe' } as unknown as RefreshEvent)).rejects.toThrow();
  });

  it('a failed append surfaces; the event is kept in memory (listed) and written once the disk allows', async () => {
    const log = await HistoryLog.open({ dir });
    await log.append(event('a'));
    fs.rmSync(path.join(dir, HISTORY_FILE));
    fs.mkdirSync(path.join(dir, HISTORY_FILE)); // open(…, 'a') on a directory fails, even for root
    const kept = event('a');
    await expect(log.append(kept)).rejects.toMatchObject({ name: 'HistoryNotSavedError', code: 'EISDIR' });
    expect(log.list()).toHaveLength(2);
    expect(log.unsavedCount).toBe(1);
    fs.rmdirSync(path.join(dir, HISTORY_FILE));
    await log.flush();
    log.close();
    expect(log.unsavedCount).toBe(0);
    expect((await HistoryLog.open({ dir })).list().map((e) => e.id)).toEqual([kept.id]);
  });

  it('rotates by size and keeps the last N events per account across rotation', async () => {
    const log = await HistoryLog.open({ dir, maxBytes: 2000, keepPerAccount: 5 });
    const all: RefreshEvent[] = [];
    for (let i = 0; i < 60; i++) {
      const e = event(i % 3 === 0 ? 'rare' : 'busy');
      all.push(e);
      await log.append(e);
    }
    expect(fs.existsSync(path.join(dir, HISTORY_ARCHIVE_FILE))).toBe(true);
    expect(fs.statSync(path.join(dir, HISTORY_FILE)).size).toBeLessThanOrEqual(2000 + 200);
    const lastFive = (id: string) => all.filter((e) => e.accountId === id).slice(-5).reverse().map((e) => e.id);
    for (const reopened of [log, await HistoryLog.open({ dir, maxBytes: 2000, keepPerAccount: 5 })]) {
      expect(reopened.list({ accountId: 'busy' }).map((e) => e.id)).toEqual(lastFive('busy'));
      expect(reopened.list({ accountId: 'rare' }).map((e) => e.id)).toEqual(lastFive('rare'));
    }
  });

  it('finishes a compaction interrupted between its two steps, without duplicates', async () => {
    const log = await HistoryLog.open({ dir, keepPerAccount: 3 });
    for (let i = 0; i < 5; i++) await log.append(event('a'));
    const current = historyText();
    // Step 1 done (archive = kept events), step 2 (fresh current file) not: what a crash leaves.
    fs.writeFileSync(path.join(dir, HISTORY_ARCHIVE_FILE), current.split('\n').slice(0, 1).concat(current.split('\n').slice(3)).join('\n'));
    const reopened = await HistoryLog.open({ dir, keepPerAccount: 3 });
    expect(reopened.list().map((e) => e.id)).toEqual(log.list().map((e) => e.id));
    expect(historyText().trim().split('\n')).toHaveLength(1); // just the header
  });

  it('tolerates a torn last line: reports it, cuts it, and appends cleanly after', async () => {
    const log = await HistoryLog.open({ dir });
    const kept = event('a');
    await log.append(kept);
    fs.appendFileSync(path.join(dir, HISTORY_FILE), '{"id":"ev-torn","accountId":"a","at":17');
    const reopened = await HistoryLog.open({ dir });
    expect(reopened.reports).toEqual([{ file: path.join(dir, HISTORY_FILE), movedTo: null, reason: expect.stringMatching(/cut short/), lost: expect.any(String) }]);
    expect(reopened.list().map((e) => e.id)).toEqual([kept.id]);
    const next = event('a');
    await reopened.append(next);
    expect((await HistoryLog.open({ dir })).list().map((e) => e.id)).toEqual([next.id, kept.id]);
  });

  it('quarantines a file with unreadable lines and keeps the readable events', async () => {
    const log = await HistoryLog.open({ dir });
    const [a, b] = [event('a'), event('a')];
    await log.append(a);
    fs.appendFileSync(path.join(dir, HISTORY_FILE), 'garbage\n');
    await log.append(b);
    const reopened = await HistoryLog.open({ dir });
    expect(reopened.reports).toHaveLength(1);
    expect(reopened.reports[0]).toMatchObject({ reason: '1 unreadable line(s) in the refresh history', lost: '1 refresh history event(s)' });
    expect(fs.readFileSync(reopened.reports[0]!.movedTo!, 'utf8')).toContain('garbage');
    expect(reopened.list().map((e) => e.id)).toEqual([b.id, a.id]);
    expect(historyText()).not.toContain('garbage');
  });

  it('quarantines a file without a readable header', async () => {
    fs.writeFileSync(path.join(dir, HISTORY_FILE), '\u0000\u0001binary junk\n');
    const log = await HistoryLog.open({ dir });
    expect(log.reports[0]).toMatchObject({ reason: 'the refresh history has no readable header line', movedTo: expect.stringContaining('.corrupt-') });
    await log.append(event('a'));
    expect(log.list()).toHaveLength(1);
  });

  it('refuses a history file from a newer version, untouched', async () => {
    const content = '{"schemaVersion":3}\n{"whatever":true}\n';
    fs.writeFileSync(path.join(dir, HISTORY_FILE), content);
    await expect(HistoryLog.open({ dir })).rejects.toBeInstanceOf(SchemaVersionTooNewError);
    expect(historyText()).toBe(content);
  });

  it('reads a format-1 file (refreshes only): every row becomes a refresh or a sign-in, the file is rewritten as format 2', async () => {
    const v1 = [
      '{"schemaVersion":1,"format":"tokendesk-history"}',
      '{"id":"old-1","accountId":"a","at":1700000000001,"trigger":"scheduled","outcome":"ok","durationMs":120,"newExpiresAt":1700000360000,"rotated":true}',
      '{"id":"old-2","accountId":"a","at":1700000000002,"trigger":"sign_in","outcome":"ok","durationMs":80}',
      '{"id":"old-3","accountId":"b","at":1700000000003,"trigger":"cli","outcome":"error","errorClass":"rate_limited","httpStatus":429,"durationMs":30,"message":"slow down"}',
    ];
    fs.writeFileSync(path.join(dir, HISTORY_FILE), v1.join('\n') + '\n');
    const log = await HistoryLog.open({ dir });
    expect(log.reports).toEqual([]);
    expect(log.list()).toEqual([
      { id: 'old-3', accountId: 'b', at: 1700000000003, action: 'refreshed', actor: 'cli', trigger: 'cli', outcome: 'error', errorClass: 'rate_limited', httpStatus: 429, durationMs: 30, message: 'slow down' },
      { id: 'old-2', accountId: 'a', at: 1700000000002, action: 'signed_in', trigger: 'sign_in', outcome: 'ok', durationMs: 80 },
      { id: 'old-1', accountId: 'a', at: 1700000000001, action: 'refreshed', trigger: 'scheduled', outcome: 'ok', durationMs: 120, newExpiresAt: 1700000360000, rotated: true },
    ]);
    const [header, ...rows] = historyText().trim().split('\n');
    expect(JSON.parse(header!)).toEqual({ schemaVersion: 2, format: 'tokendesk-history' });
    expect(rows.map((r) => JSON.parse(r).action)).toEqual(['refreshed', 'signed_in', 'refreshed']);
    // New rows follow the old ones; both survive reopening.
    await log.append(event('a', { action: 'paused', actor: 'dashboard', trigger: 'manual', accountName: 'Alpha' }));
    const reopened = await HistoryLog.open({ dir });
    expect(reopened.list().map((e) => [e.id, e.action, e.actor, e.accountName])).toEqual([
      [`ev-${n}`, 'paused', 'dashboard', 'Alpha'],
      ['old-3', 'refreshed', 'cli', undefined],
      ['old-2', 'signed_in', undefined, undefined],
      ['old-1', 'refreshed', undefined, undefined],
    ]);
  });

  it('filters by outcome class and by action', async () => {
    const log = await HistoryLog.open({ dir });
    const rows = [
      event('a', { action: 'added', actor: 'cli', trigger: 'cli' }),
      event('a', { outcome: 'error', errorClass: 'rate_limited' }),
      event('a', { outcome: 'error', errorClass: 'reauth_required', action: 'signed_in', trigger: 'sign_in' }),
      event('a', { outcome: 'error', errorClass: 'config_error', action: 'revoked', trigger: 'manual' }),
      event('a', { outcome: 'error', errorClass: 'transient' }),
      event('a', { outcome: 'error', action: 'removed', trigger: 'manual' }),
    ];
    for (const e of rows) await log.append(e);
    const ids = (q: Parameters<HistoryLog['list']>[0]) => log.list(q).map((e) => e.id);
    expect(ids({ outcome: 'ok' })).toEqual([rows[0]!.id]);
    expect(ids({ outcome: 'error' })).toHaveLength(5);
    expect(ids({ outcome: 'rate_limited' })).toEqual([rows[1]!.id]);
    expect(ids({ outcome: 'reauth_required' })).toEqual([rows[2]!.id]);
    expect(ids({ outcome: 'config_error' })).toEqual([rows[3]!.id]);
    expect(ids({ outcome: 'transient' })).toEqual([rows[4]!.id]);
    expect(ids({ actions: ['refreshed', 'signed_in'] })).toEqual([rows[4]!.id, rows[2]!.id, rows[1]!.id]);
  });
});
