"""Database expressions more than one module needs."""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, Func
from django.db.models.functions import Cast


class PlainUuid(Func):
    """A uuid as 32 hexadecimal digits, whatever its spelling: SQLite stores a UUIDField as
    32 hex digits, PostgreSQL as a native uuid (hyphenated as text), and the audit log's
    object_id holds str(uuid), hyphenated.

    The hyphen and the empty string are written into the SQL, not passed as parameters, so
    an index on the same expression (repairs' `repair_uuid_as_text`) matches a query's: SQLite
    will not use an expression index whose constants a query passes as parameters."""

    function = "REPLACE"
    template = "%(function)s(%(expressions)s, '-', '')"

    def __init__(self, expression: Any) -> None:
        super().__init__(expression, output_field=CharField())


def plain_uuid(expression: Any) -> PlainUuid:
    return PlainUuid(expression)


def uuid_text(field: str) -> PlainUuid:
    """A model's UUIDField as plain text (see PlainUuid), to compare with an audit object_id."""
    return PlainUuid(Cast(field, CharField()))
