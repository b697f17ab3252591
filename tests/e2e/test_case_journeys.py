"""Anti-social behaviour and messages in a real browser, axe-checked on every page.

Alice reports noise with a photo and a sound recording and adds a diary entry; the ASB officer
publishes an update, and links the report to the record of the neighbour it names; Alice reads
the update and finds the recording she sent. Alice writes to her housing officer with a PDF attached, privately;
the housing officer takes the thread and replies; Alice reads the reply, and Bob, her joint
tenant, sees neither her report nor her private thread."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect

from conftest import PASSWORD, Cast, pdf_bytes
from porch.asb.models import AsbCase
from porch.messages.models import Thread

from .conftest import check_accessibility
from .test_resident_journeys import sign_in
from .test_staff_journeys import sign_in_with_code

pytestmark = pytest.mark.e2e
RECORDINGS = Path(__file__).resolve().parents[2] / "porch" / "core" / "tests" / "recordings"


def heading(page: Any, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)
    check_accessibility(page)


def menu(page: Any, name: str) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name=name).click()


def test_a_resident_reports_noise_keeps_a_diary_and_reads_the_asb_officers_update(
    live_cast: Cast, page: Any, tmp_path: Any
) -> None:
    photo = tmp_path / "stairwell.jpg"
    Image.new("RGB", (64, 48), "grey").save(photo, format="JPEG")

    sign_in(page, "alice@example.org", PASSWORD)
    menu(page, "Report anti-social behaviour")
    heading(page, "Anti-social behaviour")
    page.get_by_role("button", name="Report anti-social behaviour").click()
    heading(page, "Report anti-social behaviour")
    expect(page.get_by_text("call 999").first).to_be_visible()
    page.get_by_role("button", name="Send your report").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what happened")
    check_accessibility(page)
    page.get_by_label("What happened?").fill("Loud music and shouting from the flat above until 3am.")
    page.get_by_label("When did it happen?").fill("Last night, 11pm to 3am")
    page.get_by_label("In or around my block").check()
    page.get_by_label("No", exact=True).check()
    page.get_by_label("Photos (optional)").set_input_files(str(photo))
    page.get_by_label("Sound or video recordings (optional)").set_input_files(str(RECORDINGS / "voice.m4a"))
    page.get_by_role("button", name="Send your report").click()
    heading(page, "Your report")
    expect(page.get_by_role("link", name=re.compile("Download sound recording 2"))).to_be_visible()

    page.get_by_role("button", name="Add to your diary").click()
    check_accessibility(page)
    page.get_by_label("What happened this time?").fill("The music started again at midnight.")
    page.get_by_label("When did it happen?").fill("Saturday at about midnight")
    page.get_by_role("button", name="Add to your diary").click()
    heading(page, "Your report")
    expect(page.get_by_text("The music started again at midnight.")).to_be_visible()
    case = AsbCase.objects.get()
    page.context.clear_cookies()

    sign_in_with_code(page, live_cast.staff["asb"])
    page.goto(f"/staff/asb/{case.uuid}/")
    heading(page, "Anti-social behaviour report")
    publish = page.get_by_role("region", name="Tell the reporter")
    publish.get_by_label("An update").check()
    publish.get_by_label("Text").fill("We have written to the household above and will visit on Friday.")
    publish.get_by_role("button", name="Publish to the reporter").click()
    expect(page.get_by_text("We have written to the household above").first).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name=re.compile("Find their record")).click()
    heading(page, "Link the report to the record of the person it names")
    page.get_by_label("Search by name, tenancy reference, postcode or address").fill("Cole")
    page.get_by_role("button", name="Search").click()
    check_accessibility(page)
    page.get_by_role("button", name=re.compile("Link the report to Carol")).click()
    heading(page, "Anti-social behaviour report")
    expect(page.get_by_text("The report is linked to the record of Carol")).to_be_visible()
    page.context.clear_cookies()

    sign_in(page, "alice@example.org", PASSWORD)
    page.goto(f"/anti-social-behaviour/{case.uuid}/")
    heading(page, "Your report")
    expect(page.get_by_text("We have written to the household above and will visit on Friday.")).to_be_visible()
    page.context.clear_cookies()

    sign_in(page, "bob@example.org", PASSWORD)
    assert page.goto(f"/anti-social-behaviour/{case.uuid}/").status == 404  # her report is hers alone


def test_a_private_message_with_a_file_is_answered_by_the_housing_officer(
    live_cast: Cast, page: Any, tmp_path: Any
) -> None:
    letter = tmp_path / "carer-letter.pdf"
    letter.write_bytes(pdf_bytes("A letter from my carer"))

    sign_in(page, "alice@example.org", PASSWORD)
    menu(page, "Messages")
    heading(page, "Messages")
    page.get_by_role("button", name="Send us a message").click()
    check_accessibility(page)
    page.get_by_label("My home or my tenancy (for my housing officer)").check()
    page.get_by_label("Subject").fill("Parking for my carer")
    page.get_by_label("Only me").check()
    page.get_by_label("Your message").fill("Can my carer have a parking permit? Their letter is attached.")
    page.get_by_label("Attach a file (optional)").set_input_files(str(letter))
    page.get_by_role("button", name="Send your message").click()
    heading(page, "Parking for my carer")
    thread = Thread.objects.get()
    page.context.clear_cookies()

    sign_in_with_code(page, live_cast.staff["north"])
    page.goto(f"/staff/messages/{thread.uuid}/")
    heading(page, "Parking for my carer")
    page.get_by_role("button", name="Take this thread").click()
    page.get_by_label("Your message").fill("Yes: we have posted a permit to you today.")
    page.get_by_role("button", name="Send the reply").click()
    expect(page.get_by_text("Yes: we have posted a permit to you today.")).to_be_visible()
    check_accessibility(page)
    page.context.clear_cookies()

    sign_in(page, "alice@example.org", PASSWORD)
    page.goto(f"/messages/{thread.uuid}/")
    heading(page, "Parking for my carer")
    expect(page.get_by_text("Yes: we have posted a permit to you today.")).to_be_visible()
    page.context.clear_cookies()

    sign_in(page, "bob@example.org", PASSWORD)
    assert page.goto(f"/messages/{thread.uuid}/").status == 404  # private to Alice
