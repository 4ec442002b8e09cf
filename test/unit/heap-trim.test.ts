// The owner's heap trim (src/cli/heap-trim.ts) in a real Node process: after a start-up-like
// burst grows the young generation, the trim gives it back once allocation has been slow for
// V8's look-back window, and leaves no `gc` global behind in the process's own context.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-owner.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0)) await fn();
});

const CHILD = `
import { newSpaceBytes, trimHeapWhenIdle } from ${JSON.stringify(path.resolve('src/cli/heap-trim.ts'))};
const kept = [];
for (let i = 0; i < 3e6; i++) { const o = { i, s: 'x' + i }; if (i % 1000 === 0) kept.push(o); }
const grown = newSpaceBytes();
trimHeapWhenIdle(5_500);
const report = () => console.log(JSON.stringify({ grown, trimmed: newSpaceBytes(), gcGlobal: typeof globalThis.gc, kept: kept.length }));
// Done when the young generation is small again, or (a failure) after the first two trims had their chance.
const poll = setInterval(() => {
  if (newSpaceBytes() > 4 * 2 ** 20) return;
  clearInterval(poll);
  report();
}, 100);
setTimeout(() => {
  clearInterval(poll);
  report();
}, 40_000).unref();
`;

it('gives back the young generation a burst grew, and exposes no gc global', { timeout: 60_000 }, async () => {
  const t = await tempDir('tokendesk-heap-trim-');
  cleanups.push(t.cleanup);
  const script = path.join(t.dir, 'child.mts');
  await writeFile(script, CHILD);
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  child.stderr.on('data', (d: Buffer) => (err += d));
  const code = await new Promise((resolve) => child.on('close', resolve));
  expect({ code, err }).toEqual({ code: 0, err: '' });
  const result = JSON.parse(out) as { grown: number; trimmed: number; gcGlobal: string; kept: number };
  expect(result.grown).toBeGreaterThan(8 * 2 ** 20);
  expect(result.trimmed).toBeLessThanOrEqual(4 * 2 ** 20);
  expect(result.gcGlobal).toBe('undefined');
  expect(result.kept).toBe(3000);
});
