"""The housing record feed in a real browser: a system administrator signs in with a code,
uploads a small file of homes with one bad row, reads the preview, applies it, sees it reach
"Applied" and downloads the problem report; then the DPO decides about a person held as a
lookalike. The task worker runs in this process, as `make run` runs it beside the server."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from conftest import Cast
from porch.feed.models import FeedBatch, HeldPerson
from porch.feed.tests.files import PLACE, PROPERTIES, csv_bytes
from porch.housing.models import Property

from .conftest import assert_styled, check_accessibility
from .test_notice_journey import sign_out
from .test_staff_journeys import sign_in_with_code

pytestmark = pytest.mark.e2e

PLACE_ROW = ["BL-1", "Alder House", "ES-1", "Elm Estate", "North"]
HOMES = csv_bytes(
    PROPERTIES + PLACE,
    [
        ["PR-1", "", "Flat 1, Alder House", "", "Manchester", "M14 5TQ", *PLACE_ROW],
        ["PR-2", "", "Flat 2, Alder House", "", "Manchester", "NOT A POSTCODE", *PLACE_ROW],
        ["PR-3", "", "Flat 3, Alder House", "", "Manchester", "M14 5TQ", *PLACE_ROW],
    ],
)
WHY = "This is not a UK postcode."


def run_the_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")


def status(page: Any) -> Any:
    return page.locator(".govuk-summary-list__row", has=page.get_by_text("Status", exact=True)).locator(".govuk-tag")


def test_an_administrator_uploads_previews_and_applies_a_batch(live_cast: Cast, page: Any, tmp_path: Path) -> None:
    sign_in_with_code(page, live_cast.staff["admin"])
    page.get_by_role("link", name="Housing record feed", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Housing record feed")
    assert_styled(page)
    check_accessibility(page)

    page.get_by_role("button", name="Upload file").click()  # nothing chosen: the error summary
    expect(page).to_have_title(re.compile(r"^Error: Housing record feed"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select what the file holds")
    check_accessibility(page)

    page.get_by_label("Homes").check()
    page.get_by_label("Upload a file").set_input_files({"name": "homes.csv", "mimeType": "text/csv", "buffer": HOMES})
    page.get_by_role("button", name="Upload file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Homes: homes.csv")
    expect(status(page)).to_have_text("Received, waiting to be checked")
    expect(page.get_by_text("This page does not update by itself")).to_be_visible()
    check_accessibility(page)

    run_the_worker()  # checks the file and previews it
    page.get_by_role("link", name="Refresh the page").click()
    expect(status(page)).to_have_text("Checked: ready to apply")
    changes = page.get_by_role("table", name=re.compile(r"^The changes"))
    expect(changes).to_contain_text("PR-1: a new home")
    expect(changes).to_contain_text("PR-3: a new home")
    expect(page.get_by_role("table", name="Problems found in the preview")).to_contain_text(WHY)
    check_accessibility(page)
    assert not Property.objects.filter(hms_reference__in=["PR-1", "PR-3"]).exists()  # a preview keeps nothing

    page.get_by_role("button", name="Apply this batch").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The batch is being applied")
    expect(status(page)).to_have_text("Being applied")
    check_accessibility(page)

    run_the_worker()  # applies it
    page.get_by_role("link", name="Refresh the page").click()
    expect(status(page)).to_have_text("Applied")
    expect(page.get_by_text("This page does not update by itself")).to_have_count(0)
    applied = page.get_by_role("table", name="Problems found applying it")
    expect(applied).to_contain_text(WHY)
    check_accessibility(page)
    assert set(Property.objects.filter(hms_reference__startswith="PR-").values_list("hms_reference", flat=True)) == {
        "PR-1",
        "PR-3",
    }

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the problems found applying it (CSV)").click()
    download = download_info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    rows = list(csv.reader(io.StringIO(saved.read_text())))
    assert rows == [["line", "field", "why"], ["3", "postcode", WHY]]

    # A person a people file held because they look like Alice: shown beside her, and left out.
    alice = live_cast["ashton"].people["alice"]
    HeldPerson.objects.create(
        batch=FeedBatch.objects.get(),
        line=2,
        housing_reference="P-NEW",
        first_name=alice.first_name,
        last_name=alice.last_name,
        date_of_birth=alice.date_of_birth,
        looks_like=alice,
    )
    # Only the DPO decides about held people: their name and date of birth are residents' data.
    sign_out(page)
    sign_in_with_code(page, live_cast.staff["dpo"])
    page.goto("/staff/feed/")
    page.get_by_role("link", name="people held by the feed").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People held by the housing record feed")
    expect(page.get_by_role("table")).to_contain_text(live_cast["ashton"].tenancy.reference)
    check_accessibility(page)
    page.get_by_role("button", name="Leave out P-NEW").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Left out")
    expect(page.get_by_text("Nobody is waiting for a decision")).to_be_visible()
    check_accessibility(page)
