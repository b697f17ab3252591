"""What the page benchmarks that compare two database sizes share (repairs_pages.py,
cases_pages.py): a worker process per database, turns of requests in round robin, the
queries of a request counted and timed with an execute wrapper, and median wall and CPU
time.

An audit append of 50 rows or more goes by COPY (porch.core.bulk), which no execute wrapper
sees: `watching` times those too, and counts each as one query.

The parent starts one `Worker` per database; each runs the script's own `worker` step,
which puts Django on its database (`django_on_database`), signs its logins in, and then
`serve`s: one JSON line in ("hello", or "run" a page so many times), one JSON line out.
`interleave` sends the workers turns of a few requests of one page, small then large, page
by page, so only one works at a time and load from other work falls on both sizes alike.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

Request = Callable[[], Any]


# --- The parent ------------------------------------------------------------------------------


class Worker:
    """A child process with Django on one database, answering one JSON line with another."""

    def __init__(self, script: str, url: str, explain: bool, env: dict[str, str] | None = None) -> None:
        env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1", "LOG_LEVEL": "ERROR", **(env or {})}
        command = [sys.executable, script, "worker"] + (["--explain"] if explain else [])
        self.process = subprocess.Popen(command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # noqa: S603

    def ask(self, message: dict[str, Any]) -> Any:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the worker stopped (see its error above)")
        return json.loads(line)

    def close(self) -> None:
        assert self.process.stdin
        self.process.stdin.close()
        self.process.wait()


@dataclass
class Timings:
    """Each request's times, by (page, size), and the load average before and after each round."""

    wall: dict[tuple[str, str], list[float]] = field(default_factory=lambda: defaultdict(list))
    cpu: dict[tuple[str, str], list[float]] = field(default_factory=lambda: defaultdict(list))
    audit: dict[tuple[str, str], list[float]] = field(default_factory=lambda: defaultdict(list))
    loads: list[float] = field(default_factory=list)

    def medians(self, page: str, size: str) -> tuple[float, float, float, float]:
        """Median wall, CPU and audit-write time, and the median of each request's wall time
        less its audit write."""
        wall, cpu, audit = self.wall[page, size], self.cpu[page, size], self.audit[page, size]
        rest = [total - writing for total, writing in zip(wall, audit, strict=True)]
        return statistics.median(wall), statistics.median(cpu), statistics.median(audit), statistics.median(rest)


