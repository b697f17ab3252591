#!/usr/bin/env bash
# The canary guard's cost per page, on a fresh PostgreSQL database (see bench/canary_guard.py).
#
#   bench/canary_guard.sh [HOMES] [REQUESTS] [DBNAME]     (defaults: 1000 400 porch_bench_canary)
#
# Needs PostgreSQL on PGHOST:PGPORT (default 127.0.0.1:5432) as PGUSER (default
# postgres) with the right to create databases. The database is dropped and made
# again, so never point this at one you care about.
set -euo pipefail

HOMES="${1:-1000}"
REQUESTS="${2:-400}"
DBNAME="${3:-porch_bench_canary}"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"

export DEBUG=1
export DATABASE_URL="postgres://${PGUSER}@${PGHOST}:${PGPORT}/${DBNAME}"
export MEDIA_ROOT="${MEDIA_ROOT:-$(mktemp -d -t porch-bench-media.XXXXXX)}"

dropdb --if-exists -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" "$DBNAME"
createdb -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" "$DBNAME"
"$PYTHON" bench/canary_guard.py --homes "$HOMES" --requests "$REQUESTS"
