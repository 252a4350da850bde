#!/usr/bin/env bash
# The reliability suite (test/reliability): Managers SIGKILLed mid-run, two Managers with an engine each sharing one
# PostgreSQL (scale-out), PostgreSQL restarted mid-run (a private
# server of the suite's own, never the machine's), worker containers killed from outside; on the real Docker
# engine that test/provision/10-docker.sh provides and on PostgreSQL.
set -uo pipefail
cd "$(dirname "$0")/../.."
export AURA_TEST_STATE=${AURA_TEST_STATE:-$PWD/.test-cache}
if [ -z "${DOCKER_HOST:-}" ]; then
  # Run on its own: provision the engine first (run-all.sh has done so already).
  mkdir -p "$AURA_TEST_STATE/logs"
  [ -f "$AURA_TEST_STATE/env.10-docker" ] || bash test/provision/10-docker.sh > "$AURA_TEST_STATE/logs/10-docker.sh.log" 2>&1 || { cat "$AURA_TEST_STATE/logs/10-docker.sh.log"; exit 1; }
  set -a; . "$AURA_TEST_STATE/env.10-docker"; set +a
fi
# The PostgreSQL restart test runs a server of its own with Debian's binaries (initdb, pg_ctl).
if ! ls /usr/lib/postgresql/*/bin/initdb > /dev/null 2>&1; then
  apt-get install -y -q postgresql > "$AURA_TEST_STATE/logs/reliability-apt.log" 2>&1 || { cat "$AURA_TEST_STATE/logs/reliability-apt.log"; exit 1; }
fi
# The scale-out test runs a second dockerd in a network namespace of its own (unshare from util-linux, ip from iproute2).
if ! command -v ip > /dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends iproute2 > "$AURA_TEST_STATE/logs/reliability-apt-ip.log" 2>&1 || { cat "$AURA_TEST_STATE/logs/reliability-apt-ip.log"; exit 1; }
fi
exec npx mocha --no-config --require tsx/cjs --extension ts --timeout 600000 --exit --reporter spec 'test/reliability/**/*.test.ts'
