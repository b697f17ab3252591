"""Complaints: residents make complaints and take them to stage 2, on the statutory clocks of
the landlord's nation; complaints handlers and housing officers work them (ADR 0028)."""

from __future__ import annotations

from porch.complaints import urls
from porch.complaints.demo import demo_complaints
from porch.complaints.kinds import COMPLAINT, COMPLAINTS_DATA
from porch.complaints.models import READING_ROLES
from porch.complaints.subjects import COMPLAINT_SUBJECT
from porch.complaints.synthetic import complaint_codes, synthetic_complaints_create
from porch.core.modules import Link, Module, Owner, PersonalModel, Switch, register

COMPLAINTS = Switch("complaints", "Complaints")

register(
    Module(
        app="complaints",
        name="Complaints",
        switch=COMPLAINTS,
        # Every row carries its tenancy: the complaint, each stage and each timeline entry.
        personal=(
            PersonalModel("complaints.Complaint", Owner.TENANCY, "tenancy", staff_readers=READING_ROLES),
            PersonalModel("complaints.ComplaintStage", Owner.TENANCY, "tenancy", staff_readers=READING_ROLES),
            PersonalModel("complaints.ComplaintEntry", Owner.TENANCY, "tenancy", staff_readers=READING_ROLES),
        ),
        categories=(COMPLAINTS_DATA,),
        audit_kinds=(COMPLAINT,),
        pages=urls.PAGES,
        resident_links=(Link("complaints:list", "Complaints"),),
        staff_links=(
            Link("complaints:staff_queue", "Complaints queue", "complaints by clock: due soon and overdue"),
            Link("complaints:staff_figures", "Complaints figures", "the yearly self-assessment numbers, and as CSV"),
        ),
        probe_ids=complaint_codes,
        synthetic=synthetic_complaints_create,
        subjects=(COMPLAINT_SUBJECT,),
        demo=demo_complaints,
    )
)
