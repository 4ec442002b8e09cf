// What a script pays per CLI call: node --import tsx bench/cli.ts [runs=15]
// Runs the built `tokendesk` (bin/tokendesk.js, executed as a user's shell would) against
// `node -e 0` in turns — A B A B … — and prints each figure as the median of the pairwise
// ratios A/B (so a drifting machine cancels out), with its spread and the medians in ms:
//   token, owner running   `tokendesk token NAME` while a daemon owns the data dir (target ≤ 1.3×)
//   token, one-shot        the same with no owner: the CLI opens the data dir and unlocks the vault
//   --version              the full CLI's start-up alone
// Needs `npm run build` first.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startSimulator } from '../src/simulators/index.js';

const RUNS = Number(process.argv[2] ?? 15);
const TARGET_OWNER_RATIO = 1.3;
const BIN = path.resolve('bin/tokendesk.js');
if (!existsSync('out/main/cli-fast.cjs')) throw new Error('run `npm run build` first');

const dir = await mkdtemp(path.join(os.tmpdir(), 'tokendesk-bench-cli-'));
const env = { ...process.env, TOKENDESK_HOME: dir, TOKENDESK_PASSPHRASE: 'bench passphrase' };
const sim = await startSimulator('teamup');

/** Wall time of one run, in ms; throws when the command fails. Asynchronous: the simulator shares this event loop. */
async function timed(file: string, args: string[]): Promise<number> {
  const started = performance.now();
  const child = spawn(file, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`${file} ${args.join(' ')} exited ${code}: ${stderr}`);
  return ms;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** A and `node -e 0` in turns after one warm-up each; the line to print. */
async function versusNode(label: string, args: string[], target?: number): Promise<string> {
  await timed(BIN, args);
  await timed(process.execPath, ['-e', '0']);
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    a.push(await timed(BIN, args));
    b.push(await timed(process.execPath, ['-e', '0']));
  }
  const ratios = a.map((x, i) => x / b[i]!);
  const ratio = median(ratios);
  const verdict = target === undefined ? '' : `   target ≤ ${target}×: ${ratio <= target ? 'met' : 'MISSED'}`;
  return `  ${label.padEnd(22)} ${ratio.toFixed(2)}× (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})   ${median(a).toFixed(0)} ms vs ${median(b).toFixed(0)} ms${verdict}`;
}

let daemon: ReturnType<typeof spawn> | undefined;
try {
  const grant = sim.issue();
  const { access_token: _unused, ...secrets } = grant.secrets;
  const add = ['add', 'teamup', '--name', 'bench', '--base-url', sim.url];
  for (const [k, v] of Object.entries(grant.settings)) add.push('--set', `${k}=${v}`);
  for (const k of Object.keys(secrets)) add.push('--set', `${k}=-`);
  const adding = spawn(BIN, add, { env, stdio: ['pipe', 'ignore', 'inherit'] });
  adding.stdin.end(Object.values(secrets).join('\n') + '\n');
  if ((await new Promise((resolve) => adding.on('close', resolve))) !== 0) throw new Error('add failed');

  const lines = [`CLI wall time against \`node -e 0\` (median of ${RUNS} pairs; spread; medians):`];
  lines.push(await versusNode('token, one-shot', ['token', 'bench']));
  lines.push(await versusNode('--version', ['--version']));
  daemon = spawn(BIN, ['daemon'], { env, stdio: 'ignore' });
  const socket = path.join(dir, 'owner.sock');
  while (!existsSync(socket)) await new Promise((r) => setTimeout(r, 50));
  lines.push(await versusNode('token, owner running', ['token', 'bench'], TARGET_OWNER_RATIO));
  console.log(lines.join('\n'));
} finally {
  if (daemon) {
    const exited = new Promise((r) => daemon!.once('exit', r));
    daemon.kill('SIGTERM');
    await exited;
  }
  await sim.close();
  await rm(dir, { recursive: true, force: true });
}
