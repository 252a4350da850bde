#!/usr/bin/env bash
# Installs what the VS Code end-to-end suites need: Debian's chromium (the browser playwright-core drives),
# ripgrep and libkrb5-dev (code-server's native build), and code-server 4.100.3 from npm into a cache folder
# outside the project's dependencies. Idempotent: a second run only checks and prints the variables.
set -euo pipefail
CS_VERSION=4.100.3   # = VS Code 1.100.3; the newest whose engines.node accepts Node 20
RG_PKG_VERSION=1.15.11 # the @vscode/ripgrep version code-server 4.100.3 depends on

cache_root=${AURA_VSCODE_CACHE:-/var/cache/aura-test}
if ! mkdir -p "$cache_root" 2>/dev/null || [ ! -w "$cache_root" ]; then cache_root=${XDG_CACHE_HOME:-$HOME/.cache}/aura-test; mkdir -p "$cache_root"; fi
CS_DIR=$cache_root/code-server-$CS_VERSION
CS_BIN=$CS_DIR/node_modules/.bin/code-server

if ! command -v chromium >/dev/null || ! command -v rg >/dev/null || [ ! -e /usr/include/gssapi/gssapi.h ]; then
  echo "installing chromium, ripgrep and libkrb5-dev from Debian's packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium ripgrep libkrb5-dev >/dev/null
fi

if [ ! -x "$CS_BIN" ] || [ ! -f "$CS_DIR/.installed" ]; then
  echo "installing code-server@$CS_VERSION into $CS_DIR"
  rm -rf "$CS_DIR"; mkdir -p "$CS_DIR/tmp"
  # @vscode/ripgrep downloads rg from GitHub at install time (unreachable here): seed its download cache
  # ($TMPDIR/vscode-ripgrep-cache-<version>/) with Debian's rg, packed under the name it looks for.
  rgc=$CS_DIR/tmp/vscode-ripgrep-cache-$RG_PKG_VERSION
  mkdir -p "$rgc/x" && cp "$(command -v rg)" "$rgc/x/rg"
  tar czf "$rgc/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$rgc/x" rg && rm -rf "$rgc/x"
  (
    cd "$CS_DIR"
    printf '{"name":"aura-test-code-server","private":true}\n' > package.json
    TMPDIR=$CS_DIR/tmp npm_config_unsafe_perm=true npm_config_yes=true \
      npm install --no-audit --no-fund --loglevel=error "code-server@$CS_VERSION"
  )
  rm -rf "$CS_DIR/tmp"
  "$CS_BIN" --version >/dev/null
  touch "$CS_DIR/.installed"
fi

echo "code-server $("$CS_BIN" --version | head -1) at $CS_BIN; chromium at $(command -v chromium)"
state=${AURA_TEST_STATE:-}
if [ -n "$state" ]; then
  mkdir -p "$state"
  printf 'AURA_CODE_SERVER=%s\nAURA_CHROMIUM=%s\n' "$CS_BIN" "$(command -v chromium)" > "$state/env.30-vscode"
fi
echo "AURA_CODE_SERVER=$CS_BIN"
echo "AURA_CHROMIUM=$(command -v chromium)"
