"""What the database wall (ADR 0032) costs whole pages: residents' pages and staff queues on
one PostgreSQL database, with and without the wall, through the whole stack (issue 15: within
10% at 150,000 homes).

    DEBUG=1 .venv/bin/python bench/wall_pages.py \\
        --database postgres://postgres@127.0.0.1:5432/porch_wall_bench [--requests 100]

The database is one `bench/seed_demo.sh 150000` and `bench/cases_pages.py load` made (threads
and complaints for the inbox and the queue). The script makes a role that owns nothing and
lacks BYPASSRLS and builds the wall for it (`manage.py database_wall --install`; the wall stays,
and a superuser, as the other benches connect, passes it). Then two worker processes
(bench/_measure.py) on the same database: "open" as the tables' owner, and "wall" with
DATABASE_WALL_ROLE set, so every request runs as that role behind the wall, as production
does. They take turns, page by page, so load from other work falls on both alike.

Reported for each page: queries (the wall's own `set_config` statements among them), the
median wall time and process CPU time of a request, and the ratio of wall to open.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROLE = "porch_bench_wall_app"
RESIDENT = "alice"
# (login, address): the pages a resident reads most, and each team's queue.
PAGES: dict[str, tuple[str, str]] = {
    "Home page (resident)": (RESIDENT, "/"),
    "Documents (resident)": (RESIDENT, "/documents/"),
    "Repairs (resident)": (RESIDENT, "/repairs/"),
    "Rent accounts (resident)": (RESIDENT, "/rent/"),
    "Messages (resident)": (RESIDENT, "/messages/"),
    "Complaints (resident)": (RESIDENT, "/complaints/"),
    "Repairs queue (repairs team)": ("repairs", "/staff/repairs/"),
    "Complaints queue (complaints team)": ("complaints", "/staff/complaints/"),
    "Inbox (customer services)": ("customer.services", "/staff/messages/?show=all"),
    "Arrears (income team)": ("income", "/staff/income/arrears/"),
    "Staff home (housing officer, one patch)": ("housing.north", "/staff/"),
    "Repairs queue (housing officer, one patch)": ("housing.north", "/staff/repairs/"),
    "Inbox (housing officer, one patch)": ("housing.north", "/staff/messages/?show=all"),
}


def measure(options: argparse.Namespace) -> None:
    from bench._measure import Worker, interleave, print_conditions

    _build_the_wall(options.database)
    workers = {
        "open": Worker(__file__, options.database, False),
        "wall": Worker(__file__, options.database, False, env={"DATABASE_WALL_ROLE": ROLE}),
    }
    facts = {name: worker.ask({"do": "hello"}) for name, worker in workers.items()}
    timings = interleave(workers, PAGES, options.requests, options.turn)
    for worker in workers.values():
        worker.close()

    print_conditions(options.requests, options.turn, timings)
    print(facts["open"]["summary"])
    print()
    print("| Page | Queries, open | Queries, wall | Open (ms) | Wall (ms) | Ratio | CPU open (ms) | CPU wall (ms) |")
    print("|---|---|---|---|---|---|---|---|")
    for page in PAGES:
        (open_ms, open_cpu, _, _), (wall_ms, wall_cpu, _, _) = (timings.medians(page, name) for name in workers)
        queries = [facts[name]["pages"][page]["queries"] for name in workers]
        print(
            f"| {page} | {queries[0]} | {queries[1]} | {open_ms:.1f} | {wall_ms:.1f} | {wall_ms / open_ms:.2f} "
            f"| {open_cpu:.1f} | {wall_cpu:.1f} |"
        )


def _build_the_wall(database: str) -> None:
    role = f"DO $$ BEGIN CREATE ROLE {ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS; EXCEPTION WHEN duplicate_object THEN NULL; END $$"
    subprocess.run(["psql", database, "-qc", role], check=True)  # noqa: S603, S607 - the bench's own role
    env = {"DATABASE_URL": database, "DEBUG": "1", "PATH": "/usr/bin:/bin"}
    manage = [sys.executable, str(ROOT / "manage.py"), "database_wall", "--install", ROLE]
    subprocess.run(manage, check=True, env=env)  # noqa: S603


def worker(options: argparse.Namespace) -> None:
    """Django on DATABASE_URL, DEBUG off; behind the wall if DATABASE_WALL_ROLE is set."""
    from bench._measure import django_on_database, serve, signed_in_staff

    django_on_database()
    from django.test import Client

    from porch.accounts.models import User
    from porch.housing.cast import demo_email

    clients: dict[str, Any] = {}
    for who in {who for who, _ in PAGES.values()}:
        user = User.objects.get(username=demo_email(who))
        if who == RESIDENT:
            clients[who] = Client()
            clients[who].force_login(user)
        else:
            clients[who] = signed_in_staff(Client(), user)
    requests: dict[str, Callable[[], Any]] = {
        page: (lambda client=clients[who], url=url: client.get(url)) for page, (who, url) in PAGES.items()
    }
    serve(requests, lambda: _hello(requests))


def _hello(requests: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    from django.conf import settings

    from bench._measure import look_at_pages
    from porch.housing.models import Property

    pages = look_at_pages(requests, False, lambda response: "")
    behind = f"behind the wall as {settings.DATABASE_WALL_ROLE}" if settings.DATABASE_WALL_ROLE else "no wall"
    return {"pages": pages, "summary": f"{Property.objects.count():,} homes; {behind}"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", nargs="?", default="measure", choices=["measure", "worker"])
    parser.add_argument("--database", help="the bench database's URL (measure)")
    parser.add_argument("--requests", type=int, default=100, help="requests a page a side")
    parser.add_argument("--turn", type=int, default=5, help="requests in one worker's turn")
    options = parser.parse_args()
    if options.step == "worker":
        worker(options)
    else:
        if not options.database:
            parser.error("--database is needed")
        measure(options)


if __name__ == "__main__":
    main()
