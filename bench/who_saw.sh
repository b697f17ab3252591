#!/usr/bin/env bash
# "Who saw X between T1 and T2" with many audit events on PostgreSQL.
#
#   bench/who_saw.sh [EVENTS] [DBNAME] [HOMES]     (defaults: 50000000 porch_bench_audit 150000)
#
# Drops and recreates DBNAME (never point it at a database you care about), seeds HOMES
# demo homes with seed_demo, appends EVENTS audit events with generate_series (bypassing
# the hash chain: a bench database only), then times the who-saw report's code path.
# Check the disk first: 50 million events take about 35 GB with their indexes.
set -euo pipefail

EVENTS="${1:-50000000}"
DBNAME="${2:-porch_bench_audit}"
HOMES="${3:-150000}"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
export DEBUG=1
export DATABASE_URL="postgres://${PGUSER}@${PGHOST}:${PGPORT}/${DBNAME}"

df -h "$(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -Atc 'show data_directory')" 2>/dev/null || df -h .
PGHOST="$PGHOST" PGPORT="$PGPORT" PGUSER="$PGUSER" bench/seed_demo.sh "$HOMES" "$DBNAME"
start=$(date +%s)
"$PYTHON" bench/who_saw.py seed "$EVENTS"
echo "Seeded ${EVENTS} events in $(( $(date +%s) - start )) s"
# Timed as in production: DEBUG off (no query log), with throwaway keys.
export DEBUG=0 ALLOWED_HOSTS=localhost
SECRET_KEY="$(head -c 48 /dev/urandom | base64)"
AUDIT_KEY="$(head -c 48 /dev/urandom | base64)"
export SECRET_KEY AUDIT_KEY
"$PYTHON" bench/who_saw.py time 17   # people nobody has looked at yet: cold
"$PYTHON" bench/who_saw.py time 17   # the same people again: warm
"$PYTHON" bench/who_saw.py others
