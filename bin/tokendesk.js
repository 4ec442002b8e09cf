#!/usr/bin/env node
// Runs the built CLI with plain Node (`npm run build` first when working from a checkout).
import('../out/main/cli.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('out/main/cli.js')) {
    process.stderr.write('tokendesk: the CLI is not built yet; run `npm run build` first.\n');
    process.exit(2);
  }
  throw err;
});
