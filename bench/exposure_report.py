"""Exposure report benchmark: the background task's time for a window, and how it grows
with the events in the window (issue 10, goal 5; see bench/README.md).

    bench/seed_demo.sh 150000 porch_exposure_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/porch_exposure_bench
    DEBUG=1 .venv/bin/python manage.py migrate
    DEBUG=1 .venv/bin/python bench/exposure_report.py seed 2000000 14
    DEBUG=0 SECRET_KEY=... AUDIT_KEY=... .venv/bin/python bench/exposure_report.py time 1 2 4 7

`seed EVENTS DAYS` appends EVENTS audit rows spread evenly over the last DAYS days, with
the same generator as bench/who_saw.py (a bench database only: it bypasses record() and
the hash chain, drops and rebuilds the secondary indexes, and needs a superuser). With
2,000,000 over 14 days a week holds about 1,000,000 events, as many as a week of the
50-million-event set of who_saw.sh (956,000): the report's work grows with the events
in its window, not with the size of the table (the window is found through the BRIN
index on `at`).

`time DAYS...` runs, for a window of each length ending now, what the worker runs: a
run is recorded and porch.exposure.runs.run_compute works it out (one pass over the
window, in slices, keeping the page data and both spreadsheets on the run). It prints
the events in the window, the events outside the model, the people affected, the time,
and the rate. `--before` also times the two passes the report made inside the request
before the task (the grouped query, then counting the distinct records), for comparison
on the same data.
"""

from __future__ import annotations

import datetime
import os
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import who_saw  # noqa: E402  (sets Django up; its generator and index helpers are reused)
from django.db.models import Count, Max, Min  # noqa: E402
from django.utils import timezone  # noqa: E402

from porch.accounts.actors import actor_for_user  # noqa: E402
from porch.accounts.models import RoleGrant, User  # noqa: E402
from porch.audit.models import AccessEvent  # noqa: E402
from porch.exposure import reports  # noqa: E402
from porch.exposure.models import ExposureRun  # noqa: E402
from porch.exposure.rules import served_outside_model  # noqa: E402
from porch.exposure.runs import run_compute  # noqa: E402
from porch.housing.models import Person  # noqa: E402


def seed(events: int, days: int) -> None:
    staff = list(User.objects.filter(kind=User.Kind.STAFF).values_list("id", flat=True))
    residents = list(User.objects.filter(kind=User.Kind.RESIDENT).values_list("id", flat=True)[:5000])
    people = Person.objects.order_by("id")
    first, last = people.first(), people.last()
    assert first and last and staff and residents, "run seed_demo first"
    span = datetime.timedelta(days=days)
    with who_saw.connect() as conn:
        done = conn.execute(f"SELECT count(*) FROM {who_saw.TABLE}").fetchone()[0]  # noqa: S608
        params = {
            "start": timezone.now() - span,
            "step": int(span.total_seconds() * 1_000_000 // max(events, 1)),
            "staff": staff,
            "residents": residents,
            "first_person": first.id,
            "people": last.id - first.id + 1,
        }
        indexes = who_saw.secondary_indexes(conn)
        for drop, _ in indexes:
            conn.execute(drop)
        conn.commit()
        print(f"Seeding {events:,} events over {days} days ({done:,} already there)", flush=True)
        began = time.perf_counter()
        for low in range(done + 1, events + 1, who_saw.BATCH):
            high = min(low + who_saw.BATCH - 1, events)
            with conn.transaction():
                conn.execute("SET LOCAL session_replication_role = replica")
                conn.execute(who_saw.INSERT, {**params, "low": low, "high": high})
            print(f"  {high:,} rows, {time.perf_counter() - began:.0f} s", flush=True)
        loaded = time.perf_counter()
        for _, make in indexes:
            conn.execute(make)
            conn.commit()
        conn.execute("ANALYZE")
        # As who_saw.py: the staff's roles, patches and training held since before the events.
        for history in ("audit_roleheld", "audit_patchheld", "audit_trainingheld"):
            conn.execute(f"UPDATE {history} SET started_at = NULL WHERE ended_at IS NULL")  # noqa: S608
        conn.commit()
        size = conn.execute("SELECT pg_size_pretty(pg_total_relation_size(%s))", [who_saw.TABLE]).fetchone()[0]
        print(f"Loaded in {loaded - began:.0f} s, indexed in {time.perf_counter() - loaded:.0f} s; table {size}")


def the_dpo() -> User:
    grant = RoleGrant.objects.filter(role="dpo").select_related("user").first()
    assert grant, "seed_demo makes a DPO"
    return grant.user


def time_task(window: reports.Window) -> tuple[float, ExposureRun]:
    run = ExposureRun.objects.create(
        requested_by=the_dpo(), idempotency_key=uuid.uuid4(), start=window.start, end=window.end
    )
    began = time.perf_counter()
    outcome = run_compute(run.pk, run.attempt)
    took = time.perf_counter() - began
    run.refresh_from_db()
    assert outcome == "done", (outcome, run.error)
    assert run.events_read == run.events_total
    return took, run


def time_before(window: reports.Window) -> tuple[float, int, int]:
    """The database work of the report as it ran inside the request before the task: the
    grouped pass, then a second pass counting the distinct records (rule evaluated twice)."""
    leaked = served_outside_model(reports.events_in(window))
    began = time.perf_counter()
    groups = list(
        leaked.annotate(module=reports._module_expression())
        .values("actor_id", "on_behalf_of_id", "subject_id", "module")
        .annotate(events=Count("id"), first=Min("at"), last=Max("at"))
        .order_by()
    )
    records = leaked.values("object_type", "object_id").distinct().count()
    return time.perf_counter() - began, sum(row["events"] for row in groups), records


def time_windows(days: list[float], *, before: bool) -> None:
    now = timezone.now()
    dpo = actor_for_user(the_dpo(), verified=True)
    assert dpo.reads_personal_data, "the demo DPO has current training"
    print(f"{AccessEvent.objects.count():,} events in the table; slices of {reports.SLICE_EVENTS:,} events")
    for length in days:
        window = reports.Window(now - datetime.timedelta(days=length), now)
        took, run = time_task(window)
        data = run.result or {}
        size = len(run.people_csv) + len(run.recipients_csv)
        assert run.started_at and run.progress_at and run.events_total is not None
        reading = (run.progress_at - run.started_at).total_seconds()  # the last progress: the window read
        print(
            f"task, {length:g} days: {run.events_total:,} events in the window, {data.get('events', 0):,} outside "
            f"the model ({data.get('records', 0):,} records), {data.get('people', 0):,} people affected; "
            f"{took:.1f} s ({run.events_total / took:,.0f} events a second), of which reading the window "
            f"{reading:.1f} s; spreadsheets {size / 1e6:.0f} MB",
            flush=True,
        )
        if before:
            old, events, records = time_before(window)
            assert (events, records) == (data.get("events", 0), data.get("records", 0)), "the same figures"
            print(f"  before (two passes in the request, database only): {old:.1f} s", flush=True)
        ExposureRun.objects.filter(pk=run.pk).delete()


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "time"
    if command == "seed":
        seed(int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 14)
    else:
        args = [a for a in sys.argv[2:] if not a.startswith("--")]
        time_windows([float(a) for a in args] or [1, 2, 4, 7], before="--before" in sys.argv)
