#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what is missing, starts what must run, runs every
# suite, stops the daemons it started, and ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export AURA_TEST_STATE=${AURA_TEST_STATE:-$ROOT/.test-cache}
mkdir -p "$AURA_TEST_STATE/logs"
# Plain output for every suite (CI=true makes mocha colour its summary, which the counters read).
export FORCE_COLOR=0 NO_COLOR=1
: > "$AURA_TEST_STATE/daemons.pgids"

PASSED=0
FAILED=0
stop_daemons() { bash "$ROOT/test/provision/stop-daemons.sh"; }
trap stop_daemons EXIT

step() { printf '\n=== %s ===\n' "$*"; }

# A check that is not a mocha suite (typecheck, build) counts as one test.
check() {
  local name=$1; shift
  step "$name"
  if "$@"; then PASSED=$((PASSED + 1)); else FAILED=$((FAILED + 1)); echo "FAILED: $name"; fi
}

# A mocha suite: its own passing/failing counts are added; a run that crashes before reporting counts as one failure.
suite() {
  local name=$1; shift
  step "$name"
  local out="$AURA_TEST_STATE/logs/suite-${name// /-}.log"
  "$@" 2>&1 | tee "$out"
  local code=${PIPESTATUS[0]}
  local p f
  # Colours (mocha turns them on under CI=true) are stripped before reading the counts.
  local plain
  plain=$(sed 's/\x1b\[[0-9;]*m//g' "$out")
  p=$(grep -Eo '^ *[0-9]+ passing' <<< "$plain" | tail -1 | grep -Eo '[0-9]+' || true)
  f=$(grep -Eo '^ *[0-9]+ failing' <<< "$plain" | tail -1 | grep -Eo '[0-9]+' || true)
  p=${p:-0}; f=${f:-0}
  if [ "$code" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "FAILED: $name exited with $code"; fi
  if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then f=1; echo "FAILED: $name ran no test"; fi
  PASSED=$((PASSED + p)); FAILED=$((FAILED + f))
}

step "provision"
if [ ! -x node_modules/.bin/mocha ]; then npm ci --no-audit --no-fund || exit 1; fi
bash test/provision/postgres.sh || exit 1
for extra in test/provision/[0-9]*.sh; do
  [ -e "$extra" ] || continue
  # Each provisioner prints the variables it exports as KEY=VALUE lines on its last output lines.
  bash "$extra" > "$AURA_TEST_STATE/logs/$(basename "$extra").log" 2>&1 || { echo "provisioning failed: $extra (see $AURA_TEST_STATE/logs/$(basename "$extra").log)"; cat "$AURA_TEST_STATE/logs/$(basename "$extra").log"; exit 1; }
  if [ -f "$AURA_TEST_STATE/env.$(basename "$extra" .sh)" ]; then set -a; . "$AURA_TEST_STATE/env.$(basename "$extra" .sh)"; set +a; fi
done

check "typecheck" npx tsc -p tsconfig.json --noEmit
check "build" node esbuild.mjs

suite "unit and integration" npm test --silent
for s in test/suites/*.sh; do
  [ -e "$s" ] || continue
  suite "$(basename "$s" .sh)" bash "$s"
done

echo
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
