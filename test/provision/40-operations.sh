#!/usr/bin/env bash
# Tools the operations tests drive: tmux (aura watch in a real terminal), systemd-analyze (the unit), PostgreSQL's
# client tools (backups; postgres.sh installs them with the server) and Debian's docker-compose (the Compose stack).
set -euo pipefail
need=()
command -v tmux >/dev/null || need+=(tmux)
command -v systemd-analyze >/dev/null || need+=(systemd)
command -v pg_dump >/dev/null || need+=(postgresql-client)
command -v docker-compose >/dev/null || need+=(docker-compose)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
tmux -V; systemd-analyze --version | head -1; pg_dump --version; docker-compose version --short
