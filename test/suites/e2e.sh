#!/usr/bin/env bash
# The console's end-to-end suites: the packaged extension in code-server driven by chromium, the browser dashboard,
# and the mocha suite inside the real extension host. Ends with the summed mocha-style "N passing" / "N failing".
set -uo pipefail
cd "$(dirname "$0")/../.."
export AURA_TEST_STATE=${AURA_TEST_STATE:-$PWD/.test-cache}
mkdir -p "$AURA_TEST_STATE/logs"
if [ -z "${AURA_CODE_SERVER:-}" ] && [ -f "$AURA_TEST_STATE/env.30-vscode" ]; then set -a; . "$AURA_TEST_STATE/env.30-vscode"; set +a; fi
[ -n "${AURA_CODE_SERVER:-}" ] || { bash test/provision/30-vscode.sh > "$AURA_TEST_STATE/logs/30-vscode.log" 2>&1 && set -a && . "$AURA_TEST_STATE/env.30-vscode" && set +a; }

passing=0
failing=0
count() { # adds the last "N passing"/"N failing" of a log; a run that reported nothing counts as one failure
  local log=$1 code=$2 p f
  p=$(grep -Eo '^ *[0-9]+ passing' "$log" | tail -1 | grep -Eo '[0-9]+' || true)
  f=$(grep -Eo '^ *[0-9]+ failing' "$log" | tail -1 | grep -Eo '[0-9]+' || true)
  p=${p:-0}; f=${f:-0}
  if [ "$code" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  passing=$((passing + p)); failing=$((failing + f))
}

# The .vsix under test is packaged from this tree (it also builds dist/).
if ! npm run --silent package > "$AURA_TEST_STATE/logs/e2e-package.log" 2>&1; then
  cat "$AURA_TEST_STATE/logs/e2e-package.log"
  printf '\n  0 passing\n  1 failing\n'
  exit 1
fi

ui_log=$AURA_TEST_STATE/logs/e2e-ui.log
npx mocha --no-config --require tsx/cjs --extension ts --timeout 180000 --exit 'test/e2e/*.e2e.test.ts' 2>&1 | tee "$ui_log"
count "$ui_log" "${PIPESTATUS[0]}"

host_log=$AURA_TEST_STATE/logs/e2e-ext-host.log
npx tsx test/e2e/support/ext-host-runner.ts 2>&1 | tee "$host_log"
count "$host_log" "${PIPESTATUS[0]}"

printf '\n  %d passing\n' "$passing"
[ "$failing" -eq 0 ] || printf '  %d failing\n' "$failing"
[ "$failing" -eq 0 ]
