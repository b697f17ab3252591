"""Notices in a real browser: the North housing officer posts one to Ash House; Alice (a
tenant) and Dan (a homeowner) see it on their home page; Sam, in Birch Court, does not."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, Cast

from .conftest import assert_styled, check_accessibility
from .test_resident_journeys import sign_in
from .test_staff_journeys import sign_in_with_code

pytestmark = pytest.mark.e2e

TITLE = "Lift out of service"


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/sign-in/"))


def test_an_officer_posts_a_notice_that_only_the_block_sees(live_cast: Cast, page: Any) -> None:
    sign_in_with_code(page, live_cast.staff["north"])
    page.get_by_role("link", name="Notices for blocks and estates").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notices for blocks and estates")
    check_accessibility(page)
    page.get_by_role("button", name="Post a notice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Post a notice")
    expect(page.get_by_text("Do not name any resident").first).to_be_visible()
    check_accessibility(page)

    page.get_by_role("button", name="Post notice").click()
    expect(page).to_have_title(re.compile(r"^Error: Post a notice"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select who the notice is for")
    check_accessibility(page)

    page.get_by_label("Who is it for?").select_option(label="Ash House, Elm Estate")
    page.get_by_label("Lift out of service").check()
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("What residents need to know").fill("The lift is being repaired. Call us if you need help.")
    page.get_by_role("button", name="Post notice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("Everyone in Ash House")).to_be_visible()
    assert_styled(page)
    check_accessibility(page)
    sign_out(page)

    for resident in ("alice", "dan"):
        sign_in(page, f"{resident}@example.org", PASSWORD)
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {resident.capitalize()}")
        panel = page.get_by_role("region", name="Notices for your building")
        expect(panel).to_contain_text(TITLE)
        check_accessibility(page)
        if resident == "alice":
            panel.get_by_role("link").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Notices for your building")
            expect(page.get_by_role("heading", level=2, name=TITLE)).to_be_visible()
            check_accessibility(page)
        sign_out(page)

    sign_in(page, "sam@example.org", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Sam")
    expect(page.locator("main")).not_to_contain_text(TITLE)
    page.goto("/notices/")
    expect(page.get_by_text("There are no notices for your building")).to_be_visible()
    check_accessibility(page)
