"""A contractor on a phone (360 px wide): signs in with a two-step code, lands on their
jobs, opens one, accepts it, arranges a visit (a past date is refused clearly), adds a
progress note and marks the job complete; the resident then sees the repair completed
(without the contractor's note, which is for the repairs team).
Every page fits the screen and is axe-clean."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD, Cast
from porch.repairs.tests.contractor_cast import contractor, job

from .conftest import assert_styled, check_accessibility
from .test_notice_journey import sign_out
from .test_resident_journeys import sign_in
from .test_staff_journeys import sign_in_with_code

pytestmark = pytest.mark.e2e


def fits_the_screen(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_contractor_completes_a_job_on_a_phone_and_the_resident_sees_it(live_cast: Cast, page: Any) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    repair = job(live_cast.resident("alice"), "a", needs_extra_help=True)
    sign_in_with_code(page, contractor("a"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your jobs")
    assert_styled(page)
    fits_the_screen(page)
    check_accessibility(page)

    page.get_by_role("link", name=re.compile(repair.reference)).click()
    expect(page.get_by_text("Someone in the home needs extra help")).to_be_visible()
    fits_the_screen(page)
    check_accessibility(page)
    page.get_by_role("button", name="Accept this job").click()
    expect(page.get_by_text("Job accepted")).to_be_visible()

    page.get_by_role("button", name="Arrange a visit").click()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page.get_by_label("Day").fill(str(yesterday.day))
    page.get_by_label("Month").fill(str(yesterday.month))
    page.get_by_label("Year").fill(str(yesterday.year))
    page.get_by_label("Time of the visit").fill("10am")
    page.get_by_role("button", name="Save the visit").click()
    expect(page).to_have_title(re.compile(r"^Error: Arrange a visit"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("must be today or in the future")
    fits_the_screen(page)
    check_accessibility(page)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.get_by_label("Day").fill(str(tomorrow.day))
    page.get_by_label("Month").fill(str(tomorrow.month))
    page.get_by_label("Year").fill(str(tomorrow.year))
    page.get_by_role("button", name="Save the visit").click()
    expect(page.get_by_text("Visit recorded for")).to_be_visible()

    page.get_by_role("button", name="Add a progress note").click()
    expect(page.locator('input[type="file"][capture="environment"]')).to_have_count(1)
    fits_the_screen(page)
    check_accessibility(page)
    page.get_by_label("What has been done").fill("Washer replaced, tap checked")
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_text("Washer replaced, tap checked")).to_be_visible()
    fits_the_screen(page)

    page.get_by_role("button", name="Mark as complete").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mark the job as complete")
    fits_the_screen(page)
    check_accessibility(page)
    page.get_by_label("What was done to complete the repair").fill("New tap fitted and tested")
    page.get_by_role("button", name="Mark as complete").click()
    expect(page.get_by_text("New tap fitted and tested")).to_be_visible()
    page.set_viewport_size({"width": 1024, "height": 768})  # the header shows "Sign out" at full width
    sign_out(page)
    sign_in(page, "alice@example.org", PASSWORD)
    page.goto(f"/repairs/{repair.uuid}/")
    expect(page.get_by_text("Completed").first).to_be_visible()
    # The contractor's words are for the repairs team, not published on the resident's page.
    expect(page.get_by_text("New tap fitted and tested")).to_have_count(0)
    check_accessibility(page)
