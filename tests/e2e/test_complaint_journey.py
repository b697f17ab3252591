"""A complaint in a real browser: Alice makes one (the form first tells her what is missing)
and sees the dates we must keep to; a complaints handler acknowledges it and sends a stage 1
response (the form first tells them what is missing); Alice finds the response letter, takes
the complaint to stage 2 without giving a reason, and finds in her notifications that she was
told of the response. axe-core checks every page of the journey."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, Cast, make_staff
from porch.complaints.models import Complaint
from porch.core.roles import StaffRole

from .conftest import check_accessibility
from .test_resident_journeys import sign_in
from .test_staff_journeys import sign_in_with_code

pytestmark = pytest.mark.e2e


def heading(page: Any, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)
    check_accessibility(page)


def test_a_resident_complains_gets_a_stage_1_response_and_takes_it_to_stage_2(live_cast: Cast, page: Any) -> None:
    handler = make_staff("complaints@staff.example.org", [StaffRole.COMPLAINTS_HANDLER], [])

    sign_in(page, "alice@example.org", PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Complaints").click()
    heading(page, "Complaints")
    page.get_by_role("button", name="Make a complaint").click()
    heading(page, "Make a complaint")
    page.get_by_role("button", name="Send your complaint").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what your complaint is about")
    check_accessibility(page)
    page.get_by_label("What is your complaint about?").fill("Nobody came to fix the boiler for three weeks.")
    page.get_by_label("What would you like us to do to put things right?").fill("Fix it and say sorry.")
    page.get_by_role("button", name="Send your complaint").click()

    heading(page, "Your complaint: stage 1")
    expect(page.get_by_text("We must acknowledge it by")).to_be_visible()
    complaint = Complaint.objects.get()
    page.context.clear_cookies()

    sign_in_with_code(page, handler)
    page.goto("/staff/complaints/")
    heading(page, "Complaints queue")
    page.get_by_role("link", name=complaint.reference).click()
    heading(page, "Stage 1")
    page.get_by_role("button", name="Acknowledge stage 1").click()
    expect(page.get_by_text("Complaint acknowledged").first).to_be_visible()
    respond = page.get_by_role("region", name="Respond")
    respond.get_by_role("button", name="Send the response").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_accessibility(page)
    respond = page.get_by_role("region", name="Respond")
    respond.get_by_label("Partly upheld").check()
    respond.get_by_label("Your response").fill("We are sorry for the wait. The boiler is now fixed.")
    respond.get_by_role("button", name="Send the response").click()
    expect(page.get_by_text("Response sent").first).to_be_visible()
    check_accessibility(page)
    page.context.clear_cookies()

    sign_in(page, "alice@example.org", PASSWORD)
    page.goto(f"/complaints/{complaint.uuid}/")
    heading(page, "Your complaint: stage 1")
    expect(page.get_by_role("link", name="Download our stage 1 response (PDF)")).to_be_visible()
    page.get_by_role("link", name="Take your complaint to stage 2").click()
    heading(page, "Ask us to look at your complaint again (stage 2)")
    page.get_by_role("button", name="Take my complaint to stage 2").click()
    heading(page, "Your complaint: stage 2")
    expect(page.get_by_role("heading", name="Stage 2: dates we must keep to")).to_be_visible()
    page.goto("/notifications/")
    expect(page.get_by_text("We have responded to your complaint").first).to_be_visible()
    check_accessibility(page)
