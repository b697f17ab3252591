"""What a resident page costs the server, with every guarantee on (issue 10, goal 1).

    DEBUG=1 .venv/bin/python bench/resident_pages.py [--homes 1000] [--requests 300]

Uses DATABASE_URL if set (point it at a scratch database: it is migrated and
seeded), otherwise a fresh SQLite file in a temporary directory.

Seeds demo data, signs in as the demo resident alice@demo.porch.test and, for
each page, runs it --requests times through the whole stack (Django test client:
every middleware, the session, the audit log, the database) and reports:

- CPU per request: the median of the process CPU time of each request, in ms;
- the ratio to a bare Django view that renders one small template, measured in
  the same run, so the figure carries to other machines;
- queries per request, and write transactions per request (each INSERT, UPDATE
  or DELETE that opened the outermost transaction it ran in).

DEBUG is on only while the demo is seeded, then off: pages run as in production, and
queries are counted with a wrapper, not with DEBUG's query log.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scratch import median_cpu_ms, production_like, scratch_portal  # noqa: E402 - after the root is on the path


class Counter:
    """Counts queries, and transactions that wrote: each write outside a transaction is
    one; inside one, the transaction counts once when it commits."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.queries = 0
        self.write_transactions = 0
        self._wrote = False

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        self.queries += 1
        if sql.lstrip().split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            if self.connection.in_atomic_block:
                self._wrote = True
            else:
                self.write_transactions += 1
        return execute(sql, params, many, context)

    def committed(self) -> None:
        if self._wrote:
            self.write_transactions += 1
            self._wrote = False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--homes", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=300)
    options = parser.parse_args()

    scratch_portal(homes=options.homes, prefix="porch-bench-pages-")
    production_like()
    from django.db import connection
    from django.http import HttpResponse
    from django.template import engines
    from django.test import Client, RequestFactory

    from porch.accounts.models import User
    from porch.documents.access import documents_visible_to
    from porch.housing.cast import demo_email

    alice = User.objects.get(username=demo_email("alice"))
    client = Client()
    client.force_login(alice)
    document = documents_visible_to(_actor(alice)).first()
    assert document is not None, "the demo gives Alice documents"
    pages = {
        "Resident home": "/",
        "Documents list": "/documents/",
        "Document download": f"/documents/{document.uuid}/download/",
        "My details": "/my-details/",
        "Notices": "/notices/",
        "Privacy page": "/privacy/",
    }
    bare = engines["django"].from_string("<!doctype html><title>{{ title }}</title><p>{{ body }}</p>")
    request = RequestFactory().get("/")

    def bare_view() -> None:
        """A plain Django view: one small template, no middleware, no database."""
        HttpResponse(bare.render({"title": "A page", "body": "Hello"}, request))

    bare_ms = median_cpu_ms(bare_view, options.requests)
    print(f"{options.homes:,} homes, {options.requests} requests a page, {connection.vendor}")
    print(f"Bare view (one small template): {bare_ms:.3f} ms CPU\n")
    print("| Page | CPU per request (ms) | Times the bare view | Queries | Write transactions |")
    print("|---|---|---|---|---|")
    for name, url in pages.items():
        status = client.get(url).status_code  # warm: templates compiled, caches filled
        assert status == 200, (url, status)
        counter = Counter(connection)
        commit = connection.commit

        def counted_commit(commit: Callable[[], None] = commit, counter: Counter = counter) -> None:
            commit()
            counter.committed()

        connection.commit = counted_commit  # type: ignore[method-assign]
        with connection.execute_wrapper(counter):
            client.get(url)
        connection.commit = commit  # type: ignore[method-assign]
        cpu = median_cpu_ms(lambda url=url: _consume(client.get(url)), options.requests)
        ratio = cpu / bare_ms if bare_ms else float("inf")
        print(f"| {name} | {cpu:.1f} | {ratio:,.0f} | {counter.queries} | {counter.write_transactions} |")


def _actor(user: Any) -> Any:
    from porch.accounts.actors import actor_for_user

    return actor_for_user(user, verified=False)


def _consume(response: Any) -> None:
    if getattr(response, "streaming", False):
        for _ in response.streaming_content:
            pass


if __name__ == "__main__":
    main()
