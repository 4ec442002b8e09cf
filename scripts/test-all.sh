#!/usr/bin/env bash
# Runs every suite — static checks, build, unit + integration (vitest), browser e2e
# and Electron e2e (Playwright) — and ends with one line: "N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/.."
mkdir -p test-results/logs
rm -rf test-results/*.json test-results/checks.tsv test-results/dom test-results/reliability

# Everything the suites print goes to test-results/logs/suite.log too: the leak scan reads it.
exec > >(tee test-results/logs/suite.log) 2>&1

# For the closing leak scan: the simulators record every secret they issue in a private file
# outside the project, and the tests keep their temp data dirs (vault, history, daemon logs)
# in a private TMPDIR, removed once scanned.
RUN_TMP=$(mktemp -d "${TMPDIR:-/tmp}/tokendesk-run-XXXXXX")
trap 'rm -rf "$RUN_TMP"' EXIT
mkdir -p "$RUN_TMP/tmp"
export TOKENDESK_SIM_ISSUED_FILE="$RUN_TMP/issued-secrets"
export TOKENDESK_KEEP_TEST_DIRS=1
export TMPDIR="$RUN_TMP/tmp"

check() { # name, command...: a static check counts as one test
  local name=$1; shift
  echo "── $name: $*"
  if "$@"; then printf '%s\tpassed\n' "$name" >> test-results/checks.tsv
  else printf '%s\tfailed\n' "$name" >> test-results/checks.tsv; fi
}

check lint npx eslint .
check typecheck npm run -s typecheck
check build npx electron-vite build

# The OS-keyring tests need a Secret Service: run the suite inside a private
# D-Bus session with an unlocked gnome-keyring when the tools are installed.
echo "── vitest"
if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
  dbus-run-session -- bash scripts/with-keyring.sh npx vitest run
else
  npx vitest run
fi

if [ -d test/e2e ] && ls test/e2e/*.spec.ts >/dev/null 2>&1; then
  echo "── playwright"
  PLAYWRIGHT_JSON_OUTPUT_NAME=test-results/playwright.json npx playwright test --reporter=list,json
fi

echo "── leak scan"
check leak-scan node scripts/leak-scan.mjs "$TOKENDESK_SIM_ISSUED_FILE" test-results "$TMPDIR"

node scripts/summarize-results.mjs
