"""The reports through HTTP: DPO only, audited, page and CSV."""

from __future__ import annotations

import csv
import datetime
import io
import time
import uuid

from django.test import Client
from django.utils import timezone

from conftest import Cast, sign_in
from porch.accounts.sudo import SUDO_UNTIL
from porch.audit.chain import session_reference
from porch.audit.models import AccessEvent
from porch.exposure.models import ExposureRun
from porch.exposure.runs import run_compute
from porch.exposure.tests.test_exposure_report import leak_to_carol, legitimate_looks
from porch.incidents.models import Incident, PrivacyReport, TimelineEntry


def period(**extra: str) -> dict[str, str]:
    now = timezone.localtime()
    return {
        "start": (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "end": (now + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        **extra,
    }


def dpo_client(cast: Cast, *, sudo: bool = False) -> Client:
    client = sign_in(Client(), cast.staff["dpo"])
    if sudo:
        session = client.session
        session[SUDO_UNTIL] = time.time() + 600
        session.save()
    return client


def ask(client: Client, **extra: str) -> ExposureRun:
    """The DPO asks for the report (the form is sent) and is taken to the run's page."""
    response = client.post("/staff/exposure/", {**period(**extra), "idempotency_key": str(uuid.uuid4())})
    assert response.status_code == 302, response.content.decode()
    return ExposureRun.objects.get(uuid=response["Location"].split("/")[-2])


def worked_out(client: Client, **extra: str) -> ExposureRun:
    """Asked for, and worked out by the worker's task, as the worker would run it."""
    run = ask(client, **extra)
    assert run_compute(run.pk, run.attempt) == "done"
    run.refresh_from_db()
    return run


def report_page(client: Client, **extra: str) -> str:
    run = worked_out(client, **extra)
    return client.get(f"/staff/exposure/runs/{run.uuid}/").content.decode()


def csv_of(cast: Cast, part: str, **extra: str) -> object:
    """A finished run's spreadsheet, downloaded after confirming the password."""
    client = dpo_client(cast, sudo=True)
    run = worked_out(client, **extra)
    return client.get(f"/staff/exposure/runs/{run.uuid}/{part}.csv")


def rows(response: object) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(body.decode())))


def test_the_report_page_lists_the_people_affected_and_who_received_their_data(cast: Cast) -> None:
    legitimate_looks(cast)
    leak_to_carol(cast)
    page = report_page(dpo_client(cast))
    ashton = cast["ashton"]
    assert ashton.people["alice"].full_name in page and ashton.people["bob"].full_name in page
    assert ashton.people["amy"].full_name not in page
    assert "alice@example.org" in page and ashton.tenancy.property.address_line_1 in page
    assert cast["cole"].people["carol"].full_name in page
    assert "north@staff.example.org" not in page


def test_opening_the_page_shows_the_form_and_reads_nothing(cast: Cast) -> None:
    leak_to_carol(cast)
    before = AccessEvent.objects.count()
    page = dpo_client(cast).get("/staff/exposure/").content.decode()
    assert "Show the report" in page and cast["ashton"].people["alice"].full_name not in page
    assert AccessEvent.objects.count() == before


def test_reading_the_report_is_audited_against_everyone_it_names(cast: Cast) -> None:
    leak_to_carol(cast)
    report_page(dpo_client(cast))
    read = AccessEvent.objects.filter(object_type="exposure_report", actor=cast.staff["dpo"])
    ashton, carol = cast["ashton"], cast["cole"].people["carol"]
    assert set(read.values_list("subject_id", flat=True)) == {
        ashton.people["alice"].id,
        ashton.people["bob"].id,
        carol.id,
    }
    assert {event.route for event in read} == {"exposure:run"}


