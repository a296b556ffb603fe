#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL: initdb in a temporary folder, the server on
# loopback at a free port, DATABASE_URL pointing at it, and everything stopped and removed
# afterwards, whatever the command's outcome. Usage: bash tests/with-postgres.sh <command…>
#
# PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user that
# Debian's package creates; otherwise as the current user.
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ]; then bin=$(dirname "$(command -v initdb)"); fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/unionhub-pg-XXXXXX")
as=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$dir"
  as=(runuser -u postgres --)
fi
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")

cleanup() {
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# C collation: strings compare by bytes as in SQLite (the union paths' prefix ranges rely on it).
# No fsync and no synchronous commit: the data is thrown away at the end. No parallel query:
# the test files already run side by side on few cores (and a float sum stays in one order).
"${as[@]}" "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale --no-sync >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
  "-h 127.0.0.1 -p $port -k $dir -F -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=256MB -c max_parallel_workers_per_gather=0" >/dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (throw-away, $dir)" >&2
"$@"
