#!/usr/bin/env bash
# Install (Debian's package), start and prepare a local PostgreSQL server for the tests.
# Prints the admin URL the tests use (ARMSWATCH_TEST_POSTGRES_URL); each test makes
# and drops its own database through it. Idempotent: safe to run again.
set -euo pipefail

if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  echo "== installing PostgreSQL from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends postgresql >&2
fi
version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -qx "$version main"; then
  pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -qx online; then
  pg_ctlcluster "$version" main start >&2
fi
port="$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')"
for _ in $(seq 1 30); do
  su postgres -c "pg_isready -q -p $port" && break
  sleep 1
done
su postgres -c "psql -q -p $port -v ON_ERROR_STOP=1" >&2 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'armswatch') THEN
    CREATE ROLE armswatch LOGIN CREATEDB PASSWORD 'armswatch';
  END IF;
END \$\$;
-- lets the tests' DROP DATABASE ... WITH (FORCE) end an autovacuum worker on their database
GRANT pg_signal_backend TO armswatch;
SQL
if ! su postgres -c "psql -p $port -tAc \"SELECT 1 FROM pg_database WHERE datname='armswatch'\"" | grep -q 1; then
  su postgres -c "createdb -p $port -O armswatch armswatch" >&2
fi
echo "postgresql://armswatch:armswatch@127.0.0.1:$port/armswatch"
