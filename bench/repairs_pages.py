"""What the repairs pages cost as the landlord grows (issue 11): the resident's "Your
repairs" list and the repairs team's queue, at 1,000 homes and at 150,000 homes with about
a million repairs.

Load repairs into a PostgreSQL database (idempotent and resumable: a second run adds none):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/porch_bench_50m \\
        DEBUG=1 .venv/bin/python bench/repairs_pages.py load
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/porch_bench_repairs_1k \\
        DEBUG=1 .venv/bin/python bench/repairs_pages.py load --homes 1000

`load` migrates, seeds --homes demo homes if the database has none, adds the demo's repairs
(porch.repairs.demo: the repairs coordinator and contractor logins, the cast's repairs) if
absent, switches repairs on in the demo pilot, then gives every live home 4 to 10 repairs
over the last three years (about 6.6 a property in all; about 5% open, the older open ones
breached), each block and estate its shared-area repairs, each
repair its clocks (porch.repairs.clocks.deadlines_on_report, as report_repair starts them)
and the first entry of its timeline. Each batch of blocks is one transaction, keyed by a
deterministic idempotency key, so a run stopped half way resumes where it stopped. Every
home's repairs come from a random generator seeded with its tenancy's reference, so the
demo cast (Alice's home, Ashdown House) gets the same repairs at every size.

Measure both sizes, interleaved:

    DEBUG=1 .venv/bin/python bench/repairs_pages.py measure \\
        --small postgres://postgres@127.0.0.1:5432/porch_bench_repairs_1k \\
        --large postgres://postgres@127.0.0.1:5432/porch_bench_50m [--requests 100]

One worker process per database (Django on it, DEBUG off, signed in through the test
client); the parent sends them turns of a few requests of one page in round robin, so only
one works at a time and load from other work falls on both sizes alike. For each page and
size: queries per request (counted with an execute wrapper, not DEBUG's log), the median wall
time and the median process CPU time of a request through the whole stack (every
middleware, the session, the audit rows the page writes). The database server's CPU is in
the wall time, not in the CPU time. --explain prints, for each page and size, the slowest
queries of one request, and EXPLAIN ANALYZE of its two slowest reads.
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The pages, as a repairs coordinator and as the demo resident alice@demo.porch.test.
PAGES = {
    "Your repairs (resident)": ("alice", "/repairs/"),
    "Staff queue (default: open)": ("repairs", "/staff/repairs/"),
    "Staff queue (clock: breached)": ("repairs", "/staff/repairs/?clock=breached"),
}
# The keys of the repairs this script adds: uuid5 of this namespace and the home or area.
NAMESPACE = uuid.UUID("5f0c2a5e-8d0b-4d84-9a55-2c1b7f6d11a0")
YEARS = 3
HOMES_A_BATCH = 2_000
RECENT = datetime.timedelta(days=30)
DAY = datetime.timedelta(days=1)
COMMUNAL_TEXT = "Reported by a resident of the block."


# --- Loading ---------------------------------------------------------------------------------


@dataclass
class Home:
    tenancy_id: int
    reference: str
    start: datetime.date
    person_id: int
    block_id: int
    block: str
    estate_id: int
    estate: str
    email: str


def load(options: argparse.Namespace) -> None:
    from bench.scratch import scratch_portal

    scratch_portal(homes=options.homes, prefix="porch-bench-repairs-", if_empty=True)
    from django.db import connection, transaction

    from porch.repairs.demo import demo_repairs
    from porch.repairs.models import Repair

    assert connection.vendor == "postgresql", "load into PostgreSQL: a ratio across engines means nothing"
    with transaction.atomic():
        demo_repairs()  # the coordinator, the two firms, the cast's repairs; nothing if done before
        _open_repairs_in_the_pilot()
    started = time.monotonic()
    homes = _homes()
    batches = list(_batches(homes))
    done = added = 0
    for number, batch in enumerate(batches, 1):
        added += _load_batch(batch)
        done += len(batch)
        rate = added / max(time.monotonic() - started, 0.001)
        print(f"  {done:,} of {len(homes):,} homes ({number}/{len(batches)}), {added:,} repairs added, {rate:,.0f}/s")
    print("Analysing the repairs tables")
    with connection.cursor() as cursor:  # noqa: TID251 - a bench, not the portal
        for table in ("repairs_repair", "repairs_repairclock", "repairs_repairevent"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    total = Repair.objects.count()
    open_ = Repair.objects.open().count()
    print(f"{total:,} repairs for {len(homes):,} homes ({total / len(homes):.2f} a home), {open_ / total:.1%} open")


def _open_repairs_in_the_pilot() -> None:
    """A database seeded before the repairs module has its demo pilot without it: switch it
    on there, as seed_demo now does (the cohort's other modules are on too)."""
    from porch.rollout.models import Cohort, CohortModule

    for cohort in Cohort.objects.filter(status=Cohort.Status.OPEN, modules__module="documents").distinct():
        CohortModule.objects.get_or_create(cohort=cohort, module="repairs", defaults={"enabled": True})


def _homes() -> list[Home]:
    """Every live home's lead tenant, as the demo's repairs pick them, block by block."""
    from porch.housing.models import Membership
    from porch.housing.synthetic import TEST_PATCH

    rows = (
        Membership.objects.current()
        .filter(role=Membership.Role.LEAD_TENANT, tenancy__is_test=False)
        .exclude(tenancy__property__block__estate__patch__name=TEST_PATCH)
        .order_by("tenancy__property__block_id", "tenancy_id")
        .values_list(
            "tenancy_id",
            "tenancy__reference",
            "tenancy__start_date",
            "person_id",
            "tenancy__property__block_id",
            "tenancy__property__block__name",
            "tenancy__property__block__estate_id",
            "tenancy__property__block__estate__name",
            "person__email",
        )
    )
    seen: set[int] = set()
    homes = []
    for row in rows.iterator(chunk_size=10_000):
        if row[0] not in seen:  # a joint tenancy's second lead tenant: one home
            seen.add(row[0])
            homes.append(Home(*row))
    return homes


def _batches(homes: list[Home]) -> Iterator[list[Home]]:
    """Whole blocks, about HOMES_A_BATCH homes a batch."""
    batch: list[Home] = []
    for home in homes:
        if len(batch) >= HOMES_A_BATCH and home.block_id != batch[-1].block_id:
            yield batch
            batch = []
        batch.append(home)
    if batch:
        yield batch


def _load_batch(batch: list[Home]) -> int:
    """One transaction: a batch is all there or not at all, so its first key says whether it is."""
    from django.db import transaction

    from porch.repairs.models import Repair, RepairClock, RepairEvent

    # The batch's first repair is its first block's first shared-area repair (every block has one).
    if Repair.objects.filter(idempotency_key=uuid.uuid5(NAMESPACE, f"block:{batch[0].block_id}:0")).exists():
        _estates_loaded.update(home.estate_id for home in batch)  # loaded with this batch or before
        return 0
    writer = _Writer()
    by_block: dict[int, list[Home]] = defaultdict(list)
    for home in batch:
        by_block[home.block_id].append(home)
    for homes in by_block.values():
        writer.communal(homes)
        for home in homes:
            writer.home(home)
    assert writer.repairs[0].idempotency_key == uuid.uuid5(NAMESPACE, f"block:{batch[0].block_id}:0")
    with transaction.atomic():
        Repair.objects.bulk_create(writer.repairs, batch_size=2_000)
        RepairClock.objects.bulk_create(writer.clocks, batch_size=5_000)
        RepairEvent.objects.bulk_create(writer.events, batch_size=5_000)
    return len(writer.repairs)


class _Writer:
    """Builds repairs as report_repair would leave them (clocks and the first timeline
    entry), then as the repairs team and the contractors would have moved them on."""

    def __init__(self) -> None:
        from django.utils import timezone

        from porch.accounts.models import ContractorFirm
        from porch.repairs import clocks
        from porch.repairs.demo import FIRMS
        from porch.repairs.models import Repair, RepairClock, RepairEvent

        self.now = timezone.now()
        self.nation = clocks.nation()
        self.firm_ids = [ContractorFirm.objects.get(name=name).pk for _, name in FIRMS]
        self.repairs: list[Repair] = []
        self.clocks: list[RepairClock] = []
        self.events: list[RepairEvent] = []
        self.estates_done: set[int] = _estates_loaded
        from porch.housing.cast import CAST_BLOCK

        self.cast_block = CAST_BLOCK

    def home(self, home: Home) -> None:
        from porch.repairs.categories import EMERGENCY_CATEGORIES
        from porch.repairs.demo import DESCRIPTIONS, HOME_CATEGORIES
        from porch.repairs.models import Repair, start_of

        rng = random.Random(home.reference)  # noqa: S311 - bench data, seeded on purpose
        earliest = max(self.now - YEARS * 365 * DAY, start_of(home.start))
        for number in range(rng.randint(4, 10)):
            kind = rng.choice(EMERGENCY_CATEGORIES) if rng.random() < 0.03 else rng.choice(HOME_CATEGORIES)
            reported = earliest + (self.now - earliest) * rng.random()
            repair = self._repair(
                rng,
                f"home:{home.tenancy_id}:{number}",
                kind.code,
                reported,
                DESCRIPTIONS.get(kind.area, "Please come as soon as you can."),
                cast=home.block == self.cast_block,
                tenancy_id=home.tenancy_id,
            )
            repair.reported_by_id = home.person_id
            repair.contact_phone = "07700 900" + f"{home.tenancy_id % 1000:03d}"
            repair.availability = "Weekdays after 10am"
            repair.notify_by = Repair.NotifyBy.EMAIL if home.email else Repair.NotifyBy.NONE

    def communal(self, homes: list[Home]) -> None:
        """A block's shared-area repairs (one to five in three years), and its estate's (none
        to two) with the first of the estate's blocks the load meets."""
        from porch.repairs.categories import in_area

        communal = in_area("communal")
        first = homes[0]
        places = [("block", first.block_id, f"{first.estate}/{first.block}", (1, 5))]
        if first.estate_id not in self.estates_done:
            self.estates_done.add(first.estate_id)
            places.append(("estate", first.estate_id, first.estate, (0, 2)))
        for where, pk, name, (least, most) in places:
            rng = random.Random(f"{where}:{name}")  # noqa: S311 - bench data, seeded on purpose
            for number in range(rng.randint(least, most)):
                reporter = rng.choice(homes)
                reported = self.now - YEARS * 365 * DAY * rng.random()
                repair = self._repair(
                    rng,
                    f"{where}:{pk}:{number}",
                    rng.choice(communal).code,
                    reported,
                    COMMUNAL_TEXT,
                    cast=first.block == self.cast_block,
                    **{f"{where}_id": pk},
                )
                repair.reported_by_id = reporter.person_id

    def _repair(
        self, rng: random.Random, key: str, code: str, reported: datetime.datetime, text: str, cast: bool, **where: int
    ) -> Any:
        from porch.repairs import clocks
        from porch.repairs.categories import Priority, category
        from porch.repairs.models import Repair, RepairClock, RepairEvent

        kind = category(code)
        age = self.now - reported
        # About 5% open: most of the last month's, and a few older ones long past their dates.
        is_open = rng.random() < (0.6 if age < RECENT else 0.03)
        # The second demo firm never works in the cast's block (its login sees none of the cast).
        firm = None if rng.random() < 0.3 else self.firm_ids[0 if cast else rng.randrange(2)]
        key_uuid = uuid.uuid5(NAMESPACE, key)
        repair = Repair(
            reference="R" + _code(key_uuid.int),
            idempotency_key=key_uuid,
            category=code,
            priority=kind.priority.value,
            description=text,
            reported_at=reported,
            nation=self.nation,
            status=Repair.Status.REPORTED,
            **{f"{name}": value for name, value in where.items()},
        )
        done = None
        if is_open:
            if age > datetime.timedelta(hours=3):
                repair.status = Repair.Status.ASSIGNED if firm else Repair.Status.TRIAGED
                repair.firm_id = firm
        else:
            done = reported + min(age * rng.random(), DAY * rng.uniform(0.5, 25))
            repair.firm_id = firm
            repair.closed_at = done
            if rng.random() < 0.92:
                repair.status, repair.completed_at = Repair.Status.COMPLETED, done
            else:
                repair.status, repair.cancelled_at = Repair.Status.CANCELLED, done
        for deadline in clocks.deadlines_on_report(kind, Priority(kind.priority), reported, self.nation):
            self.clocks.append(
                RepairClock(
                    repair=repair, kind=deadline.kind, due_at=deadline.due_at, precise=deadline.precise, met_at=done
                )
            )
            if repair.completed_at and deadline.kind == clocks.Kind.RIGHT_TO_REPAIR:
                repair.compensation_pence = clocks.right_to_repair_compensation_pence(deadline.due_at, done)
        self.events.append(RepairEvent(repair=repair, kind=RepairEvent.Kind.REPORTED, at=reported, published=True))
        self.repairs.append(repair)
        return repair


# Estates whose shared-area repairs this run has built (in this batch or an earlier one).
_estates_loaded: set[int] = set()


def _code(number: int) -> str:
    """Eight characters from the key: a ninth-character reference the demo's random
    eight-character ones never clash with; unique in practice (40 bits of a uuid5)."""
    from porch.repairs.services import REFERENCE_ALPHABET

    digits = []
    for _ in range(8):
        number, digit = divmod(number, len(REFERENCE_ALPHABET))
        digits.append(REFERENCE_ALPHABET[digit])
    return "".join(digits)


# --- Measuring -------------------------------------------------------------------------------


def measure(options: argparse.Namespace) -> None:
    from bench._measure import Worker, interleave, print_conditions, print_slowest

    sizes = {"small": options.small, "large": options.large}
    workers = {name: Worker(__file__, url, options.explain) for name, url in sizes.items()}
    facts = {name: worker.ask({"do": "hello"}) for name, worker in workers.items()}
    timings = interleave(workers, PAGES, options.requests, options.turn)
    for worker in workers.values():
        worker.close()

    print_conditions(options.requests, options.turn, timings)
    for name, fact in facts.items():
        print(f"{name}: {fact['summary']}")
    print()
    print(
        "| Page | Homes | Repairs | Rows shown | Queries | Wall (ms) | CPU (ms) | Audit INSERT (ms) "
        "| Wall less audit (ms) | Wall ratio | CPU ratio | Less-audit ratio |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for page in PAGES:
        medians = {name: timings.medians(page, name) for name in sizes}
        for name in sizes:
            fact, (wall_ms, cpu_ms, audit_ms, rest_ms) = facts[name], medians[name]
            small = medians["small"]
            print(
                f"| {page} | {fact['homes']:,} | {fact['repairs']:,} | {fact['pages'][page]['shown']} "
                f"| {fact['pages'][page]['queries']} | {wall_ms:.1f} | {cpu_ms:.1f} | {audit_ms:.1f} | {rest_ms:.1f} "
                f"| {wall_ms / small[0]:.2f} | {cpu_ms / small[1]:.2f} | {rest_ms / small[3]:.2f} |"
            )
    if options.explain:
        print_slowest(facts)


def worker(options: argparse.Namespace) -> None:
    """Django on DATABASE_URL (already loaded: nothing is migrated or seeded), DEBUG off."""
    from bench._measure import django_on_database, serve, signed_in_staff

    django_on_database()
    from django.test import Client

    from porch.accounts.models import User
    from porch.housing.cast import demo_email

    clients = {
        "alice": Client(),
        "repairs": signed_in_staff(Client(), User.objects.get(username=demo_email("repairs"))),
    }
    clients["alice"].force_login(User.objects.get(username=demo_email("alice")))
    requests: dict[str, Callable[[], Any]] = {
        page: (lambda client=clients[who], url=url: client.get(url)) for page, (who, url) in PAGES.items()
    }
    serve(requests, lambda: _hello(requests, options.explain))


def _hello(requests: dict[str, Callable[[], Any]], explain: bool) -> dict[str, Any]:
    """What the database holds, and for each page: warm, its status, rows, queries, and the
    slowest queries of one request."""
    from bench._measure import look_at_pages
    from porch.housing.models import Property
    from porch.repairs.models import Repair

    pages = look_at_pages(requests, explain, lambda response: len(response.context["repairs"]))
    homes = Property.objects.count()
    repairs = Repair.objects.count()
    open_ = Repair.objects.open().count()
    return {
        "homes": homes,
        "repairs": repairs,
        "pages": pages,
        "summary": f"{homes:,} homes, {repairs:,} repairs ({repairs / homes:.2f} a home), {open_:,} open",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    steps = parser.add_subparsers(dest="step", required=True)
    loading = steps.add_parser("load", help="add the coordinator and about a million repairs (DATABASE_URL)")
    loading.add_argument("--homes", type=int, default=150_000, help="demo homes to seed if the database has none")
    measuring = steps.add_parser("measure", help="both sizes, interleaved")
    measuring.add_argument("--small", required=True, help="the 1,000-home database's URL")
    measuring.add_argument("--large", required=True, help="the 150,000-home database's URL")
    measuring.add_argument("--requests", type=int, default=100, help="requests a page a size")
    measuring.add_argument("--turn", type=int, default=5, help="requests in one worker's turn")
    measuring.add_argument(
        "--explain", action="store_true", help="the slowest queries, and plans of the two slowest reads"
    )
    working = steps.add_parser("worker")
    working.add_argument("--explain", action="store_true")
    options = parser.parse_args()
    {"load": load, "measure": measure, "worker": worker}[options.step](options)


if __name__ == "__main__":
    main()
