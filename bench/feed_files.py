"""A housing system's full record as feed files, for the feed's load bench (issue 12): as
many homes as asked, with their people, tenancies, memberships, contact details, rent
accounts and a year of weekly rent transactions, written straight to CSV (no database).

    .venv/bin/python bench/feed_files.py 150000 /tmp/feed150k

At 150,000 homes: about 300,000 people, 156,000 tenancies (one home in 25 had an earlier
tenancy, ended) and about 5 million rent transactions. Deterministic (a seeded random),
streamed (one home at a time), and the files are the ones docs/feed.md describes."""

from __future__ import annotations

import csv
import datetime
import random
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ENTITIES = (
    "properties",
    "people",
    "tenancies",
    "contacts",
    "memberships",
    "rent_accounts",
    "rent_transactions",
)
HEADERS = {
    "properties": "property_ref,uprn,address_line_1,address_line_2,town,postcode,block_ref,block_name,estate_ref,estate_name,patch",
    "people": "person_ref,first_name,last_name,date_of_birth",
    "tenancies": "tenancy_ref,property_ref,kind,start_date,end_date",
    "contacts": "person_ref,email,mobile",
    "memberships": "membership_ref,tenancy_ref,person_ref,role,start_date,end_date",
    "rent_accounts": "account_ref,tenancy_ref,kind,balance,balance_at,charge,charge_every,next_due,next_due_on",
    "rent_transactions": "transaction_ref,account_ref,posted_on,kind,description,amount",
}
HOMES_A_BLOCK = 40
BLOCKS_AN_ESTATE = 10
PATCHES = ("North", "South", "East", "West", "Central")
FIRST = ("Amina", "Ben", "Chloe", "Dev", "Ewa", "Finn", "Grace", "Hassan", "Isla", "Jon", "Kemi", "Liam")
LAST = ("Ahmed", "Brown", "Clarke", "Davies", "Evans", "Fox", "Green", "Hughes", "Iqbal", "Jones", "Khan", "Lee")
WEEKS = 17  # a charge and a payment or credit each week: about 32 transactions a tenancy
TODAY = datetime.date(2026, 11, 30)
DAY = datetime.timedelta(days=1)


def pounds(pence: int) -> str:
    whole, part = divmod(abs(pence), 100)
    return f"{'-' if pence < 0 else ''}{whole}.{part:02d}"


class Record:
    def __init__(self, writers: dict[str, Any]) -> None:
        self.out = writers
        self.chance = random.Random(150)  # noqa: S311 (bench data, seeded on purpose)
        self.people = 0
        self.tenancies = 0
        self.memberships = 0

    def home(self, number: int) -> None:
        block, estate = number // HOMES_A_BLOCK, number // (HOMES_A_BLOCK * BLOCKS_AN_ESTATE)
        ref = f"PR-{number:07d}"
        self.out["properties"].writerow(
            [ref, f"{990000000000 + number}", f"Flat {number % HOMES_A_BLOCK + 1}, Block {block}", f"{block} Bench Road",
             "Manchester", "M14 5TQ", f"BL-{block:06d}", f"Block {block}", f"ES-{estate:05d}", f"Estate {estate}",
             PATCHES[estate % len(PATCHES)]]
        )  # fmt: skip
        if number % 25 == 0:  # an earlier tenancy of this home, ended
            self.tenancy(ref, datetime.date(2008, 4, 7), datetime.date(2016, 3, 31), people=1)
        self.tenancy(ref, datetime.date(2016, 4, 4), None, people=2 if number % 25 else 1)

    def tenancy(self, home: str, start: datetime.date, end: datetime.date | None, *, people: int) -> None:
        self.tenancies += 1
        ref = f"T{self.tenancies:07d}"
        self.out["tenancies"].writerow([ref, home, "social_rent", start, end or ""])
        for place in range(people):
            self.people += 1
            self.memberships += 1
            person = f"P{self.people:07d}"
            first, last, born = _identity(self.people)
            self.out["people"].writerow([person, first, last, born])
            self.out["contacts"].writerow(
                [person, f"{person.lower()}@example.org", f"07700 9{self.people % 100000:05d}"]
            )
            role = "lead_tenant" if place == 0 else "joint_tenant"
            self.out["memberships"].writerow([f"M-{self.memberships:08d}", ref, person, role, start, end or ""])
        self.account(ref, end)

    def account(self, tenancy: str, end: datetime.date | None) -> None:
        charge = self.chance.randrange(8500, 14500)
        last = end or TODAY
        balance = 0
        monday = last - WEEKS * 7 * DAY
        for week in range(WEEKS):
            day = monday + week * 7 * DAY
            lines = [(day, "charge", "Rent and service charges", charge)]
            if self.chance.random() > 0.1:
                lines.append((day + 2 * DAY, "payment", "Payment, thank you", -charge))
            for number, (posted, kind, description, amount) in enumerate(lines):
                balance += amount
                self.out["rent_transactions"].writerow(
                    [f"TX-{tenancy}-{week:02d}{number}", f"RA-{tenancy}", posted, kind, description, pounds(amount)]
                )
        due = ["", ""] if end else [pounds(charge), last + 7 * DAY]
        self.out["rent_accounts"].writerow(
            [f"RA-{tenancy}", tenancy, "rent", pounds(balance), f"{last}T23:00:00+00:00", pounds(charge), "week", *due]
        )


def _identity(number: int) -> tuple[str, str, datetime.date]:
    """A name and date of birth nobody else in the file has: else the feed would rightly hold
    look-alikes for staff, and the bench would measure that instead of a load."""
    first = FIRST[number % 12]
    last = f"{LAST[number // 12 % 12]}-{LAST[number // 144 % 12]}"
    return first, last, datetime.date(1940, 1, 1) + (number // 1728) * DAY


def write(homes: int, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with ExitStack() as files:
        writers = {}
        for entity in ENTITIES:
            out = files.enter_context((folder / f"{entity}.csv").open("w", newline="", encoding="utf-8"))
            out.write(HEADERS[entity] + "\n")
            writers[entity] = csv.writer(out, lineterminator="\n")
        record = Record(writers)
        for number in range(1, homes + 1):
            record.home(number)
    print(f"{homes:,} homes, {record.tenancies:,} tenancies, {record.people:,} people in {folder}")


if __name__ == "__main__":
    write(int(sys.argv[1]), Path(sys.argv[2]))
