"""Residents in a real browser: signing up, signing in, documents, and errors."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from conftest import PASSWORD, Cast
from porch.housing.models import Membership, Person
from porch.money.tests.govuk_pay_server import API_KEY, WEBHOOK_SECRET, GovukPayServer, govuk_pay_server
from porch.money.tests.helpers import an_account

from .conftest import assert_styled, check_accessibility

pytestmark = pytest.mark.e2e

SIGN_IN_NAME = "Email address, mobile number or customer reference"


def sign_in(page: Any, username: str, password: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label(SIGN_IN_NAME).fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_a_newcomer_signs_up_and_lands_on_their_dashboard(live_cast: Cast, page: Any) -> None:
    cole = live_cast["cole"]
    nia = Person.objects.create(
        housing_reference="P9001",
        first_name="Nia",
        last_name="Cole",
        date_of_birth=datetime.date(1990, 6, 15),
        email="nia@example.org",
    )
    Membership.objects.create(
        tenancy=cole.tenancy, person=nia, role=Membership.Role.JOINT_TENANT, start_date=datetime.date(2020, 1, 1)
    )

    page.goto("/sign-up/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    assert_styled(page)
    check_accessibility(page)
    page.get_by_label("Tenancy or account reference").fill(cole.tenancy.reference)
    page.get_by_label("Day").fill("15")
    page.get_by_label("Month").fill("6")
    page.get_by_label("Year").fill("1990")
    page.get_by_label("Postcode of your home").fill(cole.tenancy.property.postcode.lower())
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(re.compile(r"/sign-up/code/$"))
    check_accessibility(page)
    assert mail.outbox == []  # the code is sent by the worker, never by the request
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    # The worker runs in this process, so its locmem outbox is ours.
    assert [message.to for message in mail.outbox] == [["nia@example.org"]]
    match = re.search(r"code is (\d{6})", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    page.get_by_label("Code").fill(match.group(1))
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(re.compile(r"/sign-up/password/$"))
    check_accessibility(page)
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Enter the password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Nia")
    expect(page.get_by_text(cole.tenancy.property.address_line_1).first).to_be_visible()
    check_accessibility(page)


@pytest.fixture
def govuk_pay(live_server: Any, settings: Any) -> Iterator[GovukPayServer]:
    """GOV.UK Pay's API and its hosted payment page on a loopback server, sending the browser
    back to the live portal."""
    with govuk_pay_server() as server:
        settings.PAYMENTS_PROVIDER, settings.GOVUK_PAY_API_URL = "govuk_pay", server.url
        settings.GOVUK_PAY_API_KEY, settings.GOVUK_PAY_WEBHOOK_SECRET = API_KEY, WEBHOOK_SECRET
        settings.PORTAL_URL, settings.PAYMENTS_PAGE_ORIGINS = live_server.url, [server.url]
        yield server


def test_alice_sees_her_home_downloads_her_letter_pays_her_rent_and_cannot_reach_the_coles(
    live_cast: Cast, page: Any, tmp_path: Path, govuk_pay: GovukPayServer
) -> None:
    ashton, cole = live_cast["ashton"], live_cast["cole"]
    an_account(ashton.tenancy, ("Rent and service charges", 9840), ("Payment, thank you", -5000))
    coles = an_account(cole.tenancy, (f"Rent {cole.marker}", 9840))
    sign_in(page, "alice@example.org", PASSWORD)

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Alice")
    assert_styled(page)
    household = page.locator(".govuk-summary-list__row", has_text="Household")
    for name in ("alice", "bob", "amy"):
        expect(household).to_contain_text(ashton.people[name].full_name)
    address = page.locator(".govuk-summary-list__row", has_text="Address")
    expect(address).to_contain_text(ashton.tenancy.property.address_line_1)
    expect(address).to_contain_text(ashton.tenancy.property.postcode)
    check_accessibility(page)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Documents").click()
    expect(page).to_have_url(re.compile(r"/documents/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your documents")
    check_accessibility(page)
    letter = ashton.documents["letter"]
    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"{letter.title} (download)").click()
    download = download_info.value
    assert download.suggested_filename == f"{letter.title}.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Rent and service charges").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your rent and service charges")
    expect(page.get_by_text("You owe £48.40: your account is in arrears")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name=re.compile("See your transactions")).click()
    expect(page.get_by_role("table")).to_contain_text("Payment, thank you")
    check_accessibility(page)

    page.get_by_role("link", name="Download a statement").click()
    check_accessibility(page)
    with page.expect_download() as statement:
        page.get_by_role("link", name="PDF of the last 3 months").click()
    saved = tmp_path / statement.value.suggested_filename
    statement.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")

    page.get_by_role("link", name=re.compile("Back to your rent")).click()
    page.get_by_role("button", name="Pay by card").click()
    expect(page.get_by_label("How much do you want to pay?")).to_have_value("48.40")
    page.get_by_label("How much do you want to pay?").fill("10.005")
    page.get_by_role("button", name="Continue to payment").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the amount to the nearest penny")
    check_accessibility(page)
    page.get_by_label("How much do you want to pay?").fill("10.00")
    page.get_by_role("button", name="Continue to payment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pay £10.00")  # the provider's own page
    page.get_by_role("button", name="Confirm payment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Payment received")
    check_accessibility(page)
    (paid,) = govuk_pay.created()
    assert paid["amount"] == 1000
    page.get_by_role("link", name=re.compile("Go to your rent account")).click()
    expect(page.get_by_text("Payments on their way")).to_be_visible()

    response = page.goto(f"/rent/{coles.uuid}/")
    assert response is not None and response.status == 404
    assert cole.marker not in response.text()

    response = page.goto(f"/documents/{cole.documents['letter'].uuid}/download/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert cole.marker not in page.content()
    assert cole.marker not in response.text()
    check_accessibility(page)


def test_a_wrong_password_shows_the_error_summary_and_moves_focus_to_it(live_cast: Cast, page: Any) -> None:
    page.goto("/sign-in/")
    check_accessibility(page)
    sign_in(page, "alice@example.org", "not the password at all")

    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter a correct sign-in name and password")
    # GOV.UK Frontend's ErrorSummary component focuses the summary on load.
    expect(summary).to_be_focused()
    assert_styled(page)
    check_accessibility(page)


def test_dan_reads_his_service_charge_invoice_and_its_breakdown(live_cast: Cast, page: Any, tmp_path: Path) -> None:
    """A homeowner finds his invoice from his account, reads each shared cost and his share,
    and downloads it as a PDF; a tenant in his block never reaches it."""
    from porch.money.tests.invoice_helpers import a_service_charge_account, an_invoice

    invoice = an_invoice(a_service_charge_account(live_cast["dunn"].tenancy))
    sign_in(page, "dan@example.org", PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Rent and service charges").click()
    page.get_by_role("link", name=re.compile("See your transactions")).click()
    page.get_by_role("link", name=re.compile(invoice.hms_reference)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Service-charge invoice")
    expect(page.get_by_role("table").first).to_be_visible()
    check_accessibility(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this invoice as a PDF").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    page.context.clear_cookies()  # another browser: Carol, a tenant in the same block
    sign_in(page, "carol@example.org", PASSWORD)
    response = page.goto(f"/rent/invoices/{invoice.uuid}/")
    assert response is not None and response.status == 404
