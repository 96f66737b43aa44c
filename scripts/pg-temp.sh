#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for tests and development.
#
#   scripts/pg-temp.sh start DIR   initdb in DIR, start on 127.0.0.1 with a free port, create the
#                                  database corphub_test, print ONE line: its URL
#   scripts/pg-temp.sh stop DIR    stop the cluster (fast) and remove DIR
#
# Trust auth on loopback only; fsync stays on (durability tests run against it). As root the
# server runs as the `postgres` OS user (PostgreSQL refuses to run as root). Everything but the
# URL goes to stderr or DIR/*.log.
set -euo pipefail

pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
marker=.corphub-pg-temp

die() {
  echo "pg-temp: $*" >&2
  exit 1
}

usage() {
  echo "usage: $0 start DIR | stop DIR" >&2
  exit 2
}

# Runs a command as the cluster's OS user.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  local dir=$1
  [ -x "$pg_bin/initdb" ] || die "no PostgreSQL binaries in $pg_bin (set PG_BIN)"
  if [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
    die "$dir exists and is not empty"
  fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  touch "$dir/$marker"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$dir" "$dir/$marker"
  fi
  as_owner test -w "$dir" || die "$dir is not writable by the cluster's OS user (is a parent private?)"

  if ! as_owner "$pg_bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 \
    --locale=C >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    die "initdb failed"
  fi

  # The OS hands out a free port; another process may take it before the server binds, so a
  # failed start is retried with a new one.
  local port="" attempt
  for attempt in 1 2 3; do
    port=$(free_port)
    if as_owner "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='' -c fsync=on" \
      start >/dev/null 2>&1; then
      break
    fi
    port=""
  done
  [ -n "$port" ] || {
    tail -n 20 "$dir/postgres.log" >&2 || true
    die "server did not start (log: $dir/postgres.log)"
  }

  local ready=0 i
  for i in $(seq 1 60); do
    if "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres; then
      ready=1
      break
    fi
    sleep 0.5
  done
  [ "$ready" -eq 1 ] || die "server on port $port not ready after 30 s (log: $dir/postgres.log)"

  "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres corphub_test ||
    die "createdb corphub_test failed"
  echo "postgresql://postgres@127.0.0.1:$port/corphub_test"
}

stop() {
  local dir=$1
  [ -d "$dir" ] || exit 0
  [ -e "$dir/$marker" ] || die "$dir was not made by pg-temp.sh; not touching it"
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$pg_bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 ||
      die "pg_ctl stop failed (log: $dir/postgres.log)"
  fi
  rm -rf "$dir"
}

[ $# -eq 2 ] || usage
case "$1" in
  start) start "$2" ;;
  stop) stop "$2" ;;
  *) usage ;;
esac
