#!/usr/bin/env bash
# Times `manage.py seed_demo --homes N` on a fresh PostgreSQL database.
#
#   bench/seed_demo.sh [HOMES] [DBNAME]        (defaults: 150000 porch_bench)
#
# Needs PostgreSQL on PGHOST:PGPORT (default 127.0.0.1:5432) as PGUSER (default
# postgres) with the right to create databases. The database is dropped and made
# again, so never point this at one you care about. Demo files go to a scratch
# MEDIA_ROOT unless you set one.
set -euo pipefail

HOMES="${1:-150000}"
DBNAME="${2:-porch_bench}"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"

export DEBUG=1
export DATABASE_URL="postgres://${PGUSER}@${PGHOST}:${PGPORT}/${DBNAME}"
export MEDIA_ROOT="${MEDIA_ROOT:-$(mktemp -d -t porch-bench-media.XXXXXX)}"

echo "Fresh database ${DBNAME} on ${PGHOST}:${PGPORT}"
dropdb --if-exists -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" "$DBNAME"
createdb -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" "$DBNAME"
"$PYTHON" manage.py migrate --verbosity 0

echo "Seeding ${HOMES} homes ($(nproc) cores, $(date -u +%Y-%m-%d))"
start=$(date +%s.%N)
"$PYTHON" manage.py seed_demo --homes "$HOMES" --verbosity 1 > /dev/null
end=$(date +%s.%N)
elapsed=$(echo "$end - $start" | bc)
printf 'seed_demo --homes %s: %.1f seconds\n' "$HOMES" "$elapsed"
psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d "$DBNAME" -Atc "
  select 'tenancies ' || count(*) from housing_tenancy
  union all select 'people ' || count(*) from housing_person
  union all select 'memberships ' || count(*) from housing_membership
  union all select 'documents ' || count(*) from documents_document"
