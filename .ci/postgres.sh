#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster for the store's tests; print its URL on stdout.
#
#   url="$(bash .ci/postgres.sh start DIR)"   # installs the server if missing (needs root)
#   bash .ci/postgres.sh stop DIR
#
# The cluster lives in DIR, listens on 127.0.0.1 only, on a free port, and runs as a non-root
# user (the system user "postgres" made by the Debian package) with trust authentication.
set -euo pipefail

action="${1:?usage: postgres.sh start|stop DIR}"
dir="${2:?usage: postgres.sh start|stop DIR}"

bindir() {
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -z "$found" ]; then
    echo "postgres.sh: no PostgreSQL server found in /usr/lib/postgresql" >&2
    return 1
  fi
  echo "$found"
}

as_user() {
  if [ "$(id -u)" = 0 ]; then
    su postgres -s /bin/sh -c "$*"
  else
    sh -c "$*"
  fi
}

case "$action" in
  start)
    if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
      if [ "$(id -u)" != 0 ]; then
        echo "postgres.sh: PostgreSQL is not installed and this is not root" >&2
        exit 1
      fi
      echo "postgres.sh: installing the Debian package postgresql" >&2
      DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    fi
    bin="$(bindir)"
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
      id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
      chown postgres "$dir"
    fi
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    as_user "'$bin/initdb' -D '$dir/data' -U cw --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
    as_user "'$bin/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -t 60 \
      -o \"-c listen_addresses=127.0.0.1 -p $port -k '$dir' -c fsync=off \
      -c max_connections=100\" start" >/dev/null
    as_user "'$bin/createdb' -h 127.0.0.1 -p $port -U cw cw_test"
    echo "postgresql://cw@127.0.0.1:$port/cw_test"
    ;;
  stop)
    bin="$(bindir)"
    if [ -d "$dir/data" ]; then
      as_user "'$bin/pg_ctl' -D '$dir/data' -m fast -w stop" >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: postgres.sh start|stop DIR" >&2
    exit 2
    ;;
esac
