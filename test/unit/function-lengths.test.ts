// No function in src/ grows past 150 lines (data tables aside): a long function does several
// jobs, and should be split into modules that each have one (docs/ARCHITECTURE.md "Layers").
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

it('the longest function in src/ is under 150 lines', async () => {
  const root = path.resolve(import.meta.dirname, '../..');
  const result = await promisify(execFile)(process.execPath, [path.join(root, 'scripts/function-lengths.mjs'), '--top', '3', '--max', '149'], { cwd: root }).then(
    ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
    (err: { code?: number; stdout?: string; stderr?: string }) => ({ code: err.code ?? 1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' }),
  );
  expect(result, `${result.stdout}${result.stderr}`).toMatchObject({ code: 0 });
  expect(result.stdout.trim().split('\n')).toHaveLength(3);
});
