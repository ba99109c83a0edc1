#!/usr/bin/env bash
# The project's test command: lint, type-check, then the test suite (with a throw-away PostgreSQL).
# The PostgreSQL server lives in a temporary directory, listens on 127.0.0.1 only, on a free port,
# and is stopped (and its directory removed) when this script exits, however it exits.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
ruff check .
mypy .

pg_bin="${EVIDENCE_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
if [ -z "${EVIDENCE_TEST_PG_URL:-}" ]; then
  if [ ! -x "$pg_bin/initdb" ]; then
    echo "test.sh: PostgreSQL not found (run: bash scripts/install.sh dev)" >&2
    exit 2
  fi
  pg_dir="$(mktemp -d)"
  as_pg=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$pg_dir"
    as_pg=(runuser -u postgres --)
  fi
  pg_port="$(python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  stop_pg() {
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  }
  trap stop_pg EXIT
  "${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U evidence --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c fsync=off -c max_connections=200" start >/dev/null
  export EVIDENCE_TEST_PG_URL="postgresql+psycopg://evidence@127.0.0.1:$pg_port/postgres"
fi

pytest -n 2 "$@"
