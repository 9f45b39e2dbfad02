# PostgreSQL for Pier's scripts, from the distribution's binaries. PostgreSQL refuses to run as root,
# so as root it runs as the `postgres` user with a data directory that user owns.

pg_bin() {
  if [ -n "${PIER_PG_BIN:-}" ]; then echo "$PIER_PG_BIN"; return; fi
  local v
  v=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
  [ -n "$v" ] || { echo "error: no PostgreSQL server binaries under /usr/lib/postgresql" >&2; return 1; }
  echo "/usr/lib/postgresql/$v/bin"
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# pg_start DIR PORT: initialises DIR/data on first use, starts the server on 127.0.0.1:PORT, creates
# database `pier` (user `pier`, trust auth on loopback). Idempotent.
pg_start() {
  local dir=$1 port=$2 bin
  bin=$(pg_bin) || return 1
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_postgres "$bin/initdb" -D "$dir/data" -U pier --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { echo "error: initdb failed; see $dir/initdb.log" >&2; return 1; }
  fi
  if ! as_postgres "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null \
      || { echo "error: PostgreSQL did not start; see $dir/postgres.log" >&2; return 1; }
  fi
  if ! psql -h 127.0.0.1 -p "$port" -U pier -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='pier'" | grep -q 1; then
    psql -h 127.0.0.1 -p "$port" -U pier -d postgres -qc "CREATE DATABASE pier" >/dev/null
  fi
}

pg_stop() {
  local dir=$1 bin
  bin=$(pg_bin) || return 1
  [ -f "$dir/data/PG_VERSION" ] || return 0
  as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}
