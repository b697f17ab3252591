from __future__ import annotations

import datetime
import re

from django.core import mail
from django.test import Client
from django.utils import timezone

from conftest import Cast, sign_in
from porch.incidents import escalation
from porch.incidents.models import Incident, PrivacyReport


def key_from(page: str) -> str:
    return re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]


def test_every_page_links_to_report_a_privacy_problem_with_the_page_captured(cast: Cast) -> None:
    for client, path in (
        (Client(), "/sign-in/"),
        (sign_in(Client(), cast.resident("alice")), "/documents/"),
        (sign_in(Client(), cast.staff["north"]), "/staff/"),
    ):
        page = client.get(path).content.decode()
        assert f'href="/report-a-privacy-problem/?from={path}"' in page


def test_anyone_signed_out_can_report_and_the_dpo_is_alerted(db, django_capture_on_commit_callbacks, settings) -> None:
    settings.INCIDENT_ALERT_EMAILS = ["dpo@example.org", "engineer@example.org"]
    client = Client()
    form = client.get("/report-a-privacy-problem/", {"from": "/documents/"}).content.decode()
    assert 'name="page" value="/documents/"' in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/report-a-privacy-problem/",
            {
                "idempotency_key": key_from(form),
                "page": "/documents/",
                "what_seen": "Another family's rent letter",
                "contact": "07700900001",
            },
        )
    report = PrivacyReport.objects.get()
    page = response.content.decode()
    assert report.reference in page and "What happens next" in page
    assert report.page == "/documents/" and report.channel == "web"
    # The escalation ladder calls the alert list (the rota is empty) as soon as the worker runs.
    assert escalation.send_due(now=timezone.now()) == 2
    assert sorted(message.to[0] for message in mail.outbox) == ["dpo@example.org", "engineer@example.org"]
    assert report.incident.reference in mail.outbox[0].subject
    assert "Another family's rent letter" not in mail.outbox[0].body  # calls carry no personal data


def test_a_double_submit_makes_one_report(db) -> None:
    client = Client()
    data = {"idempotency_key": key_from(client.get("/report-a-privacy-problem/").content.decode()), "what_seen": "x"}
    client.post("/report-a-privacy-problem/", data)
    client.post("/report-a-privacy-problem/", data)
    assert PrivacyReport.objects.count() == 1 and Incident.objects.count() == 1


def test_an_empty_report_shows_the_error_summary(db) -> None:
    client = Client()
    page = client.post(
        "/report-a-privacy-problem/",
        {"idempotency_key": key_from(client.get("/report-a-privacy-problem/").content.decode())},
    ).content.decode()
    assert "There is a problem" in page and "Tell us what you saw" in page


def test_reporting_works_while_the_portal_is_switched_off(cast: Cast) -> None:
    sign_in(Client(), cast.staff["dpo"]).post("/staff/switches/portal/off/", {"reason": "Incident"})
    assert sign_in(Client(), cast.resident("alice")).get("/report-a-privacy-problem/").status_code == 200


def test_staff_log_a_call_and_the_dpo_sees_it_with_the_ico_deadline(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:
    cs = sign_in(Client(), cast.staff["cs"])
    form = cs.get("/staff/privacy-problems/new/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        cs.post(
            "/staff/privacy-problems/new/",
            {
                "idempotency_key": key_from(form),
                "contact_name": "Pat",
                "contact": "07700900002",
                "what_seen": "A neighbour's ASB letter",
            },
        )
    report = PrivacyReport.objects.get()
    assert report.channel == "phone" and report.logged_by == cast.staff["cs"] and report.reported_by is None
    assert report.incident.notifications.filter(rung=1, status="queued").exists()  # on-call called next
    page = sign_in(Client(), cast.staff["dpo"]).get("/staff/privacy-problems/").content.decode()
    assert report.incident.reference in page and "A neighbour&#x27;s ASB letter" in page
    assert report.incident.ico_deadline == report.incident.aware_at + datetime.timedelta(hours=72)


def test_an_outside_address_is_not_kept_as_the_page(db) -> None:
    form = Client().get("/report-a-privacy-problem/", {"from": "https://evil.example/phish"}).content.decode()
    assert "evil.example" not in form


def test_the_dpo_switches_a_module_off_from_the_incident_in_one_click(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:
    client = Client()
    form = client.get("/report-a-privacy-problem/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/report-a-privacy-problem/", {"idempotency_key": key_from(form), "what_seen": "Someone else's letter"}
        )
    incident = Incident.objects.get()
    dpo = sign_in(Client(), cast.staff["dpo"])
    page = dpo.get(f"/staff/privacy-problems/{incident.uuid}/").content.decode()
    assert "Tell the ICO by" in page and "Waiting" in page  # call 1, before the worker has run
    dpo.post(f"/staff/privacy-problems/{incident.uuid}/contain/", {"module": "documents"})
    incident.refresh_from_db()
    assert incident.status == "contained"
    assert sign_in(Client(), cast.resident("alice")).get("/documents/").status_code == 503
    timeline = [entry.what for entry in incident.timeline.all()]
    assert any(entry.startswith("Reported") for entry in timeline)
    assert timeline[-1] == "Switched off for everyone: documents"
    dpo.post(f"/staff/privacy-problems/{incident.uuid}/status/", {"status": "assessed"})
    incident.refresh_from_db()
    assert incident.status == "assessed"
