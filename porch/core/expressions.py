"""Database expressions more than one module needs."""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Replace


def plain_uuid(expression: Any) -> Replace:
    """A uuid as 32 hexadecimal digits, whatever its spelling: SQLite stores a UUIDField as
    32 hex digits, PostgreSQL as a native uuid (hyphenated as text), and the audit log's
    object_id holds str(uuid), hyphenated."""
    return Replace(expression, Value("-"), Value(""))


def uuid_text(field: str) -> Replace:
    """A model's UUIDField as plain text (see plain_uuid), to compare with an audit object_id."""
    return plain_uuid(Cast(field, CharField()))
