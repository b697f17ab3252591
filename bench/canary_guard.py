"""What the canary guard costs a page: its own time per response against the page's time.

    DEBUG=1 .venv/bin/python bench/canary_guard.py [--homes 1000] [--requests 400]

Uses DATABASE_URL if set (point it at a scratch database: it is migrated and
seeded), otherwise a fresh SQLite file in a temporary directory. bench/canary_guard.sh
makes a fresh PostgreSQL database and runs this on it.

It seeds demo data, installs three canary households, signs in as the demo
resident alice@demo.porch.test and, for each page, times:

- the page through the whole stack (Django test client: every middleware,
  sessions, the database), the median of --requests runs, guard included;
- the guard alone on that page's real response: CanaryGuardMiddleware called
  with a get_response that hands back the finished response, minus the same
  call with no guard (the timer's own overhead), median of many runs.

The second figure over the first is the guard's share of the page time. An A/B
of whole requests with and without the middleware is printed too, but its
difference is within the noise of a request, which is the point.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scratch import production_like, scratch_portal  # noqa: E402 - after the root is on the path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--homes", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=400)
    options = parser.parse_args()

    scratch_portal(homes=options.homes, prefix="porch-bench-canary-")
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    call_command("canaries", "install", "--count", "3", stdout=open(os.devnull, "w"))  # noqa: SIM115

    print(
        f"Database: {connection.vendor} {connection.Database.sqlite_version if connection.vendor == 'sqlite' else connection.pg_version}"
    )
    print(
        f"Homes: {options.homes}; requests per figure: {options.requests}; Python {sys.version.split()[0]}; {os.cpu_count()} cores"
    )
    production_like()

    from django.test import Client
    from django.test.utils import override_settings

    from porch.accounts.models import User
    from porch.canaries.guard import CanaryGuardMiddleware

    alice = User.objects.get(username="alice@demo.porch.test")
    guarded = Client()
    guarded.force_login(alice)
    unguarded_middleware = [name for name in settings.MIDDLEWARE if "canaries" not in name]
    with override_settings(MIDDLEWARE=unguarded_middleware):
        unguarded = Client()
        unguarded.force_login(alice)
        unguarded.get("/")  # the middleware chain is built on the first request, without the guard

    tenancy = alice.person.memberships.first().tenancy
    document = tenancy.documents.filter(type__resident_visible=True, addressee__isnull=True).first()
    pages = [
        ("Dashboard /", "/", None),
        ("Documents /documents/", "/documents/", None),
        ("Download (a PDF, FileResponse)", f"/documents/{document.uuid}/download/", document.file.name),
    ]
    print()
    print("| Page | Size | Page time (median) | Guard (median) | Guard share | A/B with - without (median) |")
    print("|---|---|---|---|---|---|")
    for label, url, file_name in pages:
        page_ms, guard_us, ab_ms, size = measure(
            guarded, unguarded, url, options.requests, CanaryGuardMiddleware, file_name
        )
        print(
            f"| {label} | {size / 1024:.0f} KB | {page_ms:.2f} ms | {guard_us:.2f} µs | {guard_us / 1000 / page_ms * 100:.3f}% | {ab_ms:+.3f} ms |"
        )
    large_page(CanaryGuardMiddleware, guarded.get("/documents/"), 200)
    large_file(CanaryGuardMiddleware, guarded.get("/").wsgi_request, 10)


def measure(
    guarded: Any, unguarded: Any, url: str, requests: int, middleware: Any, file_name: str | None
) -> tuple[float, float, float, int]:
    for client in (guarded, unguarded):
        for _ in range(20):  # warm: templates, caches, the canaries' in-memory list
            consume(client.get(url))
    with_guard, without_guard = [], []
    for _ in range(requests):  # interleaved, so drift hits both alike
        with_guard.append(timed(lambda: consume(guarded.get(url))))
        without_guard.append(timed(lambda: consume(unguarded.get(url))))
    page = statistics.median(with_guard)
    ab = statistics.median(with_guard) - statistics.median(without_guard)

    response = guarded.get(url)
    assert response.status_code == 200, (url, response.status_code)
    request = response.wsgi_request
    if response.streaming:
        runs = [file_guard_alone(middleware, request, file_name or "") for _ in range(500)]
        guard_s = statistics.median(with_guard - without for without, with_guard in runs)
    else:
        guard = middleware(lambda _request: response)
        bare = lambda _request: response  # noqa: E731
        guard_s = statistics.median(timed(lambda: guard(request)) - timed(lambda: bare(request)) for _ in range(5000))
    size = len(b"".join(response.streaming_content)) if response.streaming else len(response.content)
    return page * 1000, guard_s * 1e6, ab * 1000, size


def large_page(middleware: Any, served: Any, kilobytes: int) -> None:
    """The search grows with the page: the guard alone on a long page (the documents page repeated)."""
    from django.http import HttpResponse

    body = (served.content * (kilobytes * 1024 // len(served.content) + 1))[: kilobytes * 1024]
    response = HttpResponse(body)
    guard = middleware(lambda _request: response)
    bare = lambda _request: response  # noqa: E731
    request = served.wsgi_request
    cost = statistics.median(timed(lambda: guard(request)) - timed(lambda: bare(request)) for _ in range(5000))
    print()
    print(f"The guard alone on a {kilobytes} KB page: {cost * 1e6:.1f} µs.")


def large_file(middleware: Any, request: Any, megabytes: int) -> None:
    """A big download searched as it is sent: the guard's time per megabyte."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("bench/large.bin", ContentFile(os.urandom(megabytes * 1024 * 1024)))
    runs = [file_guard_alone(middleware, request, name) for _ in range(15)]
    plain = statistics.median(without for without, _ in runs)
    extra = statistics.median(with_guard - without for without, with_guard in runs)
    print()
    print(
        f"A {megabytes} MB file read from storage to the last byte: {plain * 1000:.1f} ms without the guard, "
        f"{extra * 1000:+.1f} ms with it ({extra * 1000 / megabytes:.2f} ms per MB)."
    )


def file_guard_alone(middleware: Any, request: Any, name: str) -> tuple[float, float]:
    """A fresh FileResponse over the same stored file, sent to the end, without the guard and with it:
    the difference is the file-name check, the wrapping, and searching every chunk as it goes."""
    from django.core.files.storage import default_storage
    from django.http import FileResponse

    def fresh() -> FileResponse:
        return FileResponse(default_storage.open(name, "rb"), as_attachment=True, filename="document.pdf")

    def send(response: Any) -> None:
        for _ in response.streaming_content:
            pass
        response.close()

    bare = fresh()
    without = timed(lambda: send(bare))
    guarded = fresh()
    with_guard = timed(lambda: send(middleware(lambda _request: guarded)(request)))
    return without, with_guard


def timed(action: Any) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def consume(response: Any) -> None:
    if response.streaming:
        for _ in response.streaming_content:
            pass
        response.close()


if __name__ == "__main__":
    main()
