from __future__ import annotations

import datetime
import re

from django.core import mail
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from conftest import Cast, sign_in
from porch.incidents import escalation
from porch.incidents.models import Incident, Notification, PrivacyReport, ReportSender
from porch.incidents.services import NEW_INCIDENTS_PER_SENDER, SENDER_QUIET


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
    assert report.reference in mail.outbox[0].subject  # the reporter's reference is the one on call
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
    dpo.post(f"/staff/privacy-problems/{incident.uuid}/contain/", {"contain-module": "documents"})
    incident.refresh_from_db()
    assert incident.status == "contained"
    assert sign_in(Client(), cast.resident("alice")).get("/documents/").status_code == 503
    timeline = [entry.what for entry in incident.timeline.all()]
    assert any(entry.startswith("Reported") for entry in timeline)
    assert timeline[-1] == "Switched off for everyone: documents"
    dpo.post(f"/staff/privacy-problems/{incident.uuid}/status/", {"status": "assessed"})
    incident.refresh_from_db()
    assert incident.status == "assessed"


# --- A flood from one place, and a real reporter beside it ---------------------------


def report_from(address: str, what: str = "Someone else's letter", client: Client | None = None) -> HttpResponse:
    """One visitor's report: open the form, send it, from this address."""
    visitor = client or Client(REMOTE_ADDR=address)
    form = visitor.get("/report-a-privacy-problem/", REMOTE_ADDR=address).content.decode()
    return visitor.post(
        "/report-a-privacy-problem/", {"idempotency_key": key_from(form), "what_seen": what}, REMOTE_ADDR=address
    )


def reference_in(response: HttpResponse) -> str:
    assert response.status_code == 200 and "We have your report" in response.content.decode()
    return re.search(r"<strong>(PI-[0-9A-F]{6})</strong>", response.content.decode()).group(1)  # type: ignore[union-attr]


def test_a_flood_from_one_address_is_all_kept_but_opens_and_calls_a_bounded_number(
    cast: Cast, django_capture_on_commit_callbacks, settings
) -> None:
    settings.INCIDENT_ALERT_EMAILS = ["dpo@example.org"]
    flood = NEW_INCIDENTS_PER_SENDER + 9
    with django_capture_on_commit_callbacks(execute=True):
        references = [reference_in(report_from("203.0.113.7", f"Scan {n}")) for n in range(flood)]
    assert len(set(references)) == flood  # every report kept, each with its own reference
    assert PrivacyReport.objects.count() == flood
    assert Incident.objects.count() == NEW_INCIDENTS_PER_SENDER
    assert Notification.objects.count() == NEW_INCIDENTS_PER_SENDER  # one call each, not one per report
    last = Incident.objects.get(reference=references[NEW_INCIDENTS_PER_SENDER - 1])
    assert last.reports.count() == flood - NEW_INCIDENTS_PER_SENDER + 1
    joined = [entry.what for entry in last.timeline.all() if " joined this incident" in entry.what]
    assert len(joined) == flood - NEW_INCIDENTS_PER_SENDER
    assert joined[0].startswith(f"Report {references[NEW_INCIDENTS_PER_SENDER]} joined this incident")
    page = sign_in(Client(), cast.staff["dpo"]).get(f"/staff/privacy-problems/{last.uuid}/").content.decode()
    for reference in references[NEW_INCIDENTS_PER_SENDER:]:
        assert f"<strong>{reference}</strong> (joined this incident)" in page


