"""Audit-log benchmark: "who saw this person's data between T1 and T2" with many events.

    bench/who_saw.sh [EVENTS] [DBNAME]            (the whole run: see bench/README.md)

    DATABASE_URL=postgres://.../porch_bench_audit .venv/bin/python bench/who_saw.py seed 50000000
    DATABASE_URL=postgres://.../porch_bench_audit .venv/bin/python bench/who_saw.py time [OFFSET]
    DATABASE_URL=postgres://.../porch_bench_audit .venv/bin/python bench/who_saw.py others

`seed` appends EVENTS rows to audit_accessevent with generate_series, in batches, in
time order over the last 365 days, about people and staff that seed_demo made. It is
for a bench database only: it bypasses record() and the hash chain (the hashes are
unique filler, so audit_verify fails on this database) and switches off foreign-key
checks and the append-only trigger for its session (session_replication_role =
replica, which needs a superuser). Secondary indexes are dropped first and rebuilt
after, as a bulk load would; then the table is analysed.

`time` runs the who-saw report's own code path (porch.exposure.reports.who_saw, then
the count and first page of 50 events that the page shows, each marked allowed or not)
for a sample of people, and prints the median, 95th percentile and worst time.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

import datetime  # noqa: E402

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.utils import timezone  # noqa: E402

from porch.accounts.actors import actor_for_user  # noqa: E402
from porch.accounts.models import RoleGrant, User  # noqa: E402
from porch.audit.models import AccessEvent  # noqa: E402
from porch.exposure.reports import Window, exposure_report, session_seen, who_saw  # noqa: E402
from porch.housing.models import Person  # noqa: E402

BATCH = 5_000_000
TABLE = "audit_accessevent"

# Row layout: realistic widths for every column; hashes are unique filler (see above).
INSERT = """
INSERT INTO audit_accessevent (at, actor_id, on_behalf_of_id, actor_role, subject_id, tenancy_id, object_type, object_id,
                     action, reason, request_id, client_ip, route, session_ref, by_subject, chain, seq,
                     previous_hash, row_hash)
SELECT %(start)s::timestamptz + (i * %(step)s) * interval '1 microsecond',
       CASE WHEN i %% 10 < 7 THEN (%(staff)s::bigint[])[1 + (i * 40503) %% cardinality(%(staff)s::bigint[])]
            ELSE (%(residents)s::bigint[])[1 + (i * 40503) %% cardinality(%(residents)s::bigint[])] END,
       NULL,
       CASE WHEN i %% 10 < 7 THEN 'housing_officer' ELSE 'resident' END,
       %(first_person)s + (i * 2654435761) %% %(people)s,
       NULL,
       (array['tenancy', 'document', 'dashboard', 'person', 'internal_document', 'details_change_request'])[1 + i %% 6],
       md5(i::text),
       'view', '', md5((i / 3)::text), '10.' || (i %% 250) || '.' || (i %% 199) || '.7',
       (array['staff:tenancy_detail', 'documents:download', 'home', 'portal:my_details', 'staff:tenancy_search',
              'documents:list'])[1 + i %% 6],
       substr(md5('s' || (i / 40)::text), 1, 24),
       false,
       1 + i %% 16,
       -- Row i is row (i + 15) / 16 of its chain; far above the rows the demo seeding wrote.
       1000000000000 + (i + 15) / 16,
       md5((i - 1)::text) || md5('p' || (i - 1)::text),
       md5(i::text) || md5('p' || i::text)
