#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster on loopback:
#   scripts/with-postgres.sh .venv/bin/pytest
# The cluster lives in a temporary folder and is stopped and removed when the
# command ends, whether it passed or failed. DATABASE_URL points at it.
set -euo pipefail
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [[ -z "$PG_BIN" || ! -x "$PG_BIN/initdb" ]]; then
  echo "PostgreSQL server binaries not found (set PG_BIN)." >&2
  exit 1
fi
workdir=$(mktemp -d /tmp/seabridge-pg.XXXXXX)
chmod 755 "$workdir"
as_owner=()
if [[ $(id -u) -eq 0 ]]; then
  # initdb refuses to run as root: the cluster belongs to the postgres user.
  chown postgres: "$workdir"
  as_owner=(runuser -u postgres --)
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

cleanup() {
  "${as_owner[@]}" "$PG_BIN/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap cleanup EXIT

"${as_owner[@]}" "$PG_BIN/initdb" -D "$workdir/data" -U seabridge --auth=trust -E UTF8 \
  --locale=C.UTF-8 >/dev/null
"${as_owner[@]}" "$PG_BIN/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w start -o \
  "-p $port -k $workdir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  >/dev/null
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
"${as_owner[@]}" "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U seabridge seabridge

DATABASE_URL="postgres://seabridge@127.0.0.1:$port/seabridge" "$@"
