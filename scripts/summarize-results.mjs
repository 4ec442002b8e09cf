// Sums every suite's results into one closing line: "N passed, N failed, N skipped".
// Exits non-zero when anything failed or a suite produced no report.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0, failed = 0, skipped = 0;
const problems = [];

if (existsSync('test-results/checks.tsv')) {
  for (const line of readFileSync('test-results/checks.tsv', 'utf8').trim().split('\n')) {
    const [name, outcome] = line.split('\t');
    if (outcome === 'passed') passed++;
    else { failed++; problems.push(`check ${name} failed`); }
  }
}

if (existsSync('test-results/vitest.json')) {
  const v = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  skipped += v.numPendingTests + (v.numTodoTests ?? 0);
  // A file that fails to load counts as a failure even though no test in it ran.
  const brokenFiles = (v.testResults ?? []).filter((f) => f.status === 'failed' && f.assertionResults.length === 0);
  failed += brokenFiles.length;
  for (const f of brokenFiles) problems.push(`vitest file failed to run: ${f.name}`);
} else {
  failed++; problems.push('vitest wrote no report');
}

if (existsSync('test-results/playwright.json')) {
  const p = JSON.parse(readFileSync('test-results/playwright.json', 'utf8'));
  const s = p.stats ?? {};
  passed += (s.expected ?? 0) + (s.flaky ?? 0);
  failed += s.unexpected ?? 0;
  skipped += s.skipped ?? 0;
  for (const e of p.errors ?? []) { failed++; problems.push(`playwright: ${String(e.message).split('\n')[0]}`); }
} else if (existsSync('test/e2e')) {
  // Playwright stopped before running anything (e.g. no browser to drive).
  failed++; problems.push('playwright wrote no report');
}

for (const p of problems) console.log(`  ✗ ${p}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
