"""The role ladders of the rent pages, for the route sweep (tests/test_route_sweep.py)."""

from __future__ import annotations

from porch.money.tests.helpers import ashton_account, ashton_account_for_staff, with_income_officer
from tests.ladders import Ladder

LADDERS = {
    "money:accounts": Ladder(right="alice", wrong="staff:dpo"),
    # Another household's account: not there for them (404), like any id they were not given.
    "money:account": Ladder(right="bob", wrong="carol", wrong_status=404, code=ashton_account),
}
LADDERS["money:statement"] = Ladder(right="alice", wrong="carol", wrong_status=404, code=ashton_account)
# The income team's pages: a housing officer (or customer services) reads no accounts (403).
LADDERS["money:arrears"] = Ladder(right="staff:income", wrong="staff:north", code=with_income_officer)
LADDERS["money:staff_account"] = Ladder(right="staff:income", wrong="staff:cs", code=ashton_account_for_staff)
