"""The role ladders of the anti-social behaviour pages, for the route sweep (tests/test_route_sweep.py)."""

from __future__ import annotations

from porch.asb.tests.helpers import alices_photo, alices_report
from tests.ladders import Ladder

LADDERS = {
    "asb:list": Ladder(right="alice", wrong="staff:cs"),
    "asb:new": Ladder(right="carol", wrong="staff:asb"),
    # Someone else's report, her joint tenant's included: not there for them (404).
    "asb:detail": Ladder(right="alice", wrong="bob", wrong_status=404, code=alices_report),
    "asb:diary": Ladder(right="alice", wrong="carol", wrong_status=404, code=alices_report),
    # A file she sent herself: not her joint tenant's to open (404).
    "asb:file": Ladder(right="alice", wrong="bob", wrong_status=404, code=alices_photo),
    # Customer services and the other staff read no ASB case.
    "asb:staff_list": Ladder(right="staff:asb", wrong="staff:cs"),
    # A housing officer in the patch, the case not shared with them: not there (404).
    "asb:staff_detail": Ladder(right="staff:dpo", wrong="staff:north", wrong_status=404, code=alices_report),
    # Photos are the ASB team's and the DPO's: never a housing officer's, shared or not.
    "asb:staff_evidence": Ladder(right="staff:asb", wrong="staff:north", code=alices_photo),
    # Finding and linking the record of the person a report names: ASB officers alone (the DPO reads, 403).
    "asb:staff_link": Ladder(right="staff:asb", wrong="staff:dpo", code=alices_report),
    "asb:staff_unlink": Ladder(right="staff:asb", wrong="staff:dpo", code=alices_report, get_status=405),
}
# Each change is a POST of its own; the DPO and a housing officer it is shared with read, change nothing (403).
for name in ("publish", "note", "risk", "share", "close"):
    LADDERS[f"asb:staff_{name}"] = Ladder(right="staff:asb", wrong="staff:dpo", code=alices_report, get_status=405)
