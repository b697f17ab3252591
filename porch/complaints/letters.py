"""A complaint's response as a letter: a tagged PDF (ADR 0023, porch.core.pdf) stored as a
resident-visible document of the tenancy, so the household finds it with their other letters
and on the complaint's page. A final response carries the ombudsman's contact details."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from porch.complaints.models import Complaint, ComplaintStage
from porch.complaints.ombudsman import ombudsman_for
from porch.core.actor import Actor
from porch.core.pdf import html_as_pdf, landlord
from porch.housing.access import household_of

# The type of document a response is stored as (made by this app's migration 0002).
RESPONSE_TYPE = "Complaint response"


def is_final(complaint: Complaint, stage: ComplaintStage) -> bool:
    """The last word on the complaint: the stage 2 response."""
    return stage.number == 2


def letter_title(complaint: Complaint, stage: ComplaintStage) -> str:
    return f"Our response to your complaint {complaint.reference} (stage {stage.number})"


def response_pdf(actor: Actor, complaint: Complaint, stage: ComplaintStage, text: str) -> bytes:
    return html_as_pdf(render_to_string("complaints/response_letter.html", _context(actor, complaint, stage, text)))


def _context(actor: Actor, complaint: Complaint, stage: ComplaintStage, text: str) -> dict[str, Any]:
    holders = [m.person.full_name for m in household_of(actor, complaint.tenancy) if m.is_account_holder]
    return {
        "complaint": complaint,
        "stage": stage,
        "text": text,
        "final": is_final(complaint, stage),
        "ombudsman": ombudsman_for(complaint.region),
        "holders": holders,
        "home": complaint.tenancy.property.address_lines,
        "produced_on": timezone.localdate(),
        "title": letter_title(complaint, stage),
        **landlord(),
    }
