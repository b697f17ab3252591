"""What the database wall (ADR 0032) costs the queries residents' and staff pages make.

    DATABASE_URL=postgres://... DEBUG=1 .venv/bin/python bench/wall_queries.py \
        [--residents 200] [--repeat 3]

Point it at a bench database (bench/seed_demo.sh 150000 ..., then cases_pages.py load). In
one transaction, rolled back at the end so the database is left as it was, it builds the wall
for a role that owns nothing, then for each of --residents residents (every tenth of those
with a current home) and for the demo staff logins runs each walled model's `visible_to`
list (the newest 25 rows, as the pages' lists are), as the tables' owner with no wall and as
the application's role with the actor's principal, interleaved, --repeat times each.

Reported per model: the median time without and with the wall, and their ratio; then the
same lists with the application's filter left out (`Model.objects` and the wall alone, as
in the original incident's widget): what a broken view costs when only the wall holds; and
what taking each kind of principal costs a request (a housing officer's ids are found by the
database: a patch's homes, tenancies and people).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402 - after the settings are named

django.setup()

from django.apps import apps  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from porch.accounts.actors import actor_for_user, principal_for  # noqa: E402
from porch.accounts.models import User  # noqa: E402
from porch.core import rls  # noqa: E402
from porch.housing.models import Membership  # noqa: E402

ROLE = "porch_bench_wall_app"
PAGE = 25


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The wall is PostgreSQL's: set DATABASE_URL to a bench database.")
    with transaction.atomic():
        _build_the_wall()
        scoped, unscoped = _measure(_actors(options.residents), options.repeat)
        transaction.set_rollback(True)
    _report(scoped, unscoped)


def _build_the_wall() -> None:
    with connection.cursor() as cursor:  # noqa: TID251 - a bench, not the portal
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [ROLE])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE ROLE {ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS")
    rls.install(connection, ROLE)


def _actors(residents: int) -> list[tuple[str, Any, dict[str, Any]]]:
    people = Membership.objects.current().account_holders().order_by("person_id").values_list("person_id", flat=True)
    chosen = list(people[: residents * 10 : 10])
    actors = []
    for user in User.objects.filter(person_id__in=chosen, kind=User.Kind.RESIDENT, is_active=True):
        actor = actor_for_user(user, verified=True)
        actors.append(("resident", actor, principal_for(actor)))
    for user in User.objects.filter(kind=User.Kind.STAFF, username__endswith="@demo.porch.test"):
        actor = actor_for_user(user, verified=True)
        if actor.reads_personal_data:
            actors.append((f"staff {sorted(actor.roles)[0]}", actor, principal_for(actor)))
    return actors


def _listed_models() -> list[Any]:
    walls, _ = rls.plan()
    models = [apps.get_model(wall.model) for wall in walls]
    return [model for model in models if hasattr(model._default_manager.get_queryset(), "visible_to")]


Timings = dict[tuple[str, str], list[float]]


def _measure(actors: list[tuple[str, Any, dict[str, Any]]], repeat: int) -> tuple[Timings, Timings]:
    scoped: Timings = defaultdict(list)
    unscoped: Timings = defaultdict(list)
    models = _listed_models()
    for who, actor, principal in actors:
        kind = "resident" if who == "resident" else who
        for _ in range(repeat):
            unscoped[("taking the principal", kind)].append(
                _timed(lambda p=principal: rls.take_principal(connection, p))
            )
        rls.forget_principal(connection)
        for model in models:

            def visible(model: Any = model, actor: Any = actor) -> list[Any]:
                return list(model._default_manager.visible_to(actor).order_by("-pk")[:PAGE])

            def everything(model: Any = model) -> list[Any]:
                return list(model._default_manager.order_by("-pk")[:PAGE])

            label = (kind, model._meta.label)
            for _ in range(repeat):
                scoped[(*label, "owner")].append(_timed(visible))
                with _as_app(principal):
                    scoped[(*label, "wall")].append(_timed(visible))
                    if kind == "resident":
                        unscoped[label].append(_timed(everything))
    return scoped, unscoped


@contextmanager
def _as_app(principal: dict[str, Any]) -> Iterator[None]:
    with connection.cursor() as cursor:  # noqa: TID251 - a bench, not the portal
        cursor.execute(f"SET ROLE {ROLE}")
    rls.take_principal(connection, principal)
    try:
        yield
    finally:
        rls.forget_principal(connection)
        with connection.cursor() as cursor:  # noqa: TID251 - a bench, not the portal
            cursor.execute("RESET ROLE")


def _timed(run: Callable[[], Any]) -> float:
    start = time.perf_counter()
    run()
    return (time.perf_counter() - start) * 1000


def _report(scoped: Timings, unscoped: Timings) -> None:
    print(f"{'who':30} {'model':32} {'no wall ms':>10} {'wall ms':>8} {'ratio':>6}")
    labels = sorted({(kind, model) for kind, model, _ in scoped})
    owner_total = wall_total = 0.0
    for kind, model in labels:
        owner = statistics.median(scoped[kind, model, "owner"])
        wall = statistics.median(scoped[kind, model, "wall"])
        owner_total += owner
        wall_total += wall
        print(f"{kind:30} {model:32} {owner:10.2f} {wall:8.2f} {wall / owner:6.2f}")
    print(f"{'all':30} {'(sum of medians)':32} {owner_total:10.2f} {wall_total:8.2f} {wall_total / owner_total:6.2f}")
    print("\nThe application's filter left out, the wall alone (residents), and taking each principal:")
    for label in sorted(unscoped):
        print(f"{label[0]:30} {label[1]:32} {statistics.median(unscoped[label]):10.2f}")


if __name__ == "__main__":
    main()
