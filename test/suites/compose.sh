#!/usr/bin/env bash
# The Docker Compose stack (deploy/compose) on the real engine with Debian's docker-compose: images built locally.
set -uo pipefail
cd "$(dirname "$0")/../.."
export AURA_TEST_STATE=${AURA_TEST_STATE:-$PWD/.test-cache}
mkdir -p "$AURA_TEST_STATE/logs"
if [ -z "${DOCKER_HOST:-}" ]; then
  [ -f "$AURA_TEST_STATE/env.10-docker" ] || bash test/provision/10-docker.sh > "$AURA_TEST_STATE/logs/10-docker.sh.log" 2>&1 || { cat "$AURA_TEST_STATE/logs/10-docker.sh.log"; exit 1; }
  set -a; . "$AURA_TEST_STATE/env.10-docker"; set +a
fi
command -v docker-compose >/dev/null || bash test/provision/40-operations.sh > "$AURA_TEST_STATE/logs/40-operations.sh.log" 2>&1 || { cat "$AURA_TEST_STATE/logs/40-operations.sh.log"; exit 1; }
[ -f dist/aura.js ] || node esbuild.mjs || exit 1
node --require tsx/cjs mcp-server/cli/main.ts images build || exit 1
exec npx mocha --no-config --require tsx/cjs --extension ts --timeout 600000 --exit --reporter spec 'test/compose/**/*.test.ts'
