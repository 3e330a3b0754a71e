#!/usr/bin/env bash
# Runs the test suite (scripts/suite.sh; or pytest with the arguments given) again on a throw-away PostgreSQL cluster: initdb and pg_ctl
# in a temp dir, on a free port on 127.0.0.1, as the postgres user when run as root. Stopped and removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$PGBIN" ]; then echo "PostgreSQL is not installed (apt-get install postgresql): skipped." >&2; exit 0; fi
UV=${UV:-uv}
tmp=$(mktemp -d /tmp/wijkentree-pg.XXXXXX)
chmod 755 "$tmp"
as_pg=()
if [ "$(id -u)" = 0 ]; then chown postgres "$tmp"; as_pg=(runuser -u postgres --); fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
stop() {
  "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap stop EXIT
"${as_pg[@]}" "$PGBIN/initdb" -D "$tmp/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
# fsync off: a throw-away cluster, speed over durability.
"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$tmp/data" -w -l "$tmp/log" \
  -o "-p $port -k $tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200" start >/dev/null
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
export TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
if [ $# -eq 0 ]; then UV="$UV" bash scripts/suite.sh; else "$UV" run --frozen pytest "$@"; fi
