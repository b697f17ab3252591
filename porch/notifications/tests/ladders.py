"""The role ladders of the notifications pages, for the route sweep (tests/test_route_sweep.py)."""

from __future__ import annotations

from tests.ladders import Ladder

LADDERS = {
    "notifications:list": Ladder(right="alice", wrong="staff:cs"),
    "notifications:choices": Ladder(right="alice", wrong="staff:cs"),
    # Counts and failures only, for those who watch deliveries: the DPO and system administrators.
    "notifications:staff_deliveries": Ladder(right="staff:admin", wrong="staff:cs"),
}
