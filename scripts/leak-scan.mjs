#!/usr/bin/env node
// The secret leak scan that closes `npm test` (scripts/test-all.sh): every secret the
// provider simulators issued or accepted during the run (they append them to
// $TOKENDESK_SIM_ISSUED_FILE, a private file outside the project) is searched for — plain,
// base64, base64url, hex, URL-encoded, and each part of a JWT — in every file under the
// given roots: the suite's log, test artifacts (reports, DOM dumps of the masked dashboard,
// screenshots' metadata) and the data dirs the tests kept (vault, history, daemon logs).
// Matching is by token: a file's text is cut at characters no secret contains, and each
// piece is looked up, so a secret glued inside a longer base64 blob is not found (none of
// our formats does that: headers and bodies are logged redacted, never encoded).
// Usage: node scripts/leak-scan.mjs <issued-file> <root>...   Exit 1 on any hit.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';

const [issuedFile, ...roots] = process.argv.slice(2);
if (!issuedFile || !roots.length) {
  console.error('usage: node scripts/leak-scan.mjs <issued-secrets-file> <dir-or-file>...');
  process.exit(2);
}

const MIN_LENGTH = 12; // shorter values (ids, "Bearer") are not secrets worth a false alarm
const secrets = existsSync(issuedFile)
  ? [...new Set(readFileSync(issuedFile, 'utf8').split('\n').map((s) => s.trim()).filter((s) => s.length >= MIN_LENGTH))]
  : [];

/** needle → what it is (never the secret itself: a hit is reported by prefix and length). */
const needles = new Map();
const describe = (secret, how) => `${secret.slice(0, 4)}…(${secret.length} chars) as ${how}`;
for (const secret of secrets) {
  const b64 = Buffer.from(secret).toString('base64');
  const forms = {
    plain: secret,
    base64: b64.replace(/=+$/, ''),
    base64url: Buffer.from(secret).toString('base64url'),
    hex: Buffer.from(secret).toString('hex'),
    'URL-encoded': encodeURIComponent(secret),
  };
  for (const [how, form] of Object.entries(forms)) if (form.length >= MIN_LENGTH) needles.set(form, describe(secret, how));
  // A JWT's payload or signature alone identifies it.
  const parts = secret.split('.');
  if (parts.length === 3) parts.slice(1).forEach((part, i) => part.length >= 16 && needles.set(part, describe(secret, i ? 'its JWT signature' : 'its JWT payload')));
}

// Pieces: runs of characters that tokens and their encodings are made of; JWT parts and
// percent-escapes are looked up both whole and split.
const PIECE = /[A-Za-z0-9_\-.~+/%]+/g;
function* candidates(piece) {
  yield piece;
  const unpadded = piece.replace(/=+$/, '');
  if (unpadded !== piece) yield unpadded;
  if (piece.includes('.')) yield* piece.split('.');
  if (piece.includes('/')) yield* piece.split('/');
}

const hits = [];
let files = 0;
let bytes = 0;

async function scanFile(file) {
  files++;
  let carry = '';
  const check = (text) => {
    for (const m of text.matchAll(PIECE)) {
      for (const c of candidates(m[0])) {
        const what = c.length >= MIN_LENGTH ? needles.get(c) : undefined;
        if (what) hits.push(`${file}: ${what}`);
      }
    }
  };
  // latin1: every byte maps to one char, so binary files scan without decoding errors.
  for await (const chunk of createReadStream(file, { encoding: 'latin1', highWaterMark: 1 << 20 })) {
    bytes += chunk.length;
    const text = carry + chunk;
    // Keep the last partial piece for the next chunk: a secret may straddle the boundary.
    const cut = text.search(/[A-Za-z0-9_\-.~+/%]*$/);
    check(text.slice(0, cut));
    carry = text.slice(cut);
  }
  check(carry);
}

async function walk(target) {
  if (!existsSync(target)) return;
  const stat = statSync(target);
  if (stat.isFile()) return scanFile(target);
  if (!stat.isDirectory()) return; // sockets, pipes
  for (const entry of await readdir(target, { withFileTypes: true })) {
    const full = path.join(target, entry.name);
    if (path.resolve(full) === path.resolve(issuedFile)) continue;
    if (entry.isDirectory()) await walk(full);
    else if (entry.isFile()) await scanFile(full);
  }
}

const started = performance.now();
for (const root of roots) await walk(root);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `leak scan: ${secrets.length} secrets the simulators issued (${needles.size} forms searched) in ${files} files, ` +
    `${(bytes / 2 ** 20).toFixed(1)} MiB, ${seconds} s: ${hits.length} hit${hits.length === 1 ? '' : 's'}`,
);
for (const hit of [...new Set(hits)].slice(0, 50)) console.log(`  LEAK ${hit}`);
if (!secrets.length) {
  console.log('leak scan: no issued secrets were recorded — the simulators did not write $TOKENDESK_SIM_ISSUED_FILE; failing rather than passing on nothing');
  process.exit(1);
}
process.exit(hits.length ? 1 : 0);
