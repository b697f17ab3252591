"""The role ladders of contractor accounts' pages, for the route sweep."""

from __future__ import annotations

from typing import Any

from tests.ladders import Ladder


def _operative(cast: Any) -> str:
    from porch.repairs.tests.contractor_cast import contractor

    return str(contractor("a", name="other").uuid)


LADDERS: dict[str, Ladder] = {
    "contractors:firms": Ladder(right="staff:admin", wrong="staff:cs"),
    "contractors:team": Ladder(right="contractor:a/admin", wrong="contractor:a"),
    "contractors:deactivate": Ladder(right="contractor:a/admin", wrong="alice", code=_operative, get_status=405),
}
