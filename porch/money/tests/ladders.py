"""The role ladders of the rent pages, for the route sweep (tests/test_route_sweep.py)."""

from __future__ import annotations

from porch.money.tests.arrangement_helpers import arrears_account_code, proposal_code, with_income_officer
from porch.money.tests.helpers import ashton_account
from tests.ladders import Ladder

LADDERS = {
    "money:accounts": Ladder(right="alice", wrong="staff:dpo"),
    # Another household's account: not there for them (404), like any id they were not given.
    "money:account": Ladder(right="bob", wrong="carol", wrong_status=404, code=ashton_account),
}
LADDERS["money:statement"] = Ladder(right="alice", wrong="carol", wrong_status=404, code=ashton_account)

# Payment arrangements: the account holders (another household: 404); the income team alone
# decides (the DPO, who reads every account, and customer services: 403).
LADDERS["money:arrangement_propose"] = Ladder(right="alice", wrong="carol", wrong_status=404, code=arrears_account_code)
LADDERS["money:arrangement_sent"] = Ladder(right="bob", wrong="carol", wrong_status=404, code=proposal_code)
LADDERS["money:arrangement_withdraw"] = Ladder(right="alice", wrong="carol", wrong_status=404, code=proposal_code)
LADDERS["money:staff_arrangements"] = Ladder(right="staff:income", wrong="staff:dpo", code=with_income_officer)
LADDERS["money:staff_arrangement"] = Ladder(right="staff:income", wrong="staff:cs", code=proposal_code)
LADDERS["money:staff_arrangement_decide"] = Ladder(
    right="staff:income", wrong="staff:dpo", code=proposal_code, get_status=405
)
