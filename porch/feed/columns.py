"""The columns of each file the housing management system sends, and how a value is read.

Each column reads one text value (CSV cell, or JSON string) into a Python value, or says in
plain English what is wrong with it. The same declarations write docs/feed.md
(`manage.py feed_docs`), so the published layout is the one the code reads."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from porch.core.phones import normalise_phone

# A UK postcode, spaces anywhere (checked on the form without them).
POSTCODE = re.compile(r"[A-Z]{1,2}[0-9][0-9A-Z]?[0-9][A-Z]{2}")
REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_.\-]*")
# Pounds and pence as a housing system writes them: 95, 95.5, 95.50, -12.30 (no £, no commas).
POUNDS = re.compile(r"-?[0-9]{1,9}(\.[0-9]{1,2})?")


class BadValue(ValueError):
    """A value that cannot be read; the message is for the person fixing the file."""


Reader = Callable[[str], Any]


@dataclass(frozen=True)
class Column:
    name: str
    about: str  # what it holds, for docs/feed.md
    read: Reader
    required: bool = True
    example: str = ""
    empty: Any = None  # an optional column's value when the cell is empty

    def value(self, text: str | None) -> Any:
        text = (text or "").strip()
        if not text:
            if self.required:
                raise BadValue("This value is missing.")
            return self.empty
        return self.read(text)


@dataclass(frozen=True)
class Layout:
    """One entity's file: its columns, and the one that holds the HMS's own reference."""

    entity: str
    title: str
    about: str
    key: str
    columns: Sequence[Column]
    load_after: Sequence[str] = field(default_factory=tuple)

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def required(self) -> list[str]:
        return [column.name for column in self.columns if column.required]


def text(max_length: int) -> Reader:
    def read(value: str) -> str:
        if len(value) > max_length:
            raise BadValue(f"This is {len(value)} characters long; the most we keep is {max_length}.")
        return value

    return read


def reference(value: str) -> str:
    if len(value) > 30 or not REFERENCE.fullmatch(value):
        raise BadValue("A reference is up to 30 letters, digits and the marks / _ . - with no spaces.")
    return value.upper()


def yes_no(value: str) -> bool:
    if value.lower() in ("yes", "y", "true", "1"):
        return True
    if value.lower() in ("no", "n", "false", "0"):
        return False
    raise BadValue("This must be yes or no.")


def choice(options: Sequence[str]) -> Reader:
    def read(value: str) -> str:
        if value not in options:
            raise BadValue(f"This must be one of: {', '.join(options)}.")
        return value

    return read


def date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value) if len(value) == 10 else _not_a_date()
    except ValueError:
        raise BadValue("A date is written year-month-day, like 2026-04-01.") from None


def moment(value: str) -> datetime.datetime:
    """A date and time with its offset (2026-04-01T09:30:00+01:00), or a date (taken as midnight
    where the landlord is)."""
    try:
        if len(value) == 10:
            return timezone.make_aware(datetime.datetime.combine(date(value), datetime.time()))
        when = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise BadValue("A time is written like 2026-04-01T09:30:00+01:00, or a date like 2026-04-01.") from None
    if when.tzinfo is None:
        raise BadValue("A time needs its offset from UTC, like 2026-04-01T09:30:00+01:00 (or Z for UTC).")
    return when


def _not_a_date() -> datetime.date:
    raise ValueError


def email(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError:
        raise BadValue("This is not an email address.") from None
    if len(value) > 254:
        raise BadValue("An email address is at most 254 characters.")
    return value


def mobile(value: str) -> str:
    if not normalise_phone(value):
        raise BadValue("This is not a phone number.")
    return value


def postcode(value: str) -> str:
    squeezed = re.sub(r"\s+", "", value).upper()
    if not POSTCODE.fullmatch(squeezed):
        raise BadValue("This is not a UK postcode.")
    return f"{squeezed[:-3]} {squeezed[-3:]}"


def uprn(value: str) -> str:
    if not value.isascii() or not value.isdigit() or len(value) > 12:
        raise BadValue("A UPRN is up to 12 digits.")
    return value


def pounds(value: str) -> int:
    """An amount in pounds and pence, read as whole pennies (never through a float)."""
    if not POUNDS.fullmatch(value):
        raise BadValue("An amount is pounds and pence like 95.50 or -12.30: no £ sign, no commas, at most 2 decimals.")
    return int(Decimal(value) * 100)


def pounds_not_negative(value: str) -> int:
    pence = pounds(value)
    if pence < 0:
        raise BadValue("This amount cannot be below nothing.")
    return pence
