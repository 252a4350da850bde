#!/usr/bin/env bash
# Stops every daemon a provisioner started (one process group id per line in daemons.pgids).
state=${AURA_TEST_STATE:-.test-cache}
[ -f "$state/daemons.pgids" ] || exit 0
while read -r pgid name; do
  [ -n "$pgid" ] || continue
  kill -TERM -- "-$pgid" 2>/dev/null || continue
  for _ in $(seq 1 30); do kill -0 -- "-$pgid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL -- "-$pgid" 2>/dev/null || true
  echo "stopped $name (process group $pgid)"
done < "$state/daemons.pgids"
: > "$state/daemons.pgids"
