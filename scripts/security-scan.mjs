// Electronegativity (Doyensec's Electron security linter) over the BUILT app in out/.
// Its parser predates some syntax the bundles use (class private fields: it reports
// "Unknown node type ClassPrivateProperty" and then silently skips the whole file), so
// the JavaScript is first down-levelled to ES2019 with the TypeScript compiler — the
// same code, older syntax — into a temp copy. Fails on a HIGH finding or a file it
// could not parse. Needs the npm registry the first time (npx fetches the tool).
//   node scripts/security-scan.mjs [--keep]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = path.join(root, 'out');
const TOOL = '@doyensec/electronegativity@1.10.3';
const electronVersion = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version;

if (!fs.existsSync(path.join(out, 'main', 'index.js'))) {
  console.error('out/ is not built: run npx electron-vite build first');
  process.exit(2);
}
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tokendesk-eneg-'));
const copy = path.join(work, 'out');
fs.cpSync(out, copy, { recursive: true });
for (const entry of fs.readdirSync(copy, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !/\.(js|cjs|mjs)$/.test(entry.name)) continue;
  const file = path.join(entry.parentPath, entry.name);
  const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
    compilerOptions: { target: ts.ScriptTarget.ES2019, module: ts.ModuleKind.Preserve, allowJs: true },
    fileName: file.replace(/\.c?js$/, '.js'),
  });
  fs.writeFileSync(file, outputText);
}

const report = path.join(work, 'electronegativity.csv');
const run = spawnSync('npx', ['-y', TOOL, '-i', copy, '-e', electronVersion, '-o', report, '-r'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
const log = `${run.stdout}\n${run.stderr}`;
const parseErrors = log.split('\n').filter((l) => /Error parsing/.test(l));
if (!fs.existsSync(report)) {
  console.error(log);
  console.error('electronegativity produced no report');
  process.exit(2);
}
const rows = fs.readFileSync(report, 'utf8').trim().split('\n').slice(1).filter(Boolean);
const findings = rows.map((line) => {
  const [id, severity, confidence, file, location] = line.match(/("([^"]|"")*"|[^,]*)(,|$)/g).map((c) => c.replace(/,$/, '').replace(/^"|"$/g, '').trim());
  return { id, severity, confidence, file: file.replace(copy, 'out'), location };
});
console.log(`electronegativity ${TOOL.split('@').at(-1)} over out/ (Electron ${electronVersion}): ${findings.length} finding(s)`);
for (const f of findings) console.log(`  ${f.severity.padEnd(13)} ${f.confidence.padEnd(9)} ${f.id}  ${f.file}:${f.location}`);
for (const e of parseErrors) console.log(`  PARSE ERROR ${e.replace(copy, 'out')}`);
if (!process.argv.includes('--keep')) fs.rmSync(work, { recursive: true, force: true });
const high = findings.filter((f) => f.severity.startsWith('HIGH'));
process.exit(high.length || parseErrors.length ? 1 : 0);