def interleave(workers: dict[str, Worker], pages: Iterable[str], requests: int, turn: int) -> Timings:
    """`requests` requests of each page from each worker, in turns of `turn`, round robin."""
    pages = list(pages)
    timings = Timings(loads=[os.getloadavg()[0]])
    for _ in range(requests // turn):
        for page in pages:
            for name, worker in workers.items():
                got = worker.ask({"do": "run", "page": page, "times": turn})
                timings.wall[page, name] += got["wall"]
                timings.cpu[page, name] += got["cpu"]
                timings.audit[page, name] += got["audit"]
        timings.loads.append(os.getloadavg()[0])
    return timings


def print_conditions(requests: int, turn: int, timings: Timings) -> None:
    print(f"{requests // turn * turn} requests a page a size, in turns of {turn},")
    print(f"load average (1 min) {min(timings.loads):.2f} to {max(timings.loads):.2f} while measuring, ", end="")
    print(f"{os.cpu_count()} cores")


def print_slowest(facts: dict[str, Any]) -> None:
    """--explain: for each size and page, the slowest queries of one request and the plans of
    its slowest reads (as `look_at_pages` found them)."""
    for name, fact in facts.items():
        print(f"\n## Slowest queries of one request, {name}")
        for page, about in fact["pages"].items():
            print(f"\n{page}:")
            for ms, sql in about["slowest"]:
                print(f"  {ms:7.2f} ms  {sql[:300]}")
            for plan in about["plans"]:
                print("  EXPLAIN ANALYZE of a slow read:\n    " + "\n    ".join(plan))


# --- The worker ------------------------------------------------------------------------------


def django_on_database() -> None:
    """Django on DATABASE_URL (already loaded: nothing is migrated or seeded), DEBUG off as in
    production, and PostgreSQL only: a ratio across engines means nothing."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from bench.scratch import production_like

    production_like()
    from django.db import connection

    assert connection.vendor == "postgresql", "measure PostgreSQL at both sizes"
    _time_copies()


# The timers `watching` a request, told of each COPY as it ends.
_watchers: list[Any] = []


def _time_copies() -> None:
    """Every COPY (porch.core.bulk.rows_insert, which objects_insert calls by its module's
    name) reported to the timers watching, with its table and wall time."""
    from porch.core import bulk

    copy = bulk.rows_insert

    def timed(model: Any, fields: Any, rows: Any) -> None:
        started = time.perf_counter()
        try:
            copy(model, fields, rows)
        finally:
            for watcher in _watchers:
                watcher.copied(model._meta.db_table, (time.perf_counter() - started) * 1000)

    bulk.rows_insert = timed


@contextmanager
def watching(timer: Any) -> Iterator[None]:
    """The timer sees every statement: through the execute wrapper, and each COPY."""
    from django.db import connection

    _watchers.append(timer)
    try:
        with connection.execute_wrapper(timer):
            yield
    finally:
        _watchers.remove(timer)


def serve(requests: dict[str, Request], hello: Callable[[], dict[str, Any]]) -> None:
    """Answer the parent: {"do": "hello"} with `hello()`, {"do": "run", "page", "times"} with
    that many requests' times."""
    for line in sys.stdin:
        message = json.loads(line)
        answer = hello() if message["do"] == "hello" else run(requests[message["page"]], message["times"])
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


def look_at_pages(requests: dict[str, Request], explain: bool, shown: Callable[[Any], Any]) -> dict[str, Any]:
    """For each page: warm it, check its status, and count the rows it shows (`shown` of the
    response, whose context the test environment keeps), its queries and the slowest of them;
    with `explain`, EXPLAIN ANALYZE of its two slowest reads."""
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment(debug=False)  # responses carry their context (rows shown); not while timing
    pages = {}
    for page, request in requests.items():
        for _ in range(3):  # warm: templates compiled, caches filled, the buffers hot
            response = request()
        assert response.status_code == 200, (page, response.status_code)
        timer = QueryTimer()
        with watching(timer):
            response = request()
        by_time = sorted(timer.queries, key=lambda query: -query[0])
        about: dict[str, Any] = {
            "queries": len(timer.queries),
            "shown": shown(response) if response.context else "?",
            "slowest": [(ms, sql) for ms, sql, _ in by_time[:3]],
            "plans": [],
        }
        reads = [query for query in by_time if query[1].lstrip().upper().startswith("SELECT")]
        for _, sql, params in reads[:2] if explain else []:  # never a write: EXPLAIN ANALYZE runs it
            with connection.cursor() as cursor:  # noqa: TID251 - a bench, not the portal
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                about["plans"].append([row[0] for row in cursor.fetchall()])
        pages[page] = about
    teardown_test_environment()
    return pages


class QueryTimer:
    """Each query of a request: its wall time in ms, its SQL and its parameters."""

    def __init__(self) -> None:
        self.queries: list[tuple[float, str, Any]] = []

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append(((time.perf_counter() - started) * 1000, sql, None if many else params))

    def copied(self, table: str, ms: float) -> None:
        self.queries.append((ms, f"COPY {table} FROM STDIN", None))


def run(request: Request, times: int) -> dict[str, list[float]]:
    """Each request's wall and CPU time, and the wall time of its audit rows' INSERT (so growth
    in the audit log, which every audited page shares, is told apart from the page's reads)."""
    wall, cpu, audit = [], [], []
    timer = AuditTimer()
    with watching(timer):
        for _ in range(times):
            timer.ms = 0.0
            started, started_cpu = time.perf_counter(), time.process_time()
            response = request()
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
            audit.append(timer.ms)
            assert response.status_code == 200, response.status_code
    return {"wall": wall, "cpu": cpu, "audit": audit}


class AuditTimer:
    """The wall time of the request's writes to the audit log, in ms."""

    def __init__(self) -> None:
        self.ms = 0.0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if not sql.startswith('INSERT INTO "audit_'):
            return execute(sql, params, many, context)
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.ms += (time.perf_counter() - started) * 1000

    def copied(self, table: str, ms: float) -> None:
        if table.startswith("audit_"):
            self.ms += ms


def signed_in_staff(client: Any, user: Any) -> Any:
    """Signed in, past two-step sign-in (as conftest.sign_in does for the tests)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
