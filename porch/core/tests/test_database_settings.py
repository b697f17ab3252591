"""The database runs as the settings say (the reasons are in config/settings.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_database_is_set_as_the_settings_say() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW jit")
            assert _first(cursor) == "off"
        else:
            cursor.execute("PRAGMA synchronous")
            assert _first(cursor) == 2  # FULL: every commit is synced


def _first(cursor: Any) -> Any:
    row = cursor.fetchone()
    assert row is not None
    return row[0]
