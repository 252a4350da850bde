#!/usr/bin/env bash
# Builds aura/postgres:local and aura/server:local with no registry: FROM the local worker image (aura images build),
# plus this machine's PostgreSQL binaries with the libraries ldd lists, and (for the server) dist/ and the packages
# the bundle leaves external. Needs: docker, PostgreSQL 15+ installed here, npm run build done.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/deploy/compose"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
docker image inspect aura/worker:local >/dev/null 2>&1 || { echo "aura/worker:local is missing: run aura images build first" >&2; exit 1; }
[ -f "$ROOT/dist/aura.js" ] || { echo "dist/aura.js is missing: run npm run build first" >&2; exit 1; }
PG=$(ls -d /usr/lib/postgresql/*/ 2>/dev/null | sort -V | tail -1); PG=${PG%/}
[ -x "$PG/bin/postgres" ] || { echo "PostgreSQL is not installed here (apt-get install postgresql)" >&2; exit 1; }
VERSION=$(basename "$PG")

# One root filesystem for both images: PostgreSQL's server and client tools, their data files and libraries.
ROOTFS="$WORK/rootfs"
mkdir -p "$ROOTFS"
for dir in "$PG" "/usr/share/postgresql/$VERSION" /usr/share/zoneinfo; do
  mkdir -p "$ROOTFS$(dirname "$dir")"
  cp -a "$dir" "$ROOTFS$dir"
done
# The image merges /usr (/lib is a link to usr/lib): each library goes under /usr, by the name ldd gives it.
for f in "$PG"/bin/* "$PG"/lib/*.so; do ldd "$f" 2>/dev/null || true; done |
  awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u |
  while read -r lib; do
    dest="$ROOTFS/$(sed -E 's#^/(lib|lib64)/#/usr/\1/#' <<< "$lib")"
    mkdir -p "$(dirname "$dest")"
    [ -e "$dest" ] || cp -L "$lib" "$dest"
  done

# PostgreSQL.
mkdir -p "$WORK/postgres"
mv "$ROOTFS" "$WORK/postgres/rootfs"
cp "$HERE/postgres-entrypoint.sh" "$WORK/postgres/"
cat > "$WORK/postgres/Dockerfile" <<DOCKERFILE
FROM aura/worker:local
COPY rootfs/ /
COPY postgres-entrypoint.sh /usr/local/bin/postgres-entrypoint
USER 0:0
RUN mkdir -p /var/lib/postgresql/data && chown 65534:65534 /var/lib/postgresql/data && chmod 0700 /var/lib/postgresql/data
USER 65534:65534
ENV PATH=$PG/bin:/usr/local/bin:/usr/bin:/bin PGHOST=/tmp
ENTRYPOINT ["/usr/local/bin/postgres-entrypoint"]
DOCKERFILE
docker build -q -t aura/postgres:local "$WORK/postgres"

# aura serve: the bundle, its external packages, and PostgreSQL's client tools for backups.
mkdir -p "$WORK/server/opt/aura"
cp -a "$ROOT/dist" "$WORK/server/opt/aura/dist"
node "$HERE/external-packages.cjs" "$ROOT" | while read -r dir; do
  [ -e "$WORK/server/opt/aura/$dir" ] && continue # inside a package already copied
  mkdir -p "$WORK/server/opt/aura/$(dirname "$dir")"
  cp -a "$ROOT/$dir" "$WORK/server/opt/aura/$dir"
done
mv "$WORK/postgres/rootfs" "$WORK/server/rootfs"
cat > "$WORK/server/Dockerfile" <<DOCKERFILE
FROM aura/worker:local
COPY rootfs/ /
COPY opt/ /opt/
ENV PATH=$PG/bin:/usr/local/bin:/usr/bin:/bin NODE_ENV=production
WORKDIR /opt/aura
USER 65534:65534
ENTRYPOINT ["node", "/opt/aura/dist/aura.js"]
CMD ["serve"]
DOCKERFILE
docker build -q -t aura/server:local "$WORK/server"
docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E '^aura/(postgres|server):local'
