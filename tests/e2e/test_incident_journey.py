"""A privacy incident in a real browser: a resident reports it, the person on call
acknowledges from the link in their email, and the DPO switches the module off."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD, Cast
from porch.incidents import escalation
from porch.incidents.models import Incident, OnCallShift

from .conftest import check_accessibility
from .test_resident_journeys import sign_in
from .test_staff_journeys import sign_in_with_code

pytestmark = pytest.mark.e2e


def test_a_report_is_acknowledged_from_the_call_and_the_dpo_switches_documents_off(
    live_cast: Cast, page: Any, browser: Any, live_server: Any, settings: Any
) -> None:
    settings.PORTAL_URL = live_server.url
    dpo = live_cast.staff["dpo"]
    now = timezone.now()
    OnCallShift.objects.create(
        user=dpo, rung=1, starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(days=1)
    )

    # Alice sees something that is not hers and reports it from the footer of the page.
    sign_in(page, "alice@example.org", PASSWORD)
    page.goto("/documents/")
    page.get_by_role("link", name="Report a privacy problem").click()
    page.get_by_label("What did you see?").fill("A letter with another family's name on it")
    check_accessibility(page)
    page.get_by_role("button", name=re.compile("Send")).click()
    expect(page.get_by_text("What happens next")).to_be_visible()
    check_accessibility(page)
    incident = Incident.objects.get()
    report = incident.reports.get()
    assert report.page == "/documents/" and report.reported_by == live_cast.resident("alice")
    # One reference for both sides: the one Alice is given is the one the DPO is called about.
    assert report.reference == incident.reference
    expect(page.get_by_text(incident.reference)).to_be_visible()

    # The worker calls the DPO (call 1) by email; the link in it acknowledges with one click.
    assert escalation.send_due(now=timezone.now()) == 1
    link = re.search(r"(http://\S+/on-call/acknowledge/\S+)", mail.outbox[-1].body).group(1)  # type: ignore[union-attr]
    phone = browser.new_context(base_url=live_server.url).new_page()
    phone.goto(link)
    expect(phone.get_by_role("heading", name=f"Acknowledge privacy problem {incident.reference}")).to_be_visible()
    check_accessibility(phone)
    phone.get_by_role("button", name="I am dealing with it").click()
    expect(phone.get_by_role("heading", name="Acknowledged")).to_be_visible()
    check_accessibility(phone)
    phone.context.close()
    incident.refresh_from_db()
    assert incident.status == "acknowledged" and incident.acknowledged_by == dpo

    # The DPO opens the incident: the report came from a documents page, so Documents is
    # chosen (never the whole portal), and one click switches it off for everyone.
    dpo_page = browser.new_context(base_url=live_server.url).new_page()
    sign_in_with_code(dpo_page, dpo)
    dpo_page.goto(f"/staff/privacy-problems/{incident.uuid}/")
    expect(dpo_page.get_by_role("heading", name=incident.reference)).to_be_visible()
    check_accessibility(dpo_page)
    expect(dpo_page.get_by_label("Documents", exact=True)).to_be_checked()
    expect(dpo_page.get_by_label("The whole portal", exact=True)).not_to_be_checked()
    dpo_page.get_by_role("button", name="Switch off now").click()
    expect(dpo_page.get_by_text("Documents: switched off for everyone.")).to_be_visible()
    check_accessibility(dpo_page)
    dpo_page.context.close()
    incident.refresh_from_db()
    assert incident.status == "contained" and incident.contained_at is not None

    # Alice's documents page is now the plain "not available" page.
    resident = browser.new_context(base_url=live_server.url).new_page()
    sign_in(resident, "alice@example.org", PASSWORD)
    resident.goto("/documents/")
    expect(resident.get_by_role("heading", name="Sorry, this service is not available right now")).to_be_visible()
    resident.context.close()
