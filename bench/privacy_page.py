"""The privacy page as the audit rows about one resident grow (issue 10, goal 2).

    DEBUG=1 .venv/bin/python bench/privacy_page.py [--rows 1000 100000] [--requests 200]

Uses DATABASE_URL if set (a scratch database: it is migrated and seeded), otherwise a fresh
SQLite file. Seeds 1,000 homes, then gives the demo resident alice@demo.porch.test audit rows
about her, nine in ten her own looks (a resident who signs in often) and one in ten staff
looks, in steps up to each --rows figure, and after each step measures the newest page and
the next page (?older=) through the whole stack with DEBUG off: the median CPU per request.
The rows are written straight into the table in their own chain (a benchmark's filler: the
page does not read hashes).
"""

from __future__ import annotations

import argparse
import datetime
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scratch import median_cpu_ms, production_like, scratch_portal  # noqa: E402 - after the root is on the path

FILLER_CHAIN = 999
BATCH = 5000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1000, 100000])
    parser.add_argument("--requests", type=int, default=200)
    options = parser.parse_args()

    scratch_portal(homes=1000, prefix="porch-bench-privacy-")
    production_like()
    from django.db import connection
    from django.test import Client

    from porch.accounts.models import User
    from porch.housing.cast import demo_email

    alice = User.objects.get(username=demo_email("alice"))
    officer = User.objects.get(username=demo_email("housing.north"))
    client = Client()
    client.force_login(alice)
    written = 0
    print(f"Privacy page, {connection.vendor}, {options.requests} requests a measurement\n")
    print("| Audit rows about her | Newest page (ms CPU) | Next page, ?older= (ms CPU) |")
    print("|---|---|---|")
    for target in options.rows:
        written = _fill(alice, officer, written, target)
        first = client.get("/privacy/")
        link = re.search(r"\?older=(\d+)", first.content.decode())
        assert first.status_code == 200 and link, "the page has a next page"
        older = link.group(1)
        newest_ms = median_cpu_ms(lambda: client.get("/privacy/"), options.requests)
        next_ms = median_cpu_ms(lambda older=older: client.get("/privacy/", {"older": older}), options.requests)
        print(f"| {target:,} | {newest_ms:.1f} | {next_ms:.1f} |", flush=True)


def _fill(alice: Any, officer: Any, written: int, target: int) -> int:
    """Audit rows about Alice up to target, spread over the last year, oldest first."""
    from django.utils import timezone

    from porch.audit.models import AccessEvent

    start = timezone.now() - datetime.timedelta(days=365)
    step = datetime.timedelta(days=365) / max(target, 1)
    while written < target:
        rows = []
        for n in range(written, min(written + BATCH, target)):
            own = n % 10 != 0
            rows.append(
                AccessEvent(
                    at=start + step * n,
                    actor_id=alice.pk if own else officer.pk,
                    actor_role="resident" if own else "housing_officer",
                    subject_id=alice.person_id,
                    object_type="person",
                    object_id="",
                    action="view",
                    by_subject=own,
                    chain=FILLER_CHAIN,
                    seq=n + 1,
                    previous_hash=f"{n:064x}",
                    row_hash=f"f{n:063x}",
                )
            )
        AccessEvent.objects.bulk_create(rows)
        written += len(rows)
    return written


if __name__ == "__main__":
    main()
