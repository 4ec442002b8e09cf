#!/usr/bin/env -S node --max-semi-space-size=4
// Runs the built CLI with plain Node (`npm run build` first when working from a checkout).
// --max-semi-space-size=4 (MiB; Node 20's default grows to 16): the young generation a
// start-up burst leaves committed is most of what a long-running daemon does not need —
// 169 → 138 MiB RSS with 10,000 accounts, start-up +25 ms (docs/PERFORMANCE.md).
import module from 'node:module';

// Node 22.1+ keeps compiled bytecode between runs; older Nodes have no such call.
module.enableCompileCache?.();

try {
  const args = process.argv.slice(2);
  // `token` first tries the lean client bundle (src/cli/fast.ts); it declines what it cannot do alone.
  const code = args.includes('token') ? await (await import('../out/main/cli-fast.js')).runFastToken(args) : undefined;
  // Exit once stdout has drained: idle keep-alive sockets must not hold a script waiting.
  if (code !== undefined) process.stdout.write('', () => process.exit(code));
  else await import('../out/main/cli.js');
} catch (err) {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && /out\/main\/cli(-fast)?\.js/.test(String(err.message))) {
    process.stderr.write('tokendesk: the CLI is not built yet; run `npm run build` first.\n');
    process.exit(2);
  }
  throw err;
}
