#!/usr/bin/env bash
# Start Debian's PostgreSQL (installing it if missing) and create a database if absent.
# Usage: scripts/postgres_db.sh [NAME] (default alliances_test). Prints the SQLAlchemy URL of
# that database on its last line. Used by `make test` and `make cluster`.
set -euo pipefail
DB="${1:-alliances_test}"
if ! command -v pg_ctlcluster >/dev/null; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
if ! pg_lsclusters -h | grep -q "^${VERSION} main"; then
  pg_createcluster "${VERSION}" main >&2
fi
pg_ctlcluster "${VERSION}" main start >&2 2>/dev/null || true   # already running is fine
for _ in $(seq 1 30); do
  su postgres -c "pg_isready -q" && break
  sleep 1
done
ME="$(id -un)"
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='${ME}'\"" | grep -q 1 \
  || su postgres -c "createuser --superuser ${ME}" >&2
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='${DB}'\"" | grep -q 1 \
  || su postgres -c "createdb --owner ${ME} ${DB}" >&2
echo "postgresql+psycopg:///${DB}"
