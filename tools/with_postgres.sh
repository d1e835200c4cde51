#!/usr/bin/env bash
# Run a command with a PostgreSQL server for the tests, exported as CHANGZHU_TEST_PG_URL.
#   - CHANGZHU_TEST_PG_URL already set: use it;
#   - a server at 127.0.0.1:5432 (trust auth, database test): use it (the tests' default URL; the port probed is
#     CHANGZHU_TEST_PG_PORT, default 5432);
#   - otherwise: a throwaway server from the system binaries (/usr/lib/postgresql/*/bin) in a temporary
#     directory on a free port, stopped and deleted when the command ends.
# Usage: tools/with_postgres.sh COMMAND [ARGS...]
set -euo pipefail

if [ -n "${CHANGZHU_TEST_PG_URL:-}" ] || (exec 3<>"/dev/tcp/127.0.0.1/${CHANGZHU_TEST_PG_PORT:-5432}") 2>/dev/null; then
    exec "$@"
fi

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ]; then
    echo "no PostgreSQL at 127.0.0.1:5432 and no server binaries under /usr/lib/postgresql (tools/system_deps.sh installs them)" >&2
    exit 1
fi
owner=$(id -un)
if [ "$(id -u)" -eq 0 ]; then  # initdb refuses to run as root: the server runs as the postgres system user
    owner=$(id -u postgres >/dev/null 2>&1 && echo postgres || echo nobody)
fi
as_owner() {
    if [ "$owner" = "$(id -un)" ]; then "$@"; else runuser -u "$owner" -- "$@"; fi
}
base=${TMPDIR:-/tmp}
as_owner test -w "$base" -a -x "$base" 2>/dev/null || base=/tmp
dir=$(mktemp -d "$base/changzhu-pg.XXXXXX")
[ "$owner" = "$(id -un)" ] || chown "$owner" "$dir"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

stop() {
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap stop EXIT
as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE test" >/dev/null
export CHANGZHU_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$port/test"
echo "throwaway PostgreSQL at 127.0.0.1:$port (data in $dir)"
"$@"
