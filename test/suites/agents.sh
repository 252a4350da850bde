#!/usr/bin/env bash
# The real coding agents (test/agents): installs each agent's npm registry package into a cache outside the repo
# (AURA_AGENTS_CACHE, default /var/cache/aura-test/agents; none of their scripts run), builds its image in the real
# engine once per version (aura images build --agent), then runs the mocha suite. Installs and images are kept
# between runs, so a second run only runs the agents.
set -uo pipefail
cd "$(dirname "$0")/../.."
export AURA_TEST_STATE=${AURA_TEST_STATE:-$PWD/.test-cache}
CACHE=${AURA_AGENTS_CACHE:-/var/cache/aura-test/agents}
mkdir -p "$AURA_TEST_STATE/logs" "$CACHE"
if [ -z "${DOCKER_HOST:-}" ]; then
  # Run on its own: provision the engine first (run-all.sh has done so already).
  [ -f "$AURA_TEST_STATE/env.10-docker" ] || bash test/provision/10-docker.sh > "$AURA_TEST_STATE/logs/10-docker.sh.log" 2>&1 || { cat "$AURA_TEST_STATE/logs/10-docker.sh.log"; exit 1; }
  set -a; . "$AURA_TEST_STATE/env.10-docker"; set +a
fi
# The agents' shells run `bash -c`: the images take the host's bash.
command -v bash > /dev/null || { apt-get update -qq && apt-get install -y -qq bash; }

build_log=$AURA_TEST_STATE/logs/agents-images.log
: > "$build_log"
for agent in gemini-cli qwen-code claude-code codex; do
  if ! node --require tsx/cjs mcp-server/cli/main.ts images build --agent "$agent" --cache "$CACHE" >> "$build_log" 2>&1; then
    cat "$build_log"
    printf '\n  0 passing\n  1 failing\n'
    exit 1
  fi
done
grep -E '^(Built|aura/agent-)' "$build_log"
exec npx mocha --no-config --require tsx/cjs --extension ts --timeout 600000 --exit --reporter spec 'test/agents/**/*.test.ts'
