"""The role ladders of the documents' staff pages, for the route sweep (tests/test_route_sweep.py)."""

from __future__ import annotations

from tests.ladders import Ladder

LADDERS = {
    "documents:staff_upload": Ladder(right="staff:north", wrong="staff:south", wrong_status=404, code="tenancy"),
    "documents:staff_types": Ladder(right="staff:admin", wrong="staff:dpo"),
    "documents:staff_type_edit": Ladder(right="staff:admin", wrong="staff:dpo", code="type", get_status=302),
}
