#!/usr/bin/env bash
# Peak memory and time of checking an upload, one fresh process per case (see bench/upload_memory.py).
#
#   bench/upload_memory.sh [--only WORD ...] [--implementation FILE]
#
# Needs no database. Builds each file in a temporary directory (building the
# largest photos takes a few hundred MB), then measures check_upload on it.
set -euo pipefail

cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"

export DEBUG=1
"$PYTHON" bench/upload_memory.py "$@"