def test_a_bad_period_is_refused_with_a_govuk_error(cast: Cast) -> None:
    response = dpo_client(cast).post(
        "/staff/exposure/",
        {"start": "2026-11-14T09:00", "end": "2026-11-13T09:00", "idempotency_key": str(uuid.uuid4())},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page and "The end must be after the start" in page
    assert not ExposureRun.objects.exists()


def test_the_csv_lists_the_people_affected_with_their_contact_details(cast: Cast) -> None:
    leak_to_carol(cast)
    response = csv_of(cast, "people")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *lines = rows(response)
    assert header[:6] == ["Name", "Housing reference", "Person ID", "Address", "Email", "Mobile"]
    by_name = {line[0]: line for line in lines}
    alice = cast["ashton"].people["alice"]
    assert set(by_name) == {alice.full_name, cast["ashton"].people["bob"].full_name}
    assert by_name[alice.full_name][2] == str(alice.uuid)
    assert by_name[alice.full_name][4] == "alice@example.org"
    assert by_name[alice.full_name][6] == "2"  # the document and her details
    assert AccessEvent.objects.filter(object_type="exposure_report", action="download").exists()


def test_the_recipients_csv_says_who_received_whose_data(cast: Cast) -> None:
    leak_to_carol(cast)
    _, *lines = rows(csv_of(cast, "recipients"))
    carol = cast["cole"].people["carol"]
    got = {(line[0], line[2], line[5], line[7]) for line in lines}
    ashton = cast["ashton"]
    assert got == {
        (carol.full_name, "resident", ashton.people["alice"].full_name, "2"),
        (carol.full_name, "resident", ashton.people["bob"].full_name, "1"),
    }


def test_csv_downloads_need_a_recent_password(cast: Cast) -> None:
    client = dpo_client(cast)
    run = worked_out(client)
    response = client.get(f"/staff/exposure/runs/{run.uuid}/people.csv")
    assert response.status_code == 302 and response["Location"].startswith("/account/confirm-password/")


def test_csv_cells_cannot_become_spreadsheet_formulas(cast: Cast) -> None:
    alice = cast["ashton"].people["alice"]
    alice.first_name = "=HYPERLINK(1)"
    alice.save()
    leak_to_carol(cast)
    _, *lines = rows(csv_of(cast, "people"))
    assert any(line[0].startswith("'=HYPERLINK") for line in lines)


def test_narrowing_by_kind_of_data_from_the_page(cast: Cast) -> None:
    leak_to_carol(cast)
    page = report_page(dpo_client(cast), module="accounts", route="portal:my_details")
    assert "No one's data was served outside the access rules" in page
    assert cast["ashton"].people["alice"].full_name not in page
    assert "Accounts, sign-up and letters" in page and "Residents: My details" in page  # what it was narrowed to


def test_an_incident_sets_the_default_period(cast: Cast) -> None:
    incident = Incident.objects.create(aware_at=timezone.now() - datetime.timedelta(days=1))
    page = dpo_client(cast).get("/staff/exposure/", {"incident": str(incident.uuid)}).content.decode()
    start = timezone.localtime(incident.aware_at - datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    assert f'value="{start}"' in page


def test_other_staff_and_residents_cannot_open_the_reports(cast: Cast) -> None:
    leak_to_carol(cast)
    run = worked_out(dpo_client(cast))
    runs = f"/staff/exposure/runs/{run.uuid}/"
    for user in (cast.staff["cs"], cast.staff["north"], cast.staff["admin"], cast.resident("alice")):
        client = sign_in(Client(), user)
        for url in ("/staff/exposure/", "/staff/who-saw/", "/staff/session-seen/", runs, f"{runs}people.csv"):
            assert client.get(url, period()).status_code == 403, (user, url)
        assert client.post("/staff/exposure/", {**period(), "idempotency_key": str(uuid.uuid4())}).status_code == 403
        assert client.post(f"{runs}try-again/").status_code == 403
    assert ExposureRun.objects.count() == 1


def test_an_untrained_dpo_is_asked_to_do_the_training(cast: Cast) -> None:
    dpo = cast.staff["dpo"]
    dpo.training_completed_on = None
    dpo.save()
    for response in (
        dpo_client(cast).get("/staff/exposure/", period()),
        dpo_client(cast).post("/staff/exposure/", {**period(), "idempotency_key": str(uuid.uuid4())}),
    ):
        assert response.status_code == 403 and "training" in response.content.decode()
    assert not ExposureRun.objects.exists()


# --- Who saw this person's data ----------------------------------------------------


def test_who_saw_lists_everyone_shown_a_persons_data_in_the_period(cast: Cast) -> None:
    ashton = cast["ashton"]
    sign_in(Client(), cast.staff["north"]).get(f"/staff/tenancies/{ashton.tenancy.uuid}/")
    leak_to_carol(cast)
    alice = ashton.people["alice"]
    page = dpo_client(cast).get("/staff/who-saw/", period(person=alice.housing_reference)).content.decode()
    assert "north@staff.example.org" in page
    assert cast["cole"].people["carol"].full_name in page
    assert "Staff: Tenancy record" in page  # the page that served it, in words
    assert "govuk-tag--red" in page  # Carol's look is marked as outside the rules


def test_who_saw_finds_a_person_by_their_id_too_and_reading_it_is_on_their_trail(cast: Cast) -> None:
    alice = cast["ashton"].people["alice"]
    leak_to_carol(cast)
    dpo_client(cast).get("/staff/who-saw/", period(person=str(alice.uuid)))
    trail = AccessEvent.objects.filter(actor=cast.staff["dpo"], subject=alice, object_type="audit_trail")
    assert trail.exists()
    # Carol is named as a recipient: that is recorded too, but never on her privacy page.
    carol = cast["cole"].people["carol"]
    assert AccessEvent.objects.filter(actor=cast.staff["dpo"], subject=carol, object_type="exposure_report").exists()
    page = sign_in(Client(), cast.resident("carol")).get("/privacy/").content.decode()
    assert "Nobody else has looked at your information yet" in page


def test_who_saw_an_unknown_person_says_so(cast: Cast) -> None:
    page = dpo_client(cast).get("/staff/who-saw/", period(person="NOPE123")).content.decode()
    assert "No person has that housing reference or ID" in page


def test_who_saw_leaves_out_what_happened_outside_the_period(cast: Cast) -> None:
    leak_to_carol(cast)
    alice = cast["ashton"].people["alice"]
    earlier = timezone.localtime() - datetime.timedelta(days=3)
    query = {
        "person": alice.housing_reference,
        "start": earlier.strftime("%Y-%m-%dT%H:%M"),
        "end": (earlier + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
    }
    page = dpo_client(cast).get("/staff/who-saw/", query).content.decode()
    assert "Nobody was shown their data in this period" in page


def test_who_saw_csv_has_one_line_per_event(cast: Cast) -> None:
    leak_to_carol(cast)
    alice = cast["ashton"].people["alice"]
    header, *lines = rows(
        dpo_client(cast, sudo=True).get("/staff/who-saw/events.csv", period(person=alice.housing_reference))
    )
    assert header[0] == "When" and header[-1] == "Allowed by the access model then"
    carol_lines = [line for line in lines if line[1] == cast["cole"].people["carol"].full_name]
    assert len(carol_lines) == 2 and {line[-1] for line in carol_lines} == {"NO"}


# --- What did this session see ------------------------------------------------------


def test_a_session_is_recorded_by_a_keyed_reference_never_its_key(cast: Cast) -> None:
    client = sign_in(Client(), cast.resident("alice"))
    client.get("/my-details/")
    key = client.session.session_key
    event = AccessEvent.objects.filter(object_type="person").latest("id")
    assert event.session_ref == session_reference(key) and len(event.session_ref) == 24
    assert key not in event.session_ref
    assert not AccessEvent.objects.filter(session_ref=key).exists()
    assert event.route == "portal:my_details"


def test_what_a_session_saw_by_its_reference_or_by_a_request_id(cast: Cast) -> None:
    ashton = cast["ashton"]
    north = sign_in(Client(), cast.staff["north"])
    north.get(f"/staff/tenancies/{ashton.tenancy.uuid}/")
    response = north.get("/staff/tenancies/", {"q": "Dunn"})
    sign_in(Client(), cast.staff["cs"]).get(f"/staff/tenancies/{cast['smith'].tenancy.uuid}/")
    reference = session_reference(north.session.session_key)

    for asked in (reference, response["X-Request-Id"]):
        page = dpo_client(cast).get("/staff/session-seen/", period(reference=asked)).content.decode()
        assert ashton.people["alice"].full_name in page and cast["dunn"].people["dan"].full_name in page
        assert cast["smith"].people["sam"].full_name not in page  # another session's


def test_session_csv_lists_the_sessions_events(cast: Cast) -> None:
    north = sign_in(Client(), cast.staff["north"])
    north.get(f"/staff/tenancies/{cast['ashton'].tenancy.uuid}/")
    reference = session_reference(north.session.session_key)
    _, *lines = rows(dpo_client(cast, sudo=True).get("/staff/session-seen/events.csv", period(reference=reference)))
    assert lines and {line[11] for line in lines} == {reference}
    assert {line[8] for line in lines} == {p.full_name for p in cast["ashton"].people.values()}
    # Downloading the session's events is on the record as a download, as the other CSVs are.
    assert AccessEvent.objects.filter(object_type="exposure_report", object_id=reference, action="download").exists()


def test_a_malformed_session_reference_is_refused(cast: Cast) -> None:
    page = dpo_client(cast).get("/staff/session-seen/", period(reference="not-a-reference")).content.decode()
    assert "govuk-error-summary" in page and "24 characters" in page


# --- The draft ICO report ---------------------------------------------------------------


def an_incident(cast: Cast) -> Incident:
    incident = Incident.objects.create(aware_at=timezone.now(), summary="A neighbour could open our letters")
    PrivacyReport.objects.create(incident=incident, channel="web", what_seen="I could see next door's rent letter")
    TimelineEntry.objects.create(incident=incident, what="Switched off for everyone: documents")
    return incident


def test_the_ico_draft_states_the_facts_the_ico_asks_for_and_names_nobody(cast: Cast) -> None:
    leak_to_carol(cast)
    incident = an_incident(cast)
    page = dpo_client(cast).get(f"/staff/privacy-problems/{incident.uuid}/ico-report/").content.decode()
    assert "A neighbour could open our letters" in page
    assert "I could see next door&#x27;s rent letter" in page
    assert "Approximate number of people affected: 2" in page
    assert "Documents" in page and "Homes and household details" in page
    assert "Switched off for everyone: documents" in page
    assert "1 resident" in page  # one recipient
    assert timezone.localtime(incident.aware_at).strftime("%d %B %Y at %H:%M") in page
    for person in cast["ashton"].people.values():
        assert person.full_name not in page and person.last_name not in page


def test_the_dpo_edits_and_saves_the_draft(cast: Cast) -> None:
    incident = an_incident(cast)
    client = dpo_client(cast)
    response = client.post(f"/staff/privacy-problems/{incident.uuid}/ico-report/", {"draft": "Our edited report"})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.ico_report_draft == "Our edited report"
    assert incident.timeline.filter(what="Draft ICO report saved").exists()
    assert AccessEvent.objects.filter(object_type="incident", object_id=str(incident.uuid), action="update").exists()
    page = client.get(f"/staff/privacy-problems/{incident.uuid}/ico-report/").content.decode()
    assert "Our edited report" in page


def test_drafting_again_from_another_period_replaces_the_text_until_saved(cast: Cast) -> None:
    incident = an_incident(cast)
    incident.ico_report_draft = "Saved words"
    incident.save()
    leak_to_carol(cast)
    client = dpo_client(cast)
    assert "Saved words" in client.get(f"/staff/privacy-problems/{incident.uuid}/ico-report/").content.decode()
    page = client.get(f"/staff/privacy-problems/{incident.uuid}/ico-report/", period()).content.decode()
    assert "Saved words" not in page and "Approximate number of people affected: 2" in page
    incident.refresh_from_db()
    assert incident.ico_report_draft == "Saved words"


def test_an_empty_draft_is_refused(cast: Cast) -> None:
    incident = an_incident(cast)
    page = dpo_client(cast).post(f"/staff/privacy-problems/{incident.uuid}/ico-report/", {"draft": ""}).content.decode()
    assert "Enter the draft report" in page


def test_only_the_dpo_drafts_the_ico_report(cast: Cast) -> None:
    incident = an_incident(cast)
    for user in (cast.staff["cs"], cast.staff["north"], cast.resident("alice")):
        client = sign_in(Client(), user)
        assert client.get(f"/staff/privacy-problems/{incident.uuid}/ico-report/").status_code == 403
        client.post(f"/staff/privacy-problems/{incident.uuid}/ico-report/", {"draft": "x"})
    incident.refresh_from_db()
    assert incident.ico_report_draft == ""


def test_the_dpo_sees_pages_in_words_in_the_event_table_and_the_csv(cast: Cast) -> None:
    client = sign_in(Client(), cast.resident("alice"))
    client.get("/my-details/")
    alice = cast["ashton"].people["alice"]
    dpo = dpo_client(cast, sudo=True)
    page = dpo.get("/staff/who-saw/", period(person=alice.housing_reference)).content.decode()
    assert "Residents: My details" in page and "portal:my_details" not in page
    header, *lines = rows(dpo.get("/staff/who-saw/events.csv", period(person=alice.housing_reference)))
    column = header.index("Page")
    assert "Residents: My details" in {line[column] for line in lines}
    from porch.exposure.reports import route_names

    assert not {line[column] for line in lines} & set(route_names())


def test_after_a_flood_of_reports_the_ico_draft_quotes_twenty_and_counts_the_rest(cast: Cast) -> None:
    incident = an_incident(cast)
    PrivacyReport.objects.bulk_create(
        PrivacyReport(incident=incident, channel="web", what_seen=f"Flood report {n}", reference=f"PI-F{n:05d}")
        for n in range(30)
    )
    page = dpo_client(cast).get(f"/staff/privacy-problems/{incident.uuid}/ico-report/").content.decode()
    assert "Flood report 18" in page and "Flood report 19" not in page
    assert "And 11 more reports: see the incident record." in page


def test_the_event_table_names_records_and_roles_in_words(cast: Cast) -> None:
    sign_in(Client(), cast.staff["north"]).get(f"/staff/tenancies/{cast['ashton'].tenancy.uuid}/")
    alice = cast["ashton"].people["alice"]
    page = dpo_client(cast).get("/staff/who-saw/", period(person=alice.housing_reference)).content.decode()
    assert "Viewed a tenancy record" in page and "Housing officer" in page
    assert "housing_officer" not in page and "Viewed tenancy<" not in page
