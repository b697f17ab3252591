"""Contractor accounts: firms, their administrators and operatives."""

from __future__ import annotations

from porch.contractors.kinds import CONTRACTOR_ACCOUNT
from porch.core.modules import Link, Module, Owner, PersonalModel, register

register(
    Module(
        app="contractors",
        name="Contractor accounts",
        personal=(
            PersonalModel("contractors.FirmAdministrator", Owner.CONTRACTOR, "firm"),
            PersonalModel("contractors.Invitation", Owner.CONTRACTOR, "firm"),
        ),
        audit_kinds=(CONTRACTOR_ACCOUNT,),
        pages={
            "contractors:firms": "Staff: Contractor firms",
            "contractors:team": "Contractors: Your firm's accounts",
            "contractors:deactivate": "Contractors: Deactivate an operative",
            "contractors:invitation": "Contractors: Choose a password from an invitation",
        },
        staff_links=(Link("contractors:firms", "Contractor firms", "add a firm and its administrator"),),
    )
)
