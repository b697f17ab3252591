"""The housing record feed at 150,000 homes (issue 12): a full load from files into an empty
PostgreSQL database, then a nightly delta of 1% of the rows.

    # Files: a housing system's record of 150,000 homes, written straight to CSV
    .venv/bin/python bench/feed_files.py 150000 /tmp/feed150k
    # A delta of 1% of each file's rows, changed as a night's changes would be
    DEBUG=1 .venv/bin/python bench/feed_load.py delta /tmp/feed150k /tmp/feed150k-delta
    # Load both into a fresh database (dropped and made again), timing each file; --lanes=2
    # loads files that do not wait for each other side by side (feed_import --lanes)
    DEBUG=1 .venv/bin/python bench/feed_load.py load porch_bench_feed /tmp/feed150k /tmp/feed150k-delta --lanes=2
    # The same behind the database wall (ADR 0032): the loads connect as a role it walls
    DEBUG=1 .venv/bin/python bench/feed_load.py load porch_bench_feed /tmp/feed150k /tmp/feed150k-delta --lanes=2 --wall

`load` runs `manage.py feed_import FOLDER --apply` for each folder, in a child process of its
own (so its peak memory is its own), on a database made afresh and migrated; it prints each
file's time, the whole folder's time and the child's peak resident memory. The delta folder
holds for each entity the 1% of rows (every hundredth) changed: people's last names, contact
details, tenancies' and memberships' end dates set to today (ending about 1% of tenancies,
under the 2% that would need a second person), homes' second address line; so its rows are
changes, not creations, each applied with its audit row and what follows from it.
"""

from __future__ import annotations

import csv
import datetime
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
TODAY = datetime.date.today().isoformat()
WALL_ROLE = "porch_bench_feed_app"  # --wall: the role the loads connect as
CHANGE = {
    "properties": lambda row: {**row, "address_line_2": (row["address_line_2"] + " (rear)").strip()},
    "people": lambda row: {**row, "last_name": row["last_name"] + "-Smith"},
    "contacts": lambda row: {**row, "mobile": "07700 900999", "email": ""},
    "tenancies": lambda row: {**row, "end_date": row["end_date"] or TODAY},
    "memberships": lambda row: {**row, "end_date": row["end_date"] or TODAY},
    "rent_accounts": lambda row: {**row, "balance": _more(row["balance"]), "balance_at": f"{TODAY}T23:00:00+00:00"},
    # A night's new transactions: new references, posted today.
    "rent_transactions": lambda row: {**row, "transaction_ref": row["transaction_ref"] + "N", "posted_on": TODAY},
}


def _more(balance: str) -> str:
    return str(Decimal(balance) + 5)


def delta(source: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.glob("*.csv")):
        entity = path.stem
        with path.open(newline="", encoding="utf-8") as inp, (target / path.name).open("w", newline="") as out:
            reader = csv.DictReader(inp)
            writer = csv.DictWriter(out, fieldnames=reader.fieldnames or [], lineterminator="\n")
            writer.writeheader()
            written = 0
            for number, row in enumerate(reader):
                if number % 100 == 0:
                    writer.writerow(CHANGE[entity](row))
                    written += 1
        print(f"{path.name}: {written:,} changed rows")


# Runs a command and prints the peak memory of its processes alone (ru_maxrss of the children
# is the largest any of them reached, so each folder's figure needs a parent of its own).
PEAK = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def load(database: str, folders: list[Path], lanes: int, wall: bool) -> None:
    for command in (["dropdb", "--if-exists"], ["createdb"]):
        subprocess.run([*command, "-h", "127.0.0.1", "-U", "postgres", database], check=True)  # noqa: S603 - the bench's own arguments
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}"}
    env["MEDIA_ROOT"] = tempfile.mkdtemp(prefix=f"{database}-media-")
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603 - as above
    if wall:
        env |= _behind_the_wall(database, env)
    # The loads run as in production: DEBUG off (with it on, Django keeps every statement's text).
    env |= {"DEBUG": "0", "ALLOWED_HOSTS": "localhost", "SECRET_KEY": secrets.token_hex(32)}
    env |= {"AUDIT_KEY": secrets.token_hex(32), "FEED_API_KEY": secrets.token_hex(32)}
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the start, {lanes} lane(s)")
    for folder in folders:
        began = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        importing = [PYTHON, "manage.py", "feed_import", str(folder), "--apply", "--keep", f"--lanes={lanes}"]
        ran = subprocess.run(  # noqa: S603 - the bench's own arguments
            [PYTHON, "-c", PEAK, *importing], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        )
        *said, peak = ran.stdout.splitlines()
        print("\n".join(said))
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        took = time.perf_counter() - began
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        print(
            f"{folder}: {took:.0f} s in all ({cpu:.0f} s of the loading processes' CPU), peak memory of a "
            f"loading process {int(peak) / 1024:.0f} MB, load average {os.getloadavg()[0]:.2f} after"
        )


def _behind_the_wall(database: str, env: dict[str, str]) -> dict[str, str]:
    """Connect as production does behind the wall (ADR 0032): as a role that owns nothing and
    lacks BYPASSRLS, the wall built for it, the feed resting as the system (manage.py). Its
    COPY is refused there, so its rows go in by columns (porch.core.bulk)."""
    role = f"DO $$ BEGIN CREATE ROLE {WALL_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS; EXCEPTION WHEN duplicate_object THEN NULL; END $$"
    subprocess.run(["psql", env["DATABASE_URL"], "-qc", role], check=True)  # noqa: S603, S607 - the bench's own role
    install = [PYTHON, "manage.py", "database_wall", "--install", WALL_ROLE]
    subprocess.run(install, cwd=ROOT, env=env, check=True)  # noqa: S603 - as above
    print(f"Behind the wall: connected as {WALL_ROLE}")
    return {"DATABASE_URL": f"postgres://{WALL_ROLE}@127.0.0.1:5432/{database}", "DATABASE_WALL_ROLE": WALL_ROLE}


if __name__ == "__main__":
    what, *rest = sys.argv[1:]
    if what == "delta":
        delta(Path(rest[0]), Path(rest[1]))
    elif what == "load":
        lanes = [int(arg.split("=", 1)[1]) for arg in rest if arg.startswith("--lanes=")] or [1]
        load(rest[0], [Path(folder) for folder in rest[1:] if not folder.startswith("--")], lanes[0], "--wall" in rest)
    else:
        raise SystemExit(__doc__)
