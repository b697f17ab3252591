"""The role ladders of the connections pages, for the route sweep (tests/test_route_sweep.py).

The API's own routes (feed_api:*) have no ladder: no session admits them, and the sweep's
signed-routes test checks that every role's browser is refused them."""

from __future__ import annotations

from typing import Any

from porch.integrations.tests.helpers import connection
from tests.ladders import Ladder


def a_connection(cast: Any) -> str:
    return str(connection(cast)[0].uuid)


LADDERS = {
    "integrations:list": Ladder(right="staff:admin", wrong="staff:cs"),
    "integrations:new": Ladder(right="staff:admin", wrong="staff:dpo"),
    # The DPO reads a connection; changing one is the system administrators' alone.
    "integrations:detail": Ladder(right="staff:dpo", wrong="staff:north", code=a_connection),
    "integrations:change": Ladder(right="staff:admin", wrong="staff:dpo", code=a_connection),
    "integrations:rotate": Ladder(right="staff:admin", wrong="staff:dpo", code=a_connection, get_status=405),
    "integrations:switch_off": Ladder(right="staff:admin", wrong="staff:dpo", code=a_connection, get_status=405),
}
