"""The role ladders of the complaints pages, for the route sweep (tests/test_route_sweep.py)."""

from __future__ import annotations

from porch.complaints.tests.helpers import ashton_complaint, with_handler
from tests.ladders import Ladder

LADDERS = {
    "complaints:list": Ladder(right="alice", wrong="staff:cs"),
    "complaints:new": Ladder(right="bob", wrong="staff:dpo"),
    # Another household's complaint: not there for them (404), like any id they were not given.
    "complaints:detail": Ladder(right="bob", wrong="carol", wrong_status=404, code=ashton_complaint),
    # Not responded to yet, so there is nothing to escalate: back to the complaint.
    "complaints:escalate": Ladder(
        right="alice", wrong="carol", wrong_status=404, code=ashton_complaint, get_status=302
    ),
    # The complaints team's pages: customer services and the ASB officer read no complaints.
    "complaints:staff_queue": Ladder(right="staff:complaints", wrong="staff:cs", code=with_handler),
    "complaints:staff_figures": Ladder(right="staff:complaints", wrong="staff:asb", code=with_handler),
    "complaints:staff_figures_csv": Ladder(right="staff:dpo", wrong="staff:cs"),
    # Another patch's housing officer: not there for them (404).
    "complaints:staff_detail": Ladder(
        right="staff:north", wrong="staff:south", wrong_status=404, code=ashton_complaint
    ),
}
# Each change is a POST of its own; the DPO reads complaints but works none (403).
for name in ("acknowledge", "update", "note", "extend", "respond", "close"):
    LADDERS[f"complaints:staff_{name}"] = Ladder(
        right="staff:complaints", wrong="staff:dpo", code=ashton_complaint, get_status=405
    )
