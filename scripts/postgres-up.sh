#!/usr/bin/env bash
# Makes sure the machine's PostgreSQL answers on 127.0.0.1:5432 (the sync server's tests run
# against it as well as PGlite): starts the Debian cluster when it is installed but stopped.
set -uo pipefail
ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
if ! command -v pg_isready >/dev/null 2>&1; then
  echo "postgres-up: pg_isready not found; the Postgres tests need a server on 127.0.0.1:5432" >&2
  exit 1
fi
ready && exit 0
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  for version in $(ls /etc/postgresql); do
    pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
  done
fi
for _ in $(seq 1 30); do ready && exit 0; sleep 1; done
echo "postgres-up: no PostgreSQL on 127.0.0.1:5432" >&2
exit 1
