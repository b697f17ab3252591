"""Staff in a real browser: two-factor sign-in and finding a tenancy."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from conftest import PASSWORD, Cast

from .conftest import assert_styled, check_accessibility
from .test_resident_journeys import sign_in

pytestmark = pytest.mark.e2e


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_a_housing_officer_signs_in_with_a_code_and_finds_a_tenancy(live_cast: Cast, page: Any) -> None:
    officer = live_cast.staff["north"]
    ashton = live_cast["ashton"]

    sign_in(page, officer.username, PASSWORD)
    expect(page).to_have_url(re.compile(r"/sign-in/code/$"))
    assert_styled(page)
    check_accessibility(page)
    device = TOTPDevice.objects.get(user=officer, confirmed=True)
    page.get_by_label("Code").fill(current_code(device))
    page.get_by_role("button", name="Continue").click()
    expect(page).not_to_have_url(re.compile(r"/sign-in/"))
    check_accessibility(page)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Find a tenancy").click()
    expect(page).to_have_url(re.compile(r"/staff/tenancies/$"))
    check_accessibility(page)
    page.get_by_label("Search by tenancy reference, postcode, name or address").fill(ashton.tenancy.reference)
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 result")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("link", name=ashton.tenancy.reference, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/staff/tenancies/{ashton.tenancy.uuid}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(ashton.marker)
    documents = page.locator("table", has=page.get_by_role("columnheader", name="Residents can see it"))
    for kind in ("letter", "addressed", "note", "agreement"):
        expect(documents.get_by_role("link", name=ashton.documents[kind].title, exact=True)).to_be_visible()
    # ASB case files are for ASB officers only, not the housing officer.
    expect(documents).not_to_contain_text(ashton.documents["asb"].title)
    check_accessibility(page)


def sign_in_with_code(page: Any, user: Any) -> None:
    sign_in(page, user.username, PASSWORD)
    expect(page).to_have_url(re.compile(r"/sign-in/code/$"))
    page.get_by_label("Code").fill(current_code(TOTPDevice.objects.get(user=user, confirmed=True)))
    page.get_by_role("button", name="Continue").click()
    expect(page).not_to_have_url(re.compile(r"/sign-in/"))


def test_customer_services_view_as_a_resident_then_end_it(live_cast: Cast, page: Any) -> None:
    adviser = live_cast.staff["cs"]
    adviser.role_grants.create(role="view_as")
    ashton = live_cast["ashton"]
    alice = ashton.people["alice"]

    sign_in_with_code(page, adviser)
    page.goto(f"/staff/tenancies/{ashton.tenancy.uuid}/")
    page.get_by_role("link", name=f"View as {alice.full_name}").click()
    expect(page).to_have_url(re.compile(r"/account/confirm-password/"))
    check_accessibility(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(alice.full_name)
    check_accessibility(page)
    page.get_by_label("To help with their call or visit").check()
    page.get_by_label("Call, visit or case reference").fill("CALL-1001")
    page.get_by_role("button", name="Start").click()

    banner = page.get_by_role("region", name="Viewing as a resident")
    expect(banner).to_contain_text(adviser.username)
    expect(page.get_by_role("heading", name="Hello, Alice")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Documents").click()
    expect(banner).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(ashton.documents["letter"].title))).to_be_visible()
    check_accessibility(page)

    banner.get_by_role("button", name="End now").click()
    expect(page).to_have_url(re.compile(r"/staff/$"))
    expect(page.get_by_role("region", name="Viewing as a resident")).to_have_count(0)
    check_accessibility(page)


def test_a_dpo_switches_documents_off_and_a_resident_sees_the_unavailable_page(
    live_cast: Cast, page: Any, browser: Any, live_server: Any
) -> None:
    sign_in_with_code(page, live_cast.staff["dpo"])
    page.get_by_role("link", name="Switch parts of the portal off").click()
    check_accessibility(page)
    page.get_by_label("Why? (Documents, everyone)").fill("Incident 7: checking a report")
    page.get_by_role("button", name=re.compile(r"^Switch off.*Documents, everyone$")).click()
    expect(
        page.get_by_role("row", name=re.compile("Documents Everyone")).get_by_text("Off", exact=True)
    ).to_be_visible()
    check_accessibility(page)

    resident = browser.new_context(base_url=live_server.url).new_page()
    sign_in(resident, "alice@example.org", PASSWORD)
    resident.goto("/documents/")
    expect(resident.get_by_role("heading", name="Sorry, this service is not available right now")).to_be_visible()
    check_accessibility(resident)
    resident.context.close()


def test_an_income_officer_agrees_a_payment_arrangement(live_cast: Cast, page: Any) -> None:
    """Alice asked to pay off her arrears at £10 a week; the income officer finds it from the
    staff home and agrees it; Alice's account then shows the agreement."""
    from porch.money.models import PaymentArrangement
    from porch.money.tests.arrangement_helpers import a_proposal
    from porch.money.tests.helpers import income_officer

    proposal = a_proposal(live_cast)
    sign_in_with_code(page, income_officer(live_cast))
    page.goto("/staff/")
    page.get_by_role("link", name="Payment arrangements").click()
    check_accessibility(page)
    page.get_by_role("link", name=re.compile(proposal.account.hms_reference)).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_role("alert")).to_contain_text("Select what you have decided")
    check_accessibility(page)
    page.get_by_label("Agree to what they asked for").check()
    page.get_by_role("button", name="Save the decision").click()
    expect(page).to_have_url(re.compile(r"/staff/income/arrangements/$"))
    check_accessibility(page)
    proposal.refresh_from_db()
    assert proposal.status == PaymentArrangement.Status.AGREED and proposal.agreed_pence == 1000
