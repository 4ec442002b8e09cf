#!/usr/bin/env -S node --max-semi-space-size=4
// Runs the built CLI with plain Node (`npm run build` first when working from a checkout).
// --max-semi-space-size=4 (MiB; Node 20's default grows to 16): the young generation a
// start-up burst leaves committed is most of what a long-running daemon does not need —
// 169 → 138 MiB RSS with 10,000 accounts, start-up +25 ms (docs/PERFORMANCE.md).
import('../out/main/cli.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('out/main/cli.js')) {
    process.stderr.write('tokendesk: the CLI is not built yet; run `npm run build` first.\n');
    process.exit(2);
  }
  throw err;
});
