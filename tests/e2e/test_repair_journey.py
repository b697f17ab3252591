"""Reporting a repair in a real browser: Alice reports a dripping tap with a photo, books a
slot, and finds it on "Your repairs". axe-core checks every page of the journey."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from conftest import PASSWORD, Cast
from porch.repairs.models import Repair, Slot

from .conftest import assert_styled, check_accessibility
from .test_resident_journeys import sign_in

pytestmark = pytest.mark.e2e


def answer(page: Any, heading: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    check_accessibility(page)


def test_a_resident_reports_a_repair_with_a_photo_and_books_a_slot(live_cast: Cast, page: Any, tmp_path: Any) -> None:
    starts = timezone.now() + datetime.timedelta(days=5)
    slot = Slot.objects.create(
        patch=live_cast.patches["north"], starts_at=starts, ends_at=starts + datetime.timedelta(hours=4)
    )
    photo = tmp_path / "tap.jpg"
    Image.new("RGB", (64, 48), "blue").save(photo, format="JPEG")

    sign_in(page, "alice@example.org", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Alice")
    page.get_by_role("region", name="Repairs").get_by_role("link", name="Report a repair").click()

    answer(page, "Is it one of these emergencies?")
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select an emergency")
    assert_styled(page)
    check_accessibility(page)
    page.get_by_label("No, none of these").check()
    page.get_by_role("button", name="Continue").click()

    answer(page, "Where is the problem?")
    page.get_by_label("In my home").check()
    page.get_by_role("button", name="Continue").click()
    answer(page, "Which part of your home is it in?")
    page.get_by_label("Kitchen").check()
    page.get_by_role("button", name="Continue").click()
    answer(page, "What is the problem?")
    page.get_by_label("Dripping or broken tap").check()
    page.get_by_role("button", name="Continue").click()
    answer(page, "Describe the problem")
    page.get_by_label("Describe the problem").fill("The kitchen tap drips all night.")
    page.get_by_role("button", name="Continue").click()

    answer(page, "Add photos (optional)")
    page.get_by_label("Upload a photo").set_input_files(str(photo))
    page.get_by_role("button", name="Add this photo").click()
    expect(page.get_by_text("Photo 1", exact=True)).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Continue").click()

    answer(page, "Letting us in")
    page.get_by_label("When can someone let us in?").fill("Weekday mornings")
    page.get_by_label("Someone in the home needs extra help").check()
    page.get_by_role("button", name="Continue").click()
    answer(page, "Who should we contact?")
    expect(page.get_by_label("Name", exact=True)).to_have_value(re.compile(r"^Alice "))
    page.get_by_label("Phone number").fill("07700 900982")
    page.get_by_label("By text message").check()
    page.get_by_role("button", name="Continue").click()

    answer(page, "When would you like us to come?")
    page.get_by_label(str(slot)).check()
    page.get_by_role("button", name="Continue").click()
    answer(page, "Check your answers before reporting your repair")
    expect(page.locator(".govuk-summary-list")).to_contain_text(str(slot))
    page.get_by_role("button", name="Report repair").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Repair reported")
    repair = Repair.objects.get()
    expect(page.locator(".govuk-panel")).to_contain_text(repair.reference)
    expect(page.get_by_text(str(slot))).to_be_visible()
    check_accessibility(page)
    assert repair.photos.count() == 1 and repair.needs_extra_help

    page.get_by_role("link", name="See all your repairs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your repairs")
    row = page.get_by_role("row", name=re.compile(repair.reference))
    expect(row).to_contain_text("Appointment booked")
    check_accessibility(page)
    row.get_by_role("link", name=repair.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dripping or broken tap")
    expect(page.get_by_role("link", name="Change the appointment")).to_be_visible()
    check_accessibility(page)
