#!/usr/bin/env bash
# Makes sure a Docker engine answers for the container suites: reuses one that answers, else installs
# Debian's docker.io (when missing) and starts dockerd detached with its data under $AURA_TEST_STATE.
# Also installs busybox-static, which `aura images build` puts into the worker image.
set -euo pipefail
state=${AURA_TEST_STATE:?AURA_TEST_STATE must be set (run-all.sh sets it)}
mkdir -p "$state/logs"

# Answers when the engine behind a DOCKER_HOST value replies to /_ping (node is always here; the docker CLI may not be).
answers() {
  node -e '
    const http = require("node:http");
    const host = process.argv[1];
    const target = host.startsWith("unix://") ? { socketPath: host.slice(7) } : (() => { const u = new URL(host.replace(/^tcp:/, "http:")); return { host: u.hostname, port: u.port || 2375 }; })();
    const req = http.get({ ...target, path: "/_ping", timeout: 3000 }, (res) => process.exit(res.statusCode === 200 ? 0 : 1));
    req.on("error", () => process.exit(1));
    req.on("timeout", () => process.exit(1));
  ' "$1" >/dev/null 2>&1
}

apt_updated=
need_packages() {
  local missing=()
  for pair in "$@"; do
    local bin=${pair%%:*} pkg=${pair#*:}
    command -v "$bin" >/dev/null 2>&1 || [ -x "$bin" ] || [ -x "/usr/sbin/$bin" ] || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing from Debian's packages: ${missing[*]}"
  if [ -z "$apt_updated" ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The worker image is built from the host's busybox-static (see adapters/containers/worker-image-rootfs.ts).
need_packages /bin/busybox:busybox-static

write_env() {
  printf 'DOCKER_HOST=%s\n' "$1" > "$state/env.10-docker"
  echo "Docker engine ready"
  echo "DOCKER_HOST=$1"
}

candidates=()
[ -n "${DOCKER_HOST:-}" ] && candidates+=("$DOCKER_HOST")
candidates+=("unix:///var/run/docker.sock")
for host in "${candidates[@]}"; do
  if answers "$host"; then echo "reusing the engine that answers at $host"; write_env "$host"; exit 0; fi
done

need_packages dockerd:docker.io
# dockerd lives in /usr/sbin, which a non-login PATH may lack.
dockerd_bin=$(command -v dockerd || echo /usr/sbin/dockerd)

root="$state/docker"
# A unix socket path must stay under 108 bytes; a deep checkout gets a short one under /tmp instead.
sock="$root/docker.sock"
if [ ${#sock} -gt 100 ]; then
  sock="/tmp/aura-docker-$(printf '%s' "$root" | sha256sum | cut -c1-12)/docker.sock"
fi
host="unix://$sock"
if answers "$host"; then echo "reusing the engine already running at $host"; write_env "$host"; exit 0; fi

mkdir -p "$root/data" "$root/exec" "$(dirname "$sock")"
rm -f "$sock" "$root/dockerd.pid"
log="$state/logs/dockerd.log"
setsid "$dockerd_bin" \
  --data-root "$root/data" --exec-root "$root/exec" --pidfile "$root/dockerd.pid" -H "$host" \
  --storage-driver=overlay2 --iptables=false --ip6tables=false --ip-masq=false \
  --bridge=none --userland-proxy=false > "$log" 2>&1 < /dev/null &
pid=$!
# setsid made dockerd the leader of a new process group whose id is its pid.
echo "$pid dockerd" >> "$state/daemons.pgids"
for _ in $(seq 1 150); do
  answers "$host" && break
  kill -0 "$pid" 2>/dev/null || { echo "dockerd exited while starting; its log:"; tail -40 "$log"; exit 1; }
  sleep 0.1
done
answers "$host" || { echo "dockerd did not answer within 15 s; its log:"; tail -40 "$log"; exit 1; }
# Should setsid have forked (it does when its caller leads a process group), record dockerd's own group too.
pgid=$(awk '{print $5}' "/proc/$(cat "$root/dockerd.pid")/stat")
[ "$pgid" = "$pid" ] || echo "$pgid dockerd" >> "$state/daemons.pgids"
echo "started dockerd (pid $pid) at $host, data under $root"
write_env "$host"
