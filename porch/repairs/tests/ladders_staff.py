"""The role ladders of the staff pages of repairs (merged by ladders.py for the route sweep)."""

from __future__ import annotations

from tests.ladders import Ladder

LADDERS: dict[str, Ladder] = {}
