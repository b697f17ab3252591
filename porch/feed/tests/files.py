"""Feed files for tests, written as the housing system would send them."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from porch.feed import pipeline
from porch.feed.models import FeedBatch
from porch.feed.services import batch_receive
from porch.housing.models import Tenancy


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def jsonl_bytes(records: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(record) + "\n" for record in records).encode()


def receive(entity: str, content: bytes, *, name: str = "", fmt: str = "csv") -> FeedBatch:
    return batch_receive(
        entity=entity,
        fmt=fmt,
        filename=name or f"{entity}.{fmt}",
        stream=io.BytesIO(content),
        source=FeedBatch.Source.UPLOAD,
    )


def previewed(entity: str, content: bytes, **options: Any) -> FeedBatch:
    batch = receive(entity, content, **options)
    pipeline.check(batch.pk)
    batch.refresh_from_db()
    return batch


def applied(entity: str, content: bytes, **options: Any) -> FeedBatch:
    """Received, checked, previewed and applied, as the worker would (no second person needed)."""
    batch = previewed(entity, content, **options)
    assert batch.status == FeedBatch.Status.PREVIEWED, (batch.status, batch.reason)
    FeedBatch.objects.filter(pk=batch.pk).update(status=FeedBatch.Status.APPLYING)
    pipeline.apply(batch.pk)
    batch.refresh_from_db()
    return batch


PROPERTIES = ["property_ref", "uprn", "address_line_1", "address_line_2", "town", "postcode"]
PLACE = ["block_ref", "block_name", "estate_ref", "estate_name", "patch"]


def properties(*homes: tuple[str, str, str]) -> bytes:
    """(reference, first line, block reference) for each home, in one estate of patch North."""
    rows = [
        [ref, "", line, "", "Manchester", "M14 5TQ", block, f"Block {block}", "ES-1", "Elm Estate", "North"]
        for ref, line, block in homes
    ]
    return csv_bytes(PROPERTIES + PLACE, rows)


def people(*rows: tuple[str, str, str, str]) -> bytes:
    return csv_bytes(["person_ref", "first_name", "last_name", "date_of_birth"], [list(row) for row in rows])


def tenancies(*rows: tuple[str, str, str, str]) -> bytes:
    """(tenancy_ref, property_ref, start_date, end_date) social rent tenancies."""
    return csv_bytes(
        ["tenancy_ref", "property_ref", "kind", "start_date", "end_date"],
        [[ref, home, "social_rent", start, end] for ref, home, start, end in rows],
    )


def memberships(*rows: tuple[str, str, str, str, str, str]) -> bytes:
    """(membership_ref, tenancy_ref, person_ref, role, start_date, end_date)."""
    header = ["membership_ref", "tenancy_ref", "person_ref", "role", "start_date", "end_date"]
    return csv_bytes(header, [list(row) for row in rows])


def ending_every_tenancy() -> bytes:
    """A tenancies file that ends every current tenancy (giving their homes references PR-1...):
    over any share of tenancies a batch may end without a second person."""
    rows = []
    for number, tenancy in enumerate(Tenancy.objects.current().select_related("property"), start=1):
        home = tenancy.property
        home.hms_reference = f"PR-{number}"
        home.save(update_fields=["hms_reference"])
        rows.append((tenancy.reference, home.hms_reference, tenancy.start_date.isoformat(), "2026-01-01"))
    return tenancies(*rows)
