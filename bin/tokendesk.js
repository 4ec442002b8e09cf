#!/usr/bin/env node
// Runs the built CLI with plain Node (`npm run build` first when working from a checkout).
// CommonJS (bin/package.json): `token` — the call scripts make many times a minute — needs
// only the one-file lean client, and the CommonJS loader reaches it sooner than ES modules.
// No V8 flags on the shebang: they would slow every start (daemon and serve trim their heap
// themselves, src/cli/heap-trim.ts).
'use strict';
const path = require('node:path');
const { pathToFileURL } = require('node:url');

// Node 22.1+ keeps compiled bytecode between runs; older Nodes have no such call.
require('node:module').enableCompileCache?.();

const out = path.join(__dirname, '..', 'out', 'main');

function notBuilt(err) {
  const missing = err && (err.code === 'MODULE_NOT_FOUND' || err.code === 'ERR_MODULE_NOT_FOUND');
  if (!missing || !/out[\\/]main[\\/]cli(-fast\.cjs|\.js)/.test(String(err.message))) throw err;
  process.stderr.write('tokendesk: the CLI is not built yet; run `npm run build` first.\n');
  process.exit(2);
}

/** The full CLI (ES modules): every command, and whatever the lean client declines. */
function fullCli() {
  return import(pathToFileURL(path.join(out, 'cli.js')).href).catch(notBuilt);
}

const args = process.argv.slice(2);
if (args.includes('token')) {
  // The lean client (src/cli/fast.ts) answers through a running owner, or declines (undefined).
  let lean;
  try {
    lean = require(path.join(out, 'cli-fast.cjs'));
  } catch (err) {
    notBuilt(err);
  }
  lean.runFastToken(args).then((code) => {
    // Exit once stdout has drained: idle keep-alive sockets must not hold a script waiting.
    if (code !== undefined) process.stdout.write('', () => process.exit(code));
    else return fullCli();
  });
} else {
  fullCli();
}
