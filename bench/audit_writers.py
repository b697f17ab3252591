"""Audit rows a second as concurrent writers grow (issue 10, goal 4), on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/porch_bench_audit \\
        DEBUG=1 .venv/bin/python bench/audit_writers.py [--seconds 15] [--writers 1 4 16] [--chains 16 1]

Point DATABASE_URL at a scratch database (createdb porch_bench_audit): it is migrated.
For each number of chains and each number of writers, starts that many processes, each
with its own database connection, each appending audit records as fast as it can through
record() (one record of two subjects at a time, as a page about a joint tenancy writes)
for --seconds, then reports rows written a second and whether audit_verify finds the log
intact. With --chains 1 every writer appends to one chain: what one chain head meant.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup(chains: int) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ["AUDIT_CHAINS"] = str(chains)
    import django

    django.setup()


def _writer(chains: int, seconds: float, ready: Any, go: Any, results: Any) -> None:
    _setup(chains)
    from django.conf import settings

    settings.DEBUG = False
    from porch.audit.services import record
    from porch.core.actor import STAFF, Actor

    actor = Actor(kind=STAFF, roles=frozenset({"customer_services"}), trained=True)
    record(actor=actor, action="view", object_type="tenancy", object_id="warm-up", subject_ids=[None])
    ready.put(True)
    go.wait()
    records = 0
    end = time.time() + seconds
    while time.time() < end:
        record(actor=actor, action="view", object_type="tenancy", object_id="bench", subject_ids=[None])
        records += 1
    results.put(records)


def _round(chains: int, writers: int, seconds: float) -> tuple[float, bool]:
    from porch.audit.models import AccessEvent
    from porch.audit.verify import first_break

    spawn = multiprocessing.get_context("spawn")  # fresh processes, each with its own connection
    ready, results, go = spawn.Queue(), spawn.Queue(), spawn.Event()
    processes = [spawn.Process(target=_writer, args=(chains, seconds, ready, go, results)) for _ in range(writers)]
    for process in processes:
        process.start()
    for _ in processes:  # every writer set up, connected and warmed up before the clock starts
        ready.get()
    before = AccessEvent.objects.count()
    go.set()
    for _ in processes:
        results.get()
    for process in processes:
        process.join()
    rows = AccessEvent.objects.count() - before
    return rows / seconds, first_break() is None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--writers", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--chains", type=int, nargs="+", default=[16, 1])
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database.")
    _setup(options.chains[0])
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    connection.close()
    print(f"{os.cpu_count()} cores, {options.seconds:.0f} s a round, PostgreSQL")
    print("| Chains | Writers | Audit rows a second | audit_verify |")
    print("|---|---|---|---|")
    for chains in options.chains:
        for writers in options.writers:
            rate, intact = _round(chains, writers, options.seconds)
            print(f"| {chains} | {writers} | {rate:,.0f} | {'intact' if intact else 'BROKEN'} |", flush=True)


if __name__ == "__main__":
    main()
