#!/usr/bin/env bash
# The container suites (test/containers), on the real Docker engine that test/provision/10-docker.sh provides.
set -uo pipefail
cd "$(dirname "$0")/../.."
export AURA_TEST_STATE=${AURA_TEST_STATE:-$PWD/.test-cache}
if [ -z "${DOCKER_HOST:-}" ]; then
  # Run on its own: provision the engine first (run-all.sh has done so already).
  mkdir -p "$AURA_TEST_STATE/logs"
  [ -f "$AURA_TEST_STATE/env.10-docker" ] || bash test/provision/10-docker.sh > "$AURA_TEST_STATE/logs/10-docker.sh.log" 2>&1 || { cat "$AURA_TEST_STATE/logs/10-docker.sh.log"; exit 1; }
  set -a; . "$AURA_TEST_STATE/env.10-docker"; set +a
fi
exec npx mocha --no-config --require tsx/cjs --extension ts --timeout 60000 --exit --reporter spec 'test/containers/**/*.test.ts'
