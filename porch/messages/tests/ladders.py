"""The role ladders of the messages pages, for the route sweep (tests/test_route_sweep.py)."""

from __future__ import annotations

from porch.messages.tests.helpers import ashton_file, ashton_thread
from tests.ladders import Ladder

LADDERS = {
    "messages:list": Ladder(right="alice", wrong="staff:cs"),
    "messages:new": Ladder(right="bob", wrong="staff:dpo"),
    # Another household's thread: not there for them (404), like any id they were not given.
    "messages:detail": Ladder(right="bob", wrong="carol", wrong_status=404, code=ashton_thread),
    "messages:reply": Ladder(right="alice", wrong="staff:cs", code=ashton_thread, get_status=405),
    "messages:attachment": Ladder(right="bob", wrong="carol", wrong_status=404, code=ashton_file),
    # The teams and the DPO read; the ASB officer is in no team.
    "messages:staff_inbox": Ladder(right="staff:north", wrong="staff:asb"),
    # Another patch's housing officer: not there for them (404).
    "messages:staff_detail": Ladder(right="staff:north", wrong="staff:south", wrong_status=404, code=ashton_thread),
    "messages:staff_attachment": Ladder(right="staff:cs", wrong="staff:south", wrong_status=404, code=ashton_file),
    # The DPO reads threads but writes in none (403).
    "messages:staff_reply": Ladder(right="staff:cs", wrong="staff:dpo", code=ashton_thread, get_status=405),
    "messages:staff_take": Ladder(right="staff:north", wrong="staff:dpo", code=ashton_thread, get_status=405),
    "messages:staff_assign": Ladder(right="staff:north", wrong="staff:dpo", code=ashton_thread, get_status=405),
    "messages:staff_settle": Ladder(right="staff:north", wrong="staff:dpo", code=ashton_thread, get_status=405),
}
