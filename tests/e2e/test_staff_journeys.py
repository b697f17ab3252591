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
    page.get_by_label("Search by tenancy reference, postcode, surname or address").fill(ashton.tenancy.reference)
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
