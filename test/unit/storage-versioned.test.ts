import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fileSafeTimestamp } from '../../src/main/core/storage/quarantine.js';
import { loadVersioned, SchemaVersionTooNewError, upgrade, type VersionedFormat } from '../../src/main/core/storage/versioned.js';
import { makeTempDir, removeDir } from '../fixtures/storage-helpers.js';

const format: VersionedFormat<{ schemaVersion: 3; steps: string[] }> = {
  label: 'test file',
  current: 3,
  migrations: {
    1: (d) => ({ ...d, steps: ['1→2'] }),
    2: (d) => ({ ...d, steps: [...(d['steps'] as string[]), '2→3'] }),
  },
  schema: z.object({ schemaVersion: z.literal(3), steps: z.array(z.string()) }),
};

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(() => removeDir(dir));

describe('migration runner', () => {
  it('applies the migrations in order and stamps each version', () => {
    expect(upgrade({ schemaVersion: 1 }, format, 'f.json')).toEqual({ doc: { schemaVersion: 3, steps: ['1→2', '2→3'] }, from: 1 });
    expect(upgrade({ schemaVersion: 3, steps: [] }, format, 'f.json').from).toBe(3);
  });

  it('refuses a newer version with a clear error and leaves the file untouched', async () => {
    const file = path.join(dir, 'f.json');
    fs.writeFileSync(file, JSON.stringify({ schemaVersion: 4, future: true }));
    const error = await loadVersioned(file, format, 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaVersionTooNewError);
    expect((error as Error).message).toMatch(/f\.json was written by a newer TokenDesk \(format 4; this version reads up to 3\)/);
    expect(fs.readdirSync(dir)).toEqual(['f.json']);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ schemaVersion: 4, future: true });
  });

  it.each([
    ['not JSON', '{"schemaVersion": 3, "steps": [', /not valid JSON/],
    ['no version', '{"steps": []}', /no valid schemaVersion/],
    ['wrong shape', '{"schemaVersion": 3, "steps": 7}', /does not match its format \(steps:/],
  ])('quarantines a file that is %s, with a report', async (_what, content, reason) => {
    const file = path.join(dir, 'f.json');
    fs.writeFileSync(file, content);
    const loaded = await loadVersioned(file, format, 'the test data');
    expect(loaded.status).toBe('quarantined');
    if (loaded.status !== 'quarantined') return;
    expect(loaded.report).toMatchObject({ file, reason: expect.stringMatching(reason), lost: 'the test data' });
    expect(path.basename(loaded.report.movedTo!)).toMatch(/^f\.json\.corrupt-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z$/);
    expect(fs.readFileSync(loaded.report.movedTo!, 'utf8')).toBe(content);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('never puts file content in the reason (it may be a secret)', async () => {
    const file = path.join(dir, 'f.json');
    fs.writeFileSync(file, 'sk_live_SECRET_VALUE not json');
    const loaded = await loadVersioned(file, format, 'x');
    expect(JSON.stringify(loaded)).not.toContain('SECRET');
  });

  it('quarantine never clobbers an earlier quarantined file', async () => {
    const file = path.join(dir, 'f.json');
    const moved: string[] = [];
    for (let i = 0; i < 3; i++) {
      fs.writeFileSync(file, `garbage ${i}`);
      const loaded = await loadVersioned(file, format, 'x');
      if (loaded.status === 'quarantined') moved.push(loaded.report.movedTo!);
    }
    expect(new Set(moved).size).toBe(3);
    expect(moved.map((m) => fs.readFileSync(m, 'utf8'))).toEqual(['garbage 0', 'garbage 1', 'garbage 2']);
  });

  it('fileSafeTimestamp has no colons', () => {
    expect(fileSafeTimestamp(new Date('2024-05-01T12:30:00.123Z'))).toBe('2024-05-01T12-30-00.123Z');
  });
});