FROM generate_series(%(low)s::bigint, %(high)s::bigint) AS i
"""


def connect() -> psycopg.Connection:
    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"], dbname=db["NAME"]
    )


def secondary_indexes(conn: psycopg.Connection) -> list[tuple[str, str]]:
    """Every index but the primary key: (the statement that drops it, the one that makes it again)."""
    rows = conn.execute(
        """SELECT i.relname, pg_get_indexdef(x.indexrelid), c.conname, pg_get_constraintdef(c.oid)
           FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
           LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.conrelid = x.indrelid
           WHERE x.indrelid = %s::regclass AND NOT x.indisprimary""",
        [TABLE],
    ).fetchall()
    found = []
    for index, index_ddl, constraint, constraint_ddl in rows:
        if constraint:
            found.append(
                (
                    f"ALTER TABLE {TABLE} DROP CONSTRAINT {constraint}",
                    f"ALTER TABLE {TABLE} ADD CONSTRAINT {constraint} {constraint_ddl}",
                )
            )
        else:
            found.append((f"DROP INDEX {index}", index_ddl))
    return found


def seed(events: int) -> None:
    staff = list(User.objects.filter(kind=User.Kind.STAFF).values_list("id", flat=True))
    residents = list(User.objects.filter(kind=User.Kind.RESIDENT).values_list("id", flat=True)[:5000])
    people = Person.objects.order_by("id")
    first, last = people.first(), people.last()
    assert first and last and staff and residents, "run seed_demo first"
    assert people.count() == last.id - first.id + 1, "subjects are drawn from one run of person ids"
    span = datetime.timedelta(days=365)
    with connect() as conn:
        done = conn.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]  # noqa: S608
        start = timezone.now() - span
        params = {
            "start": start,
            "step": int(span.total_seconds() * 1_000_000 // max(events, 1)),
            "staff": staff,
            "residents": residents,
            "first_person": first.id,
            "people": last.id - first.id + 1,
        }
        indexes = secondary_indexes(conn)
        for drop, _ in indexes:
            conn.execute(drop)
        conn.commit()
        print(f"Seeding {events:,} events ({done:,} already there) about {params['people']:,} people", flush=True)
        began = time.perf_counter()
        for low in range(done + 1, events + 1, BATCH):
            high = min(low + BATCH - 1, events)
            with conn.transaction():
                conn.execute("SET LOCAL session_replication_role = replica")
                conn.execute(INSERT, {**params, "low": low, "high": high})
            print(f"  {high:,} rows, {time.perf_counter() - began:.0f} s", flush=True)
        loaded = time.perf_counter()
        for _, make in indexes:
            conn.execute(make)
            conn.commit()
            print(f"  {make[:90]}: {time.perf_counter() - loaded:.0f} s", flush=True)
        conn.execute("ANALYZE")  # the whole database: seed_demo loads in one transaction, before autovacuum looks
        # seed_demo made the staff just now; the events are from the past year. Say their roles,
        # patches and training were held since before (as the migration does for what exists).
        for history in ("audit_roleheld", "audit_patchheld", "audit_trainingheld"):
            conn.execute(f"UPDATE {history} SET started_at = NULL WHERE ended_at IS NULL")  # noqa: S608
        conn.commit()
        size = conn.execute("SELECT pg_size_pretty(pg_total_relation_size(%s))", [TABLE]).fetchone()[0]
        print(f"Loaded in {loaded - began:.0f} s, indexed in {time.perf_counter() - loaded:.0f} s; table {size}")


def timed(dpo: object, person: Person, window: Window) -> tuple[float, int]:
    began = time.perf_counter()
    summary, events = who_saw(actor=dpo, person=person, window=window)  # type: ignore[arg-type]
    page = Paginator(events, 50).get_page(1)
    shown = list(page.object_list)
    total = page.paginator.count
    assert len(shown) <= 50 and sum(line.events for line in summary) == total
    return (time.perf_counter() - began) * 1000, total


def time_who_saw(offset: int = 0, samples: int = 200) -> None:
    """A different offset picks people not looked at before: their rows are not in any cache yet."""
    grant = RoleGrant.objects.filter(role="dpo").select_related("user").first()
    assert grant, "seed_demo makes a DPO"
    dpo = actor_for_user(grant.user, verified=True)
    count = Person.objects.count()
    step = max(count // samples, 1)
    people = list(Person.objects.order_by("id")[offset % step :: step][:samples])
    now = timezone.now()
    for label, days in (("30 days", 30), ("365 days", 365)):
        window = Window(now - datetime.timedelta(days=days), now)
        timed(dpo, people[0], window)  # one warm-up
        results = [timed(dpo, person, window) for person in people]
        times = sorted(ms for ms, _ in results)
        rows = [n for _, n in results]
        print(
            f"who saw X, {label}: {len(times)} people, median {statistics.median(times):.1f} ms, "
            f"p95 {times[int(len(times) * 0.95) - 1]:.1f} ms, worst {times[-1]:.1f} ms; "
            f"events per person median {statistics.median(rows):.0f}, most {max(rows)}"
        )


def time_other_reports() -> None:
    """For the record: "what did this session see", and the exposure report over a day and a week."""
    grant = RoleGrant.objects.filter(role="dpo").select_related("user").first()
    assert grant
    dpo = actor_for_user(grant.user, verified=True)
    now = timezone.now()
    week = Window(now - datetime.timedelta(days=7), now)
    refs = list(
        AccessEvent.objects.filter(at__gte=week.start, at__lt=week.end).values_list("session_ref", flat=True)[:2000:20]
    )
    times = []
    for ref in refs:
        began = time.perf_counter()
        _, events = session_seen(actor=dpo, session_ref=ref, window=week)
        list(Paginator(events, 50).get_page(1).object_list)
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    print(
        f"what did this session see, 7 days: {len(times)} sessions, median {statistics.median(times):.1f} ms, worst {times[-1]:.1f} ms"
    )
    for label, days in (("1 day", 1), ("7 days", 7)):
        window = Window(now - datetime.timedelta(days=days), now)
        began = time.perf_counter()
        report = exposure_report(actor=dpo, window=window)
        took = time.perf_counter() - began
        total = AccessEvent.objects.filter(at__gte=window.start, at__lt=window.end).count()
        print(
            f"exposure report, {label}: {total:,} events in the window, {report.events:,} outside the model, "
            f"{len(report.affected):,} people, {took:.1f} s"
        )


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "time"
    if command == "seed":
        seed(int(sys.argv[2]))
    elif command == "others":
        time_other_reports()
    else:
        time_who_saw(int(sys.argv[2]) if len(sys.argv) > 2 else 0)
