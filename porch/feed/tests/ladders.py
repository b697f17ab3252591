"""The role ladders of the feed's staff pages, for the route sweep (tests/test_route_sweep.py).
The guardians (the DPO and system administrators) run the feed; everyone else gets 403."""

from __future__ import annotations

import datetime
from typing import Any

from porch.feed.models import HeldPerson
from porch.feed.tests.files import properties, receive
from tests.ladders import Ladder


def a_batch(cast: Any) -> str:
    """A properties file as uploaded, waiting to be checked."""
    return str(receive("properties", properties(("PR-1", "Flat 1, Ash House", "BL-1"))).uuid)


def a_held_person(cast: Any) -> str:
    """Someone in a people file who looks like Alice Ashton, held for staff to decide."""
    batch = receive("people", b"person_ref,first_name,last_name,date_of_birth\nP-9,Alice,Ashton,1980-01-01\n")
    held = HeldPerson.objects.create(
        batch=batch,
        line=2,
        housing_reference="P-9",
        first_name="Alice",
        last_name="Ashton",
        date_of_birth=datetime.date(1980, 1, 1),
        looks_like=cast["ashton"].people["alice"],
    )
    return str(held.uuid)


LADDERS = {
    "feed:staff_list": Ladder(right="staff:admin", wrong="staff:cs"),
    "feed:staff_held": Ladder(right="staff:dpo", wrong="staff:admin"),
    "feed:staff_held_decide": Ladder(right="staff:dpo", wrong="staff:admin", code=a_held_person, get_status=405),
    "feed:staff_batch": Ladder(right="staff:admin", wrong="staff:cs", code=a_batch),
    "feed:staff_problems": Ladder(right="staff:dpo", wrong="staff:asb", code=a_batch),
    "feed:staff_apply": Ladder(right="staff:admin", wrong="staff:north", code=a_batch, get_status=405),
    "feed:staff_withdraw": Ladder(right="staff:dpo", wrong="alice", code=a_batch, get_status=405),
}
