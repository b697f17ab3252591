"""Anti-social behaviour: residents report incidents and keep a diary of them; the ASB team
works the cases (ADR 0030). A case is its reporter's alone: not their household's, and never
anything the person it is about can reach."""

from __future__ import annotations

from porch.asb import urls
from porch.asb.demo import demo_asb
from porch.asb.kinds import ASB_CASE, ASB_DATA, ASB_NAMED
from porch.asb.models import READERS, READING_ROLES
from porch.asb.synthetic import asb_codes, synthetic_asb_create
from porch.core.modules import Link, Module, Owner, PersonalModel, Switch, register

ASB = Switch("asb", "Anti-social behaviour reports")

register(
    Module(
        app="asb",
        name="Anti-social behaviour",
        switch=ASB,
        # Every row carries the reporter: the case, each timeline entry and each file. The case's
        # key to the person it names (named_person) opens nothing to them: the owner is the reporter.
        # Of the staff, only the ASB team and the DPO read them, and a housing officer the cases
        # and timelines of their patches (the application: those shared with it), never the files.
        personal=(
            PersonalModel("asb.AsbCase", Owner.PERSON, "reporter", staff_readers=READING_ROLES),
            PersonalModel("asb.AsbEntry", Owner.PERSON, "reporter", staff_readers=READING_ROLES),
            PersonalModel("asb.AsbEvidence", Owner.PERSON, "reporter", staff_readers=READERS),
        ),
        categories=(ASB_DATA,),
        audit_kinds=(ASB_CASE, ASB_NAMED),
        pages=urls.PAGES,
        resident_links=(Link("asb:list", "Report anti-social behaviour"),),
        staff_links=(
            Link("asb:staff_list", "Anti-social behaviour cases", "reports residents made, and their diaries"),
        ),
        probe_ids=asb_codes,
        synthetic=synthetic_asb_create,
        demo=demo_asb,
    )
)
