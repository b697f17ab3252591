"""Canary markers: how they look, and how a response is searched for them.

A marker is PREFIX followed by 20 random hexadecimal digits (80 bits: nobody
guesses one). The fixed prefix lets the guard rule out almost every response
with a plain substring search, without knowing any marker. The prefix differs
from the isolation self-test's markers ("CANARY" and hex digits), so test
households' pages stay on the fast path.

Templates may change a marker's case (the `upper`, `lower` and `title`
filters), so the prefix is searched for in upper and lower case, without its
first letter, which `title` capitalises; everything after the prefix is
compared case-insensitively."""

from __future__ import annotations

import re
import secrets

PREFIX = "PORCHCANARY"
RANDOM_DIGITS = 20
LENGTH = len(PREFIX) + RANDOM_DIGITS

# "ORCHCANARY" and "orchcanary": every case the template filters can give the prefix contains one.
_NEEDLES = (PREFIX[1:].encode(), PREFIX[1:].lower().encode())
MARKER_TEXT = re.compile(f"{PREFIX}[0-9a-f]{{{RANDOM_DIGITS}}}", re.IGNORECASE)
_MARKER = re.compile(MARKER_TEXT.pattern.encode(), re.IGNORECASE)


def marker_new() -> str:
    return PREFIX + secrets.token_hex(RANDOM_DIGITS // 2).upper()


def may_hold_marker(data: bytes) -> bool:
    """The fast path: False for almost every response, at the cost of a substring search or two."""
    upper, lower = _NEEDLES
    return upper in data or lower in data


def markers_in(data: bytes) -> set[str]:
    """Every marker-shaped string in the data, in the canonical (upper) case."""
    return {found.decode().upper() for found in _MARKER.findall(data)}


def redact(text: str) -> str:
    """Text about a trip (incident notes, audit reasons) must never carry a marker itself:
    whoever reads it would trip the guard in turn."""
    return MARKER_TEXT.sub("[canary marker]", text)
