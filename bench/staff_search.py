"""What staff search costs as the landlord grows (issue 10, goal 3).

    DEBUG=1 .venv/bin/python bench/staff_search.py [--homes 1000] [--runs 200]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/porch_search_150k \\
        DEBUG=1 .venv/bin/python bench/staff_search.py --homes 150000

Uses DATABASE_URL if set (a scratch database: it is migrated, and seeded with --homes
demo homes unless it already holds some, as bench/seed_demo.sh leaves it), otherwise a
fresh SQLite file in a temporary directory.

For a housing officer with one patch (housing.north, where the demo cast lives) and an
organisation-wide role (customer.services), and for each kind of term (reference,
postcode, surname, full name, address), it reports:

- search: the median wall time of the search as the page runs it (the results on the
  first page, and how many there are), in ms. On PostgreSQL this is mostly the
  database's time, which process CPU time would not see;
- page: the median wall time of the whole request through the test client (every
  middleware, the session, the audit rows the search writes), in ms;
- the number of results, so sizes are compared for the same result.

Runs are interleaved (each round runs every case once), so load from other work on the
machine falls on every case alike; the median of --runs rounds is reported. DEBUG is on
only while the demo is seeded, then off: no query log while measuring.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scratch import scratch_portal  # noqa: E402 - after the root is on the path

# Terms that find the demo cast whatever the number of homes (porch/housing/cast.py), and
# a surname shared with generated households, whose count grows with the data.
TERMS = {
    "reference": "T0000001",
    "postcode": "M14 5TQ",
    "surname (cast)": "Ashworth",
    "full name": "Alice Ashworth",
    "address": "Ashdown House",
    "surname (common)": "Smith",
}
ACTORS = {"housing officer, one patch": "housing.north", "organisation-wide": "customer.services"}


def portal(homes: int) -> None:
    """Django on DATABASE_URL or a scratch SQLite file, migrated and seeded once."""
    scratch_portal(homes=homes, prefix="porch-bench-search-", if_empty=True)
    import django.db

    if django.db.connection.vendor == "postgresql":
        with django.db.connection.cursor() as cursor:  # noqa: TID251 - a bench, not the portal
            cursor.execute("ANALYZE")  # seed_demo loads in one transaction: give the planner statistics


def search_as_the_page_does(actor: Any, term: str) -> int:
    """The search, its first page and its count, whichever shape search_tenancies has."""
    from django.core.paginator import Paginator

    from porch.housing.access import search_tenancies

    found = search_tenancies(actor, term)
    if isinstance(found, list):  # before issue 10: the first 50, no count, no pages
        return len(found)
    page = Paginator(found, 50).get_page(1)
    list(page.object_list)
    return page.paginator.count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--homes", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=200)
    options = parser.parse_args()

    portal(options.homes)
    from bench.scratch import production_like

    production_like()
    from django.db import connection
    from django.test import Client

    from porch.accounts.actors import actor_for_user
    from porch.accounts.models import User
    from porch.housing.cast import demo_email
    from porch.housing.models import Tenancy

    cases: list[tuple[str, str, Callable[[], int], Callable[[], Any]]] = []
    counts: dict[tuple[str, str], int] = {}
    for actor_name, login in ACTORS.items():
        user = User.objects.get(username=demo_email(login))
        actor = actor_for_user(user, verified=True)
        client = _signed_in(Client(), user)
        for kind, term in TERMS.items():
            response = client.get("/staff/tenancies/", {"q": term})  # warm, and check the page works
            assert response.status_code == 200, (login, term, response.status_code)
            counts[actor_name, kind] = search_as_the_page_does(actor, term)
            cases.append(
                (
                    actor_name,
                    kind,
                    lambda actor=actor, term=term: search_as_the_page_does(actor, term),
                    lambda client=client, term=term: client.get("/staff/tenancies/", {"q": term}),
                )
            )

    search_ms: dict[tuple[str, str], list[float]] = {(a, k): [] for a, k, _, _ in cases}
    page_ms: dict[tuple[str, str], list[float]] = {(a, k): [] for a, k, _, _ in cases}
    for _ in range(options.runs):
        for actor_name, kind, search, page in cases:
            search_ms[actor_name, kind].append(_wall_ms(search))
            page_ms[actor_name, kind].append(_wall_ms(page))

    homes = Tenancy.objects.values("property").distinct().count()
    print(f"{homes:,} homes, {connection.vendor}, {options.runs} interleaved runs, median wall time")
    print("| Who | Term | Results | Search (ms) | Page (ms) |")
    print("|---|---|---|---|---|")
    for actor_name, kind, _, _ in cases:
        print(
            f"| {actor_name} | {kind} `{TERMS[kind]}` | {counts[actor_name, kind]} "
            f"| {statistics.median(search_ms[actor_name, kind]):.2f} "
            f"| {statistics.median(page_ms[actor_name, kind]):.2f} |"
        )
    for actor_name in ACTORS:
        every = [statistics.median(search_ms[a, k]) for a, k, _, _ in cases if a == actor_name]
        print(f"Sum of the search medians, {actor_name}: {sum(every):.1f} ms")


def _signed_in(client: Any, user: Any) -> Any:
    """Signed in, past two-step sign-in (as conftest.sign_in does for the tests)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _wall_ms(run: Callable[[], Any]) -> float:
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


if __name__ == "__main__":
    main()
