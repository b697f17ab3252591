"""The housing record as feed files: what a housing system would send for the homes here.

Used for the published sample set (docs/feed-sample/, from the demo data) and for the
benchmarks' full and nightly loads. Streams each table (never a whole table in memory) and
leaves out records with no housing system reference (test households, and anything made
before references were kept)."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from porch.feed.entities import ENTITIES, ORDER
from porch.housing.models import Membership, Person, Property, Tenancy
from porch.money.models import AccountTransaction, InvoiceLine, RentAccount
from porch.repairs.models import Repair

CHUNK = 5000


def _properties(limit: int | None) -> Iterator[Sequence[Any]]:
    homes = Property.objects.filter(hms_reference__isnull=False, is_test=False).order_by("id")
    fields = ("hms_reference", "uprn", "address_line_1", "address_line_2", "town", "postcode")
    place = ("block__hms_reference", "block__name", "block__estate__hms_reference", "block__estate__name")
    for row in homes.values_list(*fields, *place, "block__estate__patch__name")[:limit].iterator(CHUNK):
        yield list(row)


def _homes(limit: int | None) -> Any:
    return Property.objects.filter(hms_reference__isnull=False, is_test=False).order_by("id")[:limit].values("id")


def _tenancies(limit: int | None) -> Iterator[Sequence[Any]]:
    found = Tenancy.objects.filter(property__in=_homes(limit), is_test=False).order_by("id")
    fields = ("reference", "property__hms_reference", "kind", "start_date", "end_date", "needs_extra_care")
    for *row, extra_care in found.values_list(*fields).iterator(CHUNK):
        yield [*row, "yes" if extra_care else "no"]


def _memberships(limit: int | None) -> Any:
    tenancies = Tenancy.objects.filter(property__in=_homes(limit), is_test=False).values("id")
    return Membership.objects.filter(tenancy__in=tenancies, hms_reference__isnull=False).order_by("id")


def _people(limit: int | None) -> Iterator[Sequence[Any]]:
    found = Person.objects.filter(id__in=_memberships(limit).values("person_id"), is_test=False).order_by("id")
    yield from found.values_list("housing_reference", "first_name", "last_name", "date_of_birth").iterator(CHUNK)


def _contacts(limit: int | None) -> Iterator[Sequence[Any]]:
    found = Person.objects.filter(id__in=_memberships(limit).values("person_id"), is_test=False).order_by("id")
    yield from found.values_list("housing_reference", "email", "mobile").iterator(CHUNK)


def _membership_rows(limit: int | None) -> Iterator[Sequence[Any]]:
    fields = ("hms_reference", "tenancy__reference", "person__housing_reference", "role", "start_date", "end_date")
    yield from _memberships(limit).values_list(*fields).iterator(CHUNK)


def _repairs_jobs(limit: int | None) -> Iterator[Sequence[Any]]:
    """Only jobs that came from the housing system: repairs reported here go back through the outbox."""
    found = Repair.objects.exclude(external_ref="").filter(is_test=False).order_by("id")
    fields = ("external_ref", "tenancy__reference", "block__hms_reference", "category", "description", "reported_at")
    for row in found.values_list(*fields, "status").iterator(CHUNK):
        *values, status = row
        values[-1] = values[-1].isoformat()
        yield [*values, "open" if status not in ("completed", "cancelled") else status]


def _accounts(limit: int | None) -> Any:
    tenancies = Tenancy.objects.filter(property__in=_homes(limit), is_test=False).values("id")
    return RentAccount.objects.filter(tenancy__in=tenancies).order_by("id")


def _rent_accounts(limit: int | None) -> Iterator[Sequence[Any]]:
    fields = ("hms_reference", "tenancy__reference", "kind", "balance_pence", "balance_at", "charge_pence")
    for row in _accounts(limit).values_list(*fields, "charge_every", "next_due_pence", "next_due_on").iterator(CHUNK):
        ref, tenancy, kind, balance, at, charge, every, next_due, next_due_on = row
        yield [
            ref,
            tenancy,
            kind,
            pounds(balance),
            at.isoformat(),
            pounds(charge),
            every,
            pounds(next_due),
            next_due_on,
        ]


def _rent_transactions(limit: int | None) -> Iterator[Sequence[Any]]:
    found = AccountTransaction.objects.filter(account__in=_accounts(limit).values("id")).order_by("id")
    fields = ("hms_reference", "account__hms_reference", "posted_on", "kind", "description", "amount_pence")
    for *row, amount, payment in found.values_list(*fields, "payment_reference").iterator(CHUNK):
        yield [*row, pounds(amount), payment]


def _service_charge_invoices(limit: int | None) -> Iterator[Sequence[Any]]:
    found = InvoiceLine.objects.filter(invoice__account__in=_accounts(limit).values("id")).order_by("invoice_id", "id")
    invoice = ("invoice__hms_reference", "invoice__account__hms_reference", "invoice__period_from")
    dates = ("invoice__period_to", "invoice__issued_on", "invoice__due_on")
    for *row, cost, share, amount in found.values_list(
        "hms_reference", *invoice, *dates, "heading", "description", "block_cost_pence", "share", "amount_pence"
    ).iterator(CHUNK):
        yield [*row, pounds(cost), share, pounds(amount)]


def pounds(pence: int | None) -> str | None:
    """Whole pennies as the files write them: -12.30, 98.40."""
    if pence is None:
        return None
    whole, part = divmod(abs(pence), 100)
    return f"{'-' if pence < 0 else ''}{whole}.{part:02d}"


ROWS = {
    "properties": _properties,
    "people": _people,
    "tenancies": _tenancies,
    "contacts": _contacts,
    "memberships": _membership_rows,
    "rent_accounts": _rent_accounts,
    "rent_transactions": _rent_transactions,
    "service_charge_invoices": _service_charge_invoices,
    "repairs": _repairs_jobs,
}


def files_write(folder: Path, *, homes: int | None = None) -> dict[str, int]:
    """One CSV file per entity in folder, named after the entity; the rows in each. An entity
    with no rows gets no file (the feed refuses a file with none)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for entity in ORDER:
        path = folder / f"{entity}.csv"
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(ENTITIES[entity].layout.names)
            count = 0
            for row in ROWS[entity](homes):
                writer.writerow(["" if value is None else value for value in row])
                count += 1
        if not count:
            path.unlink()
        written[entity] = count
    return written
