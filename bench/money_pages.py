"""What the rent account page and a statement PDF cost as the landlord grows (issue 13): a
tenancy with ten years of weekly transactions, at 1,000 homes and at 150,000 homes with about
5 million rent transactions.

Prepare each database (PostgreSQL; idempotent: a second run adds nothing):

    # 150,000 homes and 5 million transactions: the feed bench's database (bench/README.md)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/porch_bench_feed \\
        DEBUG=1 .venv/bin/python bench/money_pages.py prepare
    # 1,000 homes: seeded demo data
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/porch_bench_money_1k \\
        DEBUG=1 .venv/bin/python bench/money_pages.py prepare --homes 1000

`prepare` migrates, seeds --homes demo homes if the database has none, then takes the first
current tenancy (by reference) with a lead tenant, gives the lead tenant a login if they have
none, puts money on for the home's patch if no open pilot has it (a database loaded by the
feed has none), and gives the tenancy's rent account ten years of weekly transactions (a charge every
Monday and a payment every Friday, about one in ten missed: 1,040 rows), with the account's
balance set to their sum as the housing system would.

Measure both, interleaved:

    DEBUG=1 .venv/bin/python bench/money_pages.py measure \\
        --small postgres://postgres@127.0.0.1:5432/porch_bench_money_1k \\
        --large postgres://postgres@127.0.0.1:5432/porch_bench_feed [--requests 60]

One worker process per database (Django on it, DEBUG off, the lead tenant signed in through
the test client); the parent sends them turns of a few requests of one page in round robin,
so one works at a time and other load falls on both alike. For each page and size: queries
per request (counted with an execute wrapper), and the median wall time and process CPU time
of a request through the whole stack (every middleware, the session, the audit rows).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEARS = 10
MARK = "BENCH-10Y"


def _django(url: str) -> None:
    """Django on the database, with DEBUG on (development keys) until production_like()."""
    os.environ.update({"DATABASE_URL": url, "DEBUG": "1", "LOG_LEVEL": "ERROR"})
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()


def prepare(homes: int) -> None:
    _django(os.environ["DATABASE_URL"])
    from django.core.management import call_command

    from porch.housing.models import Property

    call_command("migrate", verbosity=0)
    if not Property.objects.exists():
        call_command("seed_demo", homes=homes, verbosity=0)
    account, user = _the_tenancy()
    _ten_years(account)
    _in_a_pilot(account.tenancy.property)
    print(f"{user.username}: account {account.hms_reference}, {account.transactions.count()} transactions")


def _the_tenancy() -> tuple[Any, Any]:
    from django.utils import timezone

    from porch.accounts.models import User
    from porch.housing.models import Membership
    from porch.money.models import RentAccount

    today = timezone.localdate()
    lead = (
        Membership.objects.filter(role=Membership.Role.LEAD_TENANT, end_date__isnull=True, start_date__lte=today)
        .filter(tenancy__end_date__isnull=True, tenancy__is_test=False, tenancy__money_accounts__kind="rent")
        .select_related("person", "tenancy")
        .order_by("tenancy__reference")
        .first()
    )
    assert lead is not None, "no current tenancy with a lead tenant and a rent account"
    user = User.objects.filter(person=lead.person).first()
    if user is None:
        user = User.objects.create_user(
            username=f"bench-money-{lead.person.pk}@example.org",
            password=None,  # signed in with force_login only
            kind=User.Kind.RESIDENT,
            person=lead.person,
        )
    return RentAccount.objects.get(tenancy=lead.tenancy, kind="rent"), user


def _in_a_pilot(home: Any) -> None:
    """Money is on for the home's patch, as seed_demo's pilot does (a database loaded by the
    feed has no cohorts, and a resident outside every pilot sees none of the module's pages)."""
    from django.utils import timezone

    from porch.rollout.models import Cohort, CohortHomes, CohortModule

    if CohortModule.objects.filter(module="money", enabled=True, cohort__status=Cohort.Status.OPEN).exists():
        return
    cohort = Cohort.objects.create(name="Bench: money", status=Cohort.Status.OPEN, opened_at=timezone.now())
    CohortHomes.objects.create(cohort=cohort, patch=home.block.estate.patch)
    CohortModule.objects.create(cohort=cohort, module="money", enabled=True)


def _ten_years(account: Any) -> None:
    from django.db import transaction
    from django.db.models import Sum

    from porch.money.models import AccountTransaction

    if AccountTransaction.objects.filter(account=account, hms_reference__startswith=MARK).exists():
        return
    chance = random.Random(account.hms_reference)  # noqa: S311 (bench data)
    monday = datetime.date.today() - datetime.timedelta(days=datetime.date.today().weekday() + 7 * 52 * YEARS)
    rows = []
    for week in range(52 * YEARS):
        day = monday + datetime.timedelta(weeks=week)
        rows.append((day, AccountTransaction.Kind.CHARGE, "Rent and service charges", account.charge_pence or 9840))
        if chance.random() > 0.1:
            paid = day + datetime.timedelta(days=4)
            rows.append((paid, AccountTransaction.Kind.PAYMENT, "Payment, thank you", -(account.charge_pence or 9840)))
    with transaction.atomic():
        AccountTransaction.objects.bulk_create(
            AccountTransaction(
                hms_reference=f"{MARK}-{account.pk}-{n:05d}",
                account=account,
                tenancy_id=account.tenancy_id,
                posted_on=posted_on,
                kind=kind,
                description=description,
                amount_pence=amount,
            )
            for n, (posted_on, kind, description, amount) in enumerate(rows)
        )
        total = AccountTransaction.objects.filter(account=account).aggregate(total=Sum("amount_pence"))["total"]
        type(account).objects.filter(pk=account.pk).update(balance_pence=total or 0)


# --- Measuring -----------------------------------------------------------------------------


def worker(url: str) -> None:
    """Answer the parent's turns: {"page": name, "count": n} -> timings, one JSON line each."""
    _django(url)
    from bench.scratch import production_like

    production_like()
    from django.db import connection
    from django.test import Client

    account, user = _the_tenancy()
    client = Client()
    client.force_login(user)
    today = datetime.date.today()
    start = today - datetime.timedelta(days=365)
    statement = (
        f"/rent/{account.uuid}/statement/?start_day={start.day}&start_month={start.month}&start_year={start.year}"
        f"&end_day={today.day}&end_month={today.month}&end_year={today.year}&format=pdf"
    )
    pages = {"Account page": f"/rent/{account.uuid}/", "Statement PDF, 12 months": statement}
    queries = {}
    for name, path in pages.items():
        for _ in range(3):
            assert client.get(path).status_code == 200, path
        counted = [0]

        def count(execute: Any, sql: str, params: Any, many: bool, context: Any, counted: list[int] = counted) -> Any:
            counted[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(path)
        queries[name] = counted[0]
    print(json.dumps({"queries": queries, "vendor": connection.vendor}), flush=True)
    for line in sys.stdin:
        turn = json.loads(line)
        timings = []
        for _ in range(turn["count"]):
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.get(pages[turn["page"]])
            assert response.status_code == 200
            timings.append(((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000))
        print(json.dumps(timings), flush=True)


def measure(small: str, large: str, requests: int, turn: int) -> None:
    workers = {
        size: subprocess.Popen(  # noqa: S603 (this script, with a URL the operator gave)
            [sys.executable, __file__, "worker", url], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        for size, url in (("1,000 homes", small), ("150,000 homes", large))
    }
    queries = {size: json.loads(process.stdout.readline())["queries"] for size, process in workers.items()}  # type: ignore[union-attr]
    timings: dict[tuple[str, str], list[tuple[float, float]]] = {}
    pages = list(next(iter(queries.values())))
    for page in pages:
        done = 0
        while done < requests:
            for size, process in workers.items():
                process.stdin.write(json.dumps({"page": page, "count": turn}) + "\n")  # type: ignore[union-attr]
                process.stdin.flush()  # type: ignore[union-attr]
                timings.setdefault((page, size), []).extend(json.loads(process.stdout.readline()))  # type: ignore[union-attr]
            done += turn
    for process in workers.values():
        process.stdin.close()  # type: ignore[union-attr]
        process.wait()
    print(f"{requests} requests a page and size, in turns of {turn}\n")
    print("| Page | Homes | Queries | Median wall (ms) | Median CPU (ms) | Wall, times 1,000 homes' |")
    print("|---|---|---|---|---|---|")
    for page in pages:
        base = statistics.median(wall for wall, _ in timings[(page, "1,000 homes")])
        for size in workers:
            walls = [wall for wall, _ in timings[(page, size)]]
            cpus = [cpu for _, cpu in timings[(page, size)]]
            wall = statistics.median(walls)
            print(
                f"| {page} | {size} | {queries[size][page]} | {wall:.1f} | {statistics.median(cpus):.1f} | "
                f"{wall / base:.2f} |"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    prepared = commands.add_parser("prepare")
    prepared.add_argument("--homes", type=int, default=150_000)
    measured = commands.add_parser("measure")
    measured.add_argument("--small", required=True)
    measured.add_argument("--large", required=True)
    measured.add_argument("--requests", type=int, default=60)
    measured.add_argument("--turn", type=int, default=5)
    working = commands.add_parser("worker")
    working.add_argument("url")
    options = parser.parse_args()
    if options.command == "prepare":
        prepare(options.homes)
    elif options.command == "measure":
        measure(options.small, options.large, options.requests, options.turn)
    else:
        worker(options.url)


if __name__ == "__main__":
    main()
