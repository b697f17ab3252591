"""The role ladders of the rent pages, for the route sweep (tests/test_route_sweep.py)."""

from __future__ import annotations

from porch.money.tests.arrangement_helpers import arrears_account_code, proposal_code
from porch.money.tests.helpers import (
    ashton_account,
    ashton_account_for_staff,
    ashton_account_with_mandate,
    ashton_payment,
    ashton_payment_for_staff,
    ashton_refund,
    sandbox_page,
    with_income_officer,
)
from porch.money.tests.invoice_helpers import dunn_invoice
from tests.ladders import Ladder

LADDERS = {
    "money:accounts": Ladder(right="alice", wrong="staff:dpo"),
    # Another household's account: not there for them (404), like any id they were not given.
    "money:account": Ladder(right="bob", wrong="carol", wrong_status=404, code=ashton_account),
}
LADDERS["money:statement"] = Ladder(right="alice", wrong="carol", wrong_status=404, code=ashton_account)
LADDERS["money:pay"] = Ladder(right="alice", wrong="carol", wrong_status=404, code=ashton_account)
LADDERS["money:payment"] = Ladder(right="alice", wrong="carol", wrong_status=404, code=ashton_payment)
# The demo's pretend provider page, at the payment's own id: its account holders only.
LADDERS["money:sandbox_pay"] = Ladder(right="alice", wrong="carol", wrong_status=404, code=sandbox_page)
# Customer services answer "did my payment go through?"; a housing officer does not.
LADDERS["money:staff_payments"] = Ladder(right="staff:cs", wrong="staff:north")
LADDERS["money:direct_debit"] = Ladder(right="bob", wrong="carol", wrong_status=404, code=ashton_account)
LADDERS["money:direct_debit_new"] = Ladder(right="alice", wrong="carol", wrong_status=404, code=ashton_account)
# A change or a stop is about the account's live Direct Debit: the Ashtons have one.
LADDERS["money:direct_debit_change"] = Ladder(
    right="alice", wrong="carol", wrong_status=404, code=ashton_account_with_mandate
)
LADDERS["money:direct_debit_stop"] = Ladder(
    right="alice", wrong="carol", wrong_status=404, code=ashton_account_with_mandate
)
# The income team's pages: a housing officer (or customer services) reads no accounts (403).
LADDERS["money:arrears"] = Ladder(right="staff:income", wrong="staff:north", code=with_income_officer)
LADDERS["money:staff_account"] = Ladder(right="staff:income", wrong="staff:cs", code=ashton_account_for_staff)

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
# Card payments against the housing system's record: the income team (customer services: 403).
LADDERS["money:reconcile"] = Ladder(right="staff:income", wrong="staff:cs", code=with_income_officer)
LADDERS["money:reconcile_check"] = Ladder(
    right="staff:income", wrong="staff:cs", code=ashton_payment_for_staff, get_status=405
)
# Refunds: income officers alone (customer services and the DPO: 403).
LADDERS["money:refund_propose"] = Ladder(right="staff:income", wrong="staff:cs", code=ashton_payment_for_staff)
LADDERS["money:refunds"] = Ladder(right="staff:income", wrong="staff:dpo", code=with_income_officer)
LADDERS["money:refund"] = Ladder(right="staff:income", wrong="staff:dpo", code=ashton_refund)

# A homeowner's service-charge invoices: the account holders alone (a tenant in the same block: 404).
LADDERS["money:invoice"] = Ladder(right="dan", wrong="carol", wrong_status=404, code=dunn_invoice)
LADDERS["money:invoice_pdf"] = Ladder(right="dan", wrong="alice", wrong_status=404, code=dunn_invoice)
