#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server on loopback for the test suites and prints the connection string.
#   source <(bash eng/postgres.sh start)   -> exports FLATTR_TEST_POSTGRES and FLATTR_PG_DIR
#   bash eng/postgres.sh stop DIR
# FLATTR_PG_DURABLE=1 keeps PostgreSQL's durable defaults (fsync, synchronous_commit) and sizes it for a month of
# clicks, for eng/perf.sh: a click must be on disk when the Hub answers 201.
# Installs Debian's postgresql package when the server binaries are missing (a fresh machine).
set -euo pipefail

# A free loopback port unless one is given, so parallel runs on one machine do not collide.
port=${FLATTR_PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}

find_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  return 1
}

as_owner() {
  # initdb refuses to run as root: run the server as the postgres user when we are root.
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-start}" in
  start)
    if ! bin=$(find_bin); then
      echo "postgres.sh: installing Debian's postgresql package" >&2
      if [ "$(id -u)" -eq 0 ]; then
        apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
      else
        sudo apt-get update -qq >&2 && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
      fi
      bin=$(find_bin)
    fi
    dir=$(mktemp -d /tmp/flattr-pg.XXXXXX)
    chmod 755 "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir"; fi
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
    if [ -n "${FLATTR_PG_DURABLE:-}" ]; then
      # shared_buffers holds the whole month of the full perf run (2.2 GB with its indexes). With 1 GB, pages written
      # out of PostgreSQL's cache reached the disk in the kernel's write-back bursts (75 MB in one second), which held up
      # the WAL's fsync and with it every commit: a stall of 130-180 ms in the clicks' open loop (docs/performance.md).
      # A quarter of the memory, at most 4 GB, so a smaller machine still starts it.
      buffers_mb=$(awk '/^MemTotal:/ {mb = int($2 / 4096); print (mb < 4096 ? mb : 4096)}' /proc/meminfo)
      settings="-c shared_buffers=${buffers_mb}MB -c max_wal_size=8GB -c checkpoint_timeout=15min -c maintenance_work_mem=512MB"
    else
      # Tuned for a test server on a small machine: durability is not what these tests measure.
      settings="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    fi
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
      "-p $port -k $dir -c listen_addresses=127.0.0.1 $settings -c max_connections=200" \
      start >/dev/null
    echo "export FLATTR_PG_DIR='$dir'"
    echo "export FLATTR_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=true;Include Error Detail=true'"
    ;;
  stop)
    dir=${2:?directory}
    bin=$(find_bin)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: postgres.sh start|stop DIR" >&2
    exit 2
    ;;
esac
