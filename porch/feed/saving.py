"""Saving changed rows in bulk, quickly.

Django's bulk_update writes one CASE WHEN per row and field; building it costs about a
millisecond a row in Python, which made a nightly file of 40,000 changed contacts take over a
minute. Writing the changed rows back as an insert that meets its own primary key and updates
the named fields (INSERT ... ON CONFLICT (id) DO UPDATE, on PostgreSQL and SQLite alike) costs
what an insert does. The rows must be whole, as read from the database: every column is sent."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

BATCH = 1000


def changed_rows_save(model: Any, rows: Sequence[Any], fields: Sequence[str]) -> None:
    """Write `fields` of each row (rows that exist, loaded whole) in as few statements as may be."""
    if rows:
        model.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["id"], update_fields=list(fields), batch_size=BATCH
        )