def test_a_report_from_another_address_still_opens_its_own_incident_and_calls(
    db, django_capture_on_commit_callbacks, settings
) -> None:
    settings.INCIDENT_ALERT_EMAILS = ["dpo@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(NEW_INCIDENTS_PER_SENDER + 2):
            report_from("203.0.113.7", f"Scan {n}")
        mine = reference_in(report_from("198.51.100.9", "My neighbour's rent statement"))
    incident = Incident.objects.get(reference=mine)
    assert [report.reference for report in incident.reports.all()] == [mine]
    assert incident.notifications.count() == 1
    assert Incident.objects.count() == NEW_INCIDENTS_PER_SENDER + 1


def test_a_signed_in_resident_sharing_a_flooding_address_opens_their_own_incident(cast: Cast) -> None:
    for n in range(NEW_INCIDENTS_PER_SENDER + 2):
        report_from("203.0.113.7", f"Scan {n}")
    alice = sign_in(Client(REMOTE_ADDR="203.0.113.7"), cast.resident("alice"))
    mine = reference_in(report_from("203.0.113.7", "Another family's letter", client=alice))
    assert Incident.objects.get(reference=mine).reports.get().reported_by == cast.resident("alice")


def test_one_ipv6_network_is_one_sender_however_many_addresses_it_uses(db) -> None:
    for n in range(NEW_INCIDENTS_PER_SENDER + 4):
        reference_in(report_from(f"2001:db8:1:2::{n + 1:x}", f"Scan {n}"))
    assert Incident.objects.count() == NEW_INCIDENTS_PER_SENDER


def test_a_report_after_the_flood_incident_is_closed_or_a_quiet_hour_opens_a_new_one(db) -> None:
    for n in range(NEW_INCIDENTS_PER_SENDER):
        report_from("203.0.113.7", f"Scan {n}")
    Incident.objects.update(status=Incident.Status.CLOSED)  # the DPO has dealt with them
    after_closing = reference_in(report_from("203.0.113.7", "Still scanning"))
    assert Incident.objects.filter(reference=after_closing).exists()

    joined = reference_in(report_from("203.0.113.7", "And again"))
    assert not Incident.objects.filter(reference=joined).exists()
    ReportSender.objects.update(last_report_at=timezone.now() - SENDER_QUIET - datetime.timedelta(minutes=1))
    after_quiet = reference_in(report_from("203.0.113.7", "A new day"))
    assert Incident.objects.filter(reference=after_quiet).exists()


def test_bursts_spaced_by_quiet_hours_open_no_more_than_a_days_share(db) -> None:
    from porch.incidents.services import NEW_INCIDENTS_PER_SENDER_PER_DAY

    for burst in range(4):
        for n in range(NEW_INCIDENTS_PER_SENDER):
            report_from("203.0.113.7", f"Burst {burst} scan {n}")
        ReportSender.objects.update(last_report_at=timezone.now() - SENDER_QUIET - datetime.timedelta(minutes=1))
    assert Incident.objects.count() == NEW_INCIDENTS_PER_SENDER_PER_DAY
    assert PrivacyReport.objects.count() == 4 * NEW_INCIDENTS_PER_SENDER  # every report is still kept
    ReportSender.objects.update(day_started_at=timezone.now() - datetime.timedelta(hours=25))
    next_day = reference_in(report_from("203.0.113.7", "The next day"))
    assert Incident.objects.filter(reference=next_day).exists()


def test_a_report_that_joins_an_incident_is_told_so_truthfully(db) -> None:
    for n in range(NEW_INCIDENTS_PER_SENDER):
        page = report_from("203.0.113.7", f"Scan {n}").content.decode()
        assert "has been alerted" in page
    joined = report_from("203.0.113.7", "One more").content.decode()
    assert "added your report to a privacy problem we are already looking into" in joined
    assert "has been alerted" not in joined


def test_where_a_report_came_from_is_kept_only_as_a_keyed_hash(db) -> None:
    report_from("203.0.113.7")
    (sender,) = ReportSender.objects.all()
    assert "203.0.113.7" not in sender.key and len(sender.key) == 64
    report = PrivacyReport.objects.get()
    assert not any("203.0.113.7" in str(getattr(report, field.attname)) for field in PrivacyReport._meta.fields)


# --- Idempotency keys belong to the browser that was given them ----------------------


def test_a_key_replayed_from_another_browser_makes_its_own_report_and_never_shows_the_first(db) -> None:
    first = Client()
    form = first.get("/report-a-privacy-problem/").content.decode()
    key = key_from(form)
    theirs = reference_in(
        first.post("/report-a-privacy-problem/", {"idempotency_key": key, "what_seen": "x", "contact": "07700900001"})
    )

    replayer = Client()
    replayer.get("/report-a-privacy-problem/")
    for _ in range(2):  # and a double submit of it from the replaying browser makes one
        page = replayer.post("/report-a-privacy-problem/", {"idempotency_key": key, "what_seen": "y"})
        assert theirs not in page.content.decode() and "07700900001" not in page.content.decode()
    mine = reference_in(page)
    assert mine != theirs
    assert PrivacyReport.objects.count() == 2


def test_the_form_and_its_key_are_never_kept_by_a_shared_cache(db) -> None:
    response = Client().get("/report-a-privacy-problem/")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_key_replayed_with_no_session_at_all_is_a_new_report_not_an_error(db) -> None:
    first = Client()
    key = key_from(first.get("/report-a-privacy-problem/").content.decode())
    theirs = reference_in(first.post("/report-a-privacy-problem/", {"idempotency_key": key, "what_seen": "x"}))
    response = Client().post("/report-a-privacy-problem/", {"idempotency_key": key, "what_seen": "y"})
    assert reference_in(response) != theirs
    assert PrivacyReport.objects.count() == 2


def test_a_call_log_key_replayed_by_another_staff_member_does_not_show_the_first_call(cast: Cast) -> None:
    cs = sign_in(Client(), cast.staff["cs"])
    key = key_from(cs.get("/staff/privacy-problems/new/").content.decode())
    call = {"idempotency_key": key, "contact_name": "Pat", "contact": "07700900002", "what_seen": "A letter"}
    theirs = reference_in_call(cs.post("/staff/privacy-problems/new/", call))
    other = sign_in(Client(), cast.staff["north"])
    page = other.post("/staff/privacy-problems/new/", {**call, "contact_name": "Sam", "contact": "07700900003"})
    assert reference_in_call(page) != theirs and "07700900002" not in page.content.decode()


def reference_in_call(response: HttpResponse) -> str:
    assert response.status_code == 200 and "Call logged" in response.content.decode()
    return re.search(r"<strong>(PI-[0-9A-F]{6})</strong>", response.content.decode()).group(1)  # type: ignore[union-attr]


# --- One reference, quoted by the reporter and the DPO -------------------------------


def test_the_reporter_and_the_dpo_quote_one_reference_in_the_page_the_calls_and_the_list(
    cast: Cast, django_capture_on_commit_callbacks, settings
) -> None:
    settings.INCIDENT_ALERT_EMAILS = ["dpo@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        reference = reference_in(report_from("198.51.100.9", "Another family's rent letter"))
    report = PrivacyReport.objects.get()
    assert report.reference == reference and report.incident.reference == reference
    escalation.send_due(now=timezone.now())
    (call,) = mail.outbox
    assert reference in call.subject and reference in call.body
    dpo = sign_in(Client(), cast.staff["dpo"])
    assert reference in dpo.get("/staff/privacy-problems/").content.decode()
    found = dpo.get("/staff/privacy-problems/", {"reference": reference.lower().removeprefix("pi-")})
    assert found.status_code == 302 and found["Location"] == f"/staff/privacy-problems/{report.incident.uuid}/"


def test_a_report_that_joined_an_incident_finds_it_by_the_reporters_own_reference(cast: Cast) -> None:
    references = [reference_in(report_from("203.0.113.7", f"Scan {n}")) for n in range(NEW_INCIDENTS_PER_SENDER + 1)]
    joined = references[-1]
    incident = PrivacyReport.objects.get(reference=joined).incident
    assert incident.reference == references[-2]
    dpo = sign_in(Client(), cast.staff["dpo"])
    found = dpo.get("/staff/privacy-problems/", {"reference": joined})
    assert found["Location"] == f"/staff/privacy-problems/{incident.uuid}/"
    missing = dpo.get("/staff/privacy-problems/", {"reference": "PI-000000"})
    assert missing.status_code == 400
    assert "There is a problem" in missing.content.decode()
    assert "There is no privacy problem with that reference" in missing.content.decode()


def test_a_signed_in_resident_is_not_asked_who_they_are_and_the_report_records_their_account(cast: Cast) -> None:
    alice = sign_in(Client(), cast.resident("alice"))
    form = alice.get("/report-a-privacy-problem/").content.decode()
    assert 'name="contact_name"' not in form and 'name="contact"' not in form
    assert "We will reply using the contact details on your account" in form
    done = alice.post("/report-a-privacy-problem/", {"idempotency_key": key_from(form), "what_seen": "Bob's letter"})
    assert "We will reply using the contact details on your account" in done.content.decode()
    report = PrivacyReport.objects.get()
    assert report.reported_by == cast.resident("alice") and (report.contact_name, report.contact) == ("", "")
    page = sign_in(Client(), cast.staff["dpo"]).get(f"/staff/privacy-problems/{report.incident.uuid}/")
    assert "Reported while signed in as Alice" in page.content.decode()
    assert "alice@example.org" in page.content.decode()


def test_someone_signed_out_is_still_asked_how_to_reach_them(db) -> None:
    form = Client().get("/report-a-privacy-problem/").content.decode()
    assert 'name="contact_name"' in form and 'name="contact"' in form
