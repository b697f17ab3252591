"""The incident record: triage, status, the DPO's decisions, closing, joining and near misses."""

from __future__ import annotations

import datetime
import re
import secrets

import pytest
from django.test import Client
from django.utils import timezone

from conftest import Cast, sign_in
from porch.accounts.models import User
from porch.audit.models import AccessEvent
from porch.incidents.clock import ico_clock, plain_duration
from porch.incidents.models import Incident, Notification, PrivacyReport
from porch.rollout.models import ModuleSwitch


def open_incident(*, hours_ago: float = 0, **fields: object) -> Incident:
    return Incident.objects.create(
        aware_at=timezone.now() - datetime.timedelta(hours=hours_ago), summary="Someone else's letter", **fields
    )


def called(incident: Incident, user: User, *, status: str = Notification.Status.SENT) -> Notification:
    """The escalation ladder called this person about the incident (that is what lets them see it)."""
    return Notification.objects.create(
        incident=incident,
        rung=1,
        channel=Notification.Channel.EMAIL,
        user=user,
        address=f"{secrets.token_hex(4)}@example.org",
        due_at=incident.aware_at,
        status=status,
        sent_at=timezone.now() if status == Notification.Status.SENT else None,
        ack_nonce=secrets.token_hex(16),
    )


def report_on(incident: Incident, what: str = "A neighbour's letter") -> PrivacyReport:
    return PrivacyReport.objects.create(incident=incident, channel=PrivacyReport.Channel.WEB, what_seen=what)


def url(incident: Incident, action: str = "") -> str:
    return f"/staff/privacy-problems/{incident.uuid}/{action + '/' if action else ''}"


def timeline(incident: Incident) -> list[str]:
    return [entry.what for entry in incident.timeline.all()]


def audited(incident: Incident, actor: User) -> list[str]:
    events = AccessEvent.objects.filter(
        object_type="incident", object_id=str(incident.uuid), action="update", actor=actor
    ).order_by("id")
    return [event.reason for event in events]


def key_from(page: str) -> str:
    return re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]


@pytest.fixture
def dpo(cast: Cast) -> Client:
    return sign_in(Client(), cast.staff["dpo"])


# --- Severity, summary and owner ---------------------------------------------------


def test_the_dpo_sets_severity_and_summary_on_the_timeline_and_audited(cast: Cast, dpo: Client) -> None:
    incident = open_incident()
    response = dpo.post(url(incident, "details"), {"details-severity": "high", "details-summary": "Letters misfiled"})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert (incident.severity, incident.summary) == ("high", "Letters misfiled")
    assert timeline(incident)[-2:] == ["Severity: High", "Summary: Letters misfiled"]
    assert audited(incident, cast.staff["dpo"]) == ["severity, summary"]


def test_a_missing_severity_shows_the_error_summary(dpo: Client) -> None:
    incident = open_incident()
    response = dpo.post(url(incident, "details"), {"details-summary": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and "Choose how severe it is" in page and "Enter a one-line summary" in page
    assert 'href="#id_details-severity_0"' in page
    assert page.count("<title>Error: ") == 1


def test_someone_called_about_it_makes_themselves_the_owner(cast: Cast) -> None:
    incident = open_incident()
    called(incident, cast.staff["cs"])
    cs = sign_in(Client(), cast.staff["cs"])
    page = cs.get(url(incident)).content.decode()
    assert "Make me the owner" in page and str(cast.staff["cs"].uuid) in page
    cs.post(url(incident, "owner"), {"owner-owner": str(cast.staff["cs"].uuid)})
    incident.refresh_from_db()
    assert incident.owner == cast.staff["cs"]
    assert timeline(incident)[-1] == "Owner: cs@staff.example.org"
    assert audited(incident, cast.staff["cs"]) == ["owner"]


def test_the_dpo_gives_it_to_someone_who_was_called(cast: Cast, dpo: Client) -> None:
    incident = open_incident()
    called(incident, cast.staff["north"])
    dpo.post(url(incident, "owner"), {"owner-owner": str(cast.staff["north"].uuid)})
    incident.refresh_from_db()
    assert incident.owner == cast.staff["north"]


def test_the_owner_must_be_someone_who_can_see_the_incident(cast: Cast, dpo: Client) -> None:
    incident = open_incident()
    for outsider in (cast.staff["south"], cast.resident("alice")):
        response = dpo.post(url(incident, "owner"), {"owner-owner": str(outsider.uuid)})
        assert response.status_code == 400 and "Choose who owns this incident" in response.content.decode()
    incident.refresh_from_db()
    assert incident.owner is None


# --- Status ------------------------------------------------------------------------


def test_acknowledging_sets_the_time_once_and_cancels_the_calls_still_waiting(cast: Cast, dpo: Client) -> None:
    incident = open_incident()
    waiting = called(incident, cast.staff["north"], status=Notification.Status.QUEUED)
    dpo.post(url(incident, "status"), {"status": "acknowledged"})
    incident.refresh_from_db()
    first = incident.acknowledged_at
    assert incident.status == "acknowledged" and first and incident.acknowledged_by == cast.staff["dpo"]
    waiting.refresh_from_db()
    assert waiting.status == Notification.Status.CANCELLED
    dpo.post(url(incident, "status"), {"status": "acknowledged"})  # a second click
    incident.refresh_from_db()
    assert incident.acknowledged_at == first


def test_status_moves_forward_and_containing_sets_the_time(dpo: Client) -> None:
    incident = open_incident()
    dpo.post(url(incident, "status"), {"status": "contained"})
    incident.refresh_from_db()
    assert incident.status == "contained" and incident.contained_at and incident.acknowledged_at
    response = dpo.post(url(incident, "status"), {"status": "acknowledged"})
    assert response.status_code == 400 and "status only moves forward" in response.content.decode()
    dpo.post(url(incident, "status"), {"status": "assessed"})
    incident.refresh_from_db()
    assert incident.status == "assessed"


def test_notified_comes_only_from_recording_that_the_ico_was_told(dpo: Client) -> None:
    incident = open_incident()
    response = dpo.post(url(incident, "status"), {"status": "notified"})
    assert response.status_code == 400 and 'href="#ico-told"' in response.content.decode()
    incident.refresh_from_db()
    assert incident.status == "reported"


def test_switching_off_from_the_incident_records_when_it_was_contained(cast: Cast, dpo: Client) -> None:
    incident = open_incident()
    dpo.post(url(incident, "contain"), {"contain-module": "documents"})
    incident.refresh_from_db()
    assert incident.status == "contained" and incident.contained_at and incident.acknowledged_by == cast.staff["dpo"]
    assert ModuleSwitch.objects.get(module="documents", cohort=None).is_off
    assert timeline(incident)[-1] == "Switched off for everyone: documents"


def test_a_switch_off_by_the_canary_guard_does_not_stop_the_calls(cast: Cast) -> None:
    from porch.core.actor import Actor
    from porch.incidents.services import incident_contain

    incident = open_incident()
    waiting = called(incident, cast.staff["north"], status=Notification.Status.QUEUED)
    incident_contain(actor=Actor(kind="system"), incident=incident, module="documents")
    incident.refresh_from_db()
    waiting.refresh_from_db()
    assert incident.contained_at and incident.acknowledged_at is None
    assert waiting.status == Notification.Status.QUEUED  # a person must still pick it up


# --- Stop it now ---------------------------------------------------------------------


def checked_modules(page: str) -> list[str]:
    """The values of the radios chosen in "Stop it now", whatever the inputs are called."""
    form = page[page.index('id="contain"') : page.index("</form>", page.index('id="contain"'))]
    radios = re.findall(r'<input[^>]*type="radio"[^>]*>', form)
    assert radios
    return [re.search(r'value="(\w+)"', radio).group(1) for radio in radios if " checked" in radio]  # type: ignore[union-attr]


def test_stop_it_now_has_nothing_chosen(dpo: Client) -> None:
    page = dpo.get(url(open_incident())).content.decode()
    assert 'value="portal"' in page and checked_modules(page) == []


def test_stop_it_now_chooses_the_module_the_report_came_from(dpo: Client) -> None:
    incident = open_incident()
    PrivacyReport.objects.create(incident=incident, channel="web", what_seen="A letter", page="/documents/")
    page = dpo.get(url(incident)).content.decode()
    assert checked_modules(page) == ["documents"]
    assert "The first report came from a page in Documents." in page


def test_a_report_from_a_page_of_the_whole_portal_chooses_nothing(dpo: Client) -> None:
    incident = open_incident()
    PrivacyReport.objects.create(incident=incident, channel="web", what_seen="A name", page="/my-details/")
    assert checked_modules(dpo.get(url(incident)).content.decode()) == []


def test_stop_it_now_says_what_is_already_off_and_does_not_choose_it(cast: Cast, dpo: Client) -> None:
    incident = open_incident()
    PrivacyReport.objects.create(incident=incident, channel="web", what_seen="A letter", page="/documents/")
    dpo.post("/staff/switches/documents/off/", {"reason": "Checking"})
    page = dpo.get(url(incident)).content.decode()
    assert "Documents (already switched off for everyone)" in page
    assert "Already switched off for everyone: Documents." in page
    assert checked_modules(page) == []


def test_stop_it_now_with_nothing_chosen_shows_the_error_summary_and_switches_nothing(dpo: Client) -> None:
    incident = open_incident()
    response = dpo.post(url(incident, "contain"), {})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and 'href="#id_contain-module_0">Select what to switch off</a>' in page
    incident.refresh_from_db()
    assert incident.status == "reported" and not ModuleSwitch.objects.exists()


def test_switching_off_the_whole_portal_needs_its_own_confirmation(cast: Cast, dpo: Client) -> None:
    incident = open_incident()
    page = dpo.get(url(incident)).content.decode()
    assert "Yes, switch off the whole portal for every resident" in page
    refused = dpo.post(url(incident, "contain"), {"contain-module": "portal"})
    assert refused.status_code == 400
    assert "Confirm you want to switch off the whole portal for every resident" in refused.content.decode()
    assert not ModuleSwitch.objects.exists()

    done = dpo.post(url(incident, "contain"), {"contain-module": "portal", "contain-whole_portal": "on"})
    assert done.status_code == 302
    assert ModuleSwitch.objects.get(module="portal", cohort=None).is_off
    assert sign_in(Client(), cast.resident("alice")).get("/documents/").status_code == 503


def test_a_module_needs_no_confirmation_and_an_unknown_one_is_refused(dpo: Client) -> None:
    incident = open_incident()
    assert dpo.post(url(incident, "contain"), {"contain-module": "everything"}).status_code == 400
    assert dpo.post(url(incident, "contain"), {"contain-module": "signup"}).status_code == 302
    assert ModuleSwitch.objects.get(module="signup", cohort=None).is_off


# --- Who may do what -----------------------------------------------------------------


def test_someone_called_about_it_may_acknowledge_contain_and_assess(cast: Cast) -> None:
    incident = open_incident()
    called(incident, cast.staff["cs"])
    cs = sign_in(Client(), cast.staff["cs"])
    page = cs.get(url(incident)).content.decode()
    assert "Stop it now" in page and "Mark as contained" in page
    assert "Decision: tell the ICO?" not in page and "Close" not in re.findall(r">(Close)<", page)
    cs.post(url(incident, "status"), {"status": "acknowledged"})
    cs.post(url(incident, "contain"), {"contain-module": "documents"})
    cs.post(url(incident, "status"), {"status": "assessed"})
    incident.refresh_from_db()
    assert incident.status == "assessed" and incident.acknowledged_by == cast.staff["cs"]
    assert ModuleSwitch.objects.get(module="documents", cohort=None).is_off
    assert sign_in(Client(), cast.resident("alice")).get("/documents/").status_code == 503


def test_someone_called_about_it_cannot_decide_close_join_or_reclassify(cast: Cast) -> None:
    incident, other = open_incident(), open_incident()
    called(incident, cast.staff["cs"])
    called(other, cast.staff["cs"])
    cs = sign_in(Client(), cast.staff["cs"])
    refused = {
        "status": {"status": "closed"},
        "ico-decision": {"ico-decision-decision": "no", "ico-decision-reason": "x"},
        "ico-told": {"ico-told-told_on_day": "1"},
        "affected-people": {"affected-decision": "no", "affected-reason": "x"},
        "review": {"review-cause": "x"},
        "join": {"join-reference": other.reference},
        "near-miss": {"near-miss-reason": "x"},
    }
    for action, data in refused.items():
        assert cs.post(url(incident, action), data).status_code == 403, action
    incident.refresh_from_db()
    assert (incident.status, incident.ico_decision, incident.kind, incident.merged_into) == (
        "reported",
        "",
        "incident",
        None,
    )
    assert cs.get("/staff/privacy-problems/near-misses/new/").status_code == 403


def test_staff_not_called_about_it_get_404_for_everything(cast: Cast) -> None:
    incident = open_incident()
    north = sign_in(Client(), cast.staff["north"])
    assert north.get(url(incident)).status_code == 404
    for action, data in (
        ("status", {"status": "acknowledged"}),
        ("contain", {"contain-module": "documents"}),
        ("details", {"details-severity": "low", "details-summary": "x"}),
        ("owner", {"owner-owner": str(cast.staff["north"].uuid)}),
    ):
        assert north.post(url(incident, action), data).status_code == 404, action
    incident.refresh_from_db()
    assert incident.status == "reported" and incident.owner is None
    assert not ModuleSwitch.objects.filter(is_off=True).exists()


# --- Decisions and closing -----------------------------------------------------------


def test_the_ico_decision_records_why_who_and_when_and_telling_them_moves_the_status(cast: Cast, dpo: Client) -> None:
    incident = open_incident(hours_ago=80)
    dpo.post(url(incident, "ico-decision"), {"ico-decision-decision": "yes", "ico-decision-reason": "Health data"})
    incident.refresh_from_db()
    assert (incident.ico_decision, incident.ico_decision_reason) == ("yes", "Health data")
    assert incident.ico_decided_by == cast.staff["dpo"] and incident.ico_decided_at
    assert timeline(incident)[-1] == "Decision: tell the ICO: yes. Why: Health data"
    told = timezone.localtime() - datetime.timedelta(hours=1)
    dpo.post(
        url(incident, "ico-told"),
        {
            "ico-told-told_on_day": told.day,
            "ico-told-told_on_month": told.month,
            "ico-told-told_on_year": told.year,
            "ico-told-told_time": f"{told:%H:%M}",
            "ico-told-reference": "IC-123456",
        },
    )
    incident.refresh_from_db()
    assert incident.status == "notified" and incident.ico_reference == "IC-123456"
    assert timezone.localtime(incident.ico_notified_at).strftime("%H:%M") == f"{told:%H:%M}"
    assert "after the 72 hours" in timeline(incident)[-1]  # told 79 hours after the first report
    assert audited(incident, cast.staff["dpo"]) == ["ico decision: yes", "ico told"]


def test_the_ico_cannot_be_recorded_as_told_before_deciding_to_tell_them(dpo: Client) -> None:
    incident = open_incident()
    now = timezone.localtime()
    response = dpo.post(
        url(incident, "ico-told"),
        {
            "ico-told-told_on_day": now.day,
            "ico-told-told_on_month": now.month,
            "ico-told-told_on_year": now.year,
            "ico-told-told_time": "00:00",
        },
    )
    assert response.status_code == 400 and "Record the decision to tell the ICO first" in response.content.decode()


def test_a_decision_needs_a_reason(dpo: Client) -> None:
    incident = open_incident()
    response = dpo.post(url(incident, "ico-decision"), {"ico-decision-decision": "no"})
    page = response.content.decode()
    assert response.status_code == 400 and "Enter why you decided to tell the ICO or not" in page
    assert 'href="#id_ico-decision-reason"' in page


def test_the_affected_people_decision_is_recorded(cast: Cast, dpo: Client) -> None:
    incident = open_incident()
    dpo.post(url(incident, "affected-people"), {"affected-decision": "no", "affected-reason": "Low risk: one name"})
    incident.refresh_from_db()
    assert (incident.affected_decision, incident.affected_decided_by) == ("no", cast.staff["dpo"])
    assert timeline(incident)[-1] == "Decision: tell the people affected: no. Why: Low risk: one name"


def test_closing_needs_both_decisions_the_ico_told_and_the_review(cast: Cast, dpo: Client) -> None:
    incident = open_incident()
    page = dpo.post(url(incident, "status"), {"status": "closed"}).content.decode()
    assert "Record whether to tell the ICO" in page and "Record whether to tell the people affected" in page
    assert "Fill in the post-incident review: what happened, the cause, the lessons and the actions" in page
    dpo.post(url(incident, "ico-decision"), {"ico-decision-decision": "yes", "ico-decision-reason": "Risk"})
    dpo.post(url(incident, "affected-people"), {"affected-decision": "yes", "affected-reason": "High risk"})
    dpo.post(url(incident, "review"), {"review-what_happened": "A", "review-cause": "B", "review-lessons": "C"})
    page = dpo.post(url(incident, "status"), {"status": "closed"}).content.decode()
    assert "Record when you told the ICO" in page and "Fill in the post-incident review: the actions" in page
    assert "Record whether to tell the people affected" not in page
    incident.refresh_from_db()
    assert incident.status != "closed"

    now = timezone.localtime()
    dpo.post(
        url(incident, "ico-told"),
        {
            "ico-told-told_on_day": now.day,
            "ico-told-told_on_month": now.month,
            "ico-told-told_on_year": now.year,
            "ico-told-told_time": "00:00",
        },
    )
    dpo.post(
        url(incident, "review"),
        {"review-what_happened": "A", "review-cause": "B", "review-lessons": "C", "review-actions": "D"},
    )
    assert dpo.post(url(incident, "status"), {"status": "closed"}).status_code == 302
    incident.refresh_from_db()
    assert incident.status == "closed" and incident.closed_by == cast.staff["dpo"] and incident.closed_at
    assert timeline(incident)[-1] == "Closed"


def test_a_near_miss_closes_with_its_reason(dpo: Client) -> None:
    near_miss = open_incident(kind="near_miss", ico_decision="no", ico_decision_reason="Caught before posting")
    assert dpo.post(url(near_miss, "status"), {"status": "closed"}).status_code == 302
    near_miss.refresh_from_db()
    assert near_miss.status == "closed"


def test_a_closed_incident_is_the_final_record(dpo: Client) -> None:
    incident = open_incident(status="closed")
    response = dpo.post(url(incident, "details"), {"details-severity": "low", "details-summary": "Changed"})
    assert response.status_code == 400 and "This incident is closed" in response.content.decode()
    incident.refresh_from_db()
    assert incident.summary == "Someone else's letter"
    page = dpo.get(url(incident)).content.decode()
    assert "Stop it now" not in page


# --- Joining -------------------------------------------------------------------------


def test_joining_moves_the_reports_and_the_icos_clock_runs_from_the_first_report(cast: Cast, dpo: Client) -> None:
    first = open_incident(hours_ago=5)
    second = open_incident(hours_ago=1)
    earlier_report, later_report = report_on(first, "Saw a letter"), report_on(second, "Saw it too")
    response = dpo.post(url(first, "join"), {"join-reference": second.reference.lower()})
    assert response.status_code == 302 and response["Location"] == url(second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.merged_into == second and first.status == "closed" and first.closed_by == cast.staff["dpo"]
    assert set(second.reports.all()) == {earlier_report, later_report} and not first.reports.exists()
    assert second.aware_at == first.aware_at  # five hours ago: the earliest awareness wins
    assert timeline(first)[-1].startswith(f"Joined to {second.reference}")
    assert f"{first.reference} joined to this" in timeline(second)[-2]
    assert timeline(second)[-1].startswith("The ICO clock now runs from")

    page = dpo.get(url(first)).content.decode()
    assert "This was joined to" in page and url(second) in page
    listed = dpo.get("/staff/privacy-problems/").content.decode()
    assert second.reference in listed and first.reference not in listed


def test_joining_finds_the_other_incident_by_one_of_its_reports_references(dpo: Client) -> None:
    duplicate, target = open_incident(), open_incident()
    joined = report_on(target, "Saw it too")
    response = dpo.post(url(duplicate, "join"), {"join-reference": joined.reference})
    assert response.status_code == 302 and response["Location"] == url(target)


def test_joining_keeps_the_target_clock_when_it_was_first(dpo: Client) -> None:
    target, duplicate = open_incident(hours_ago=10), open_incident(hours_ago=2)
    before = target.aware_at
    dpo.post(url(duplicate, "join"), {"join-reference": target.reference})
    target.refresh_from_db()
    assert target.aware_at == before


def test_joining_is_refused_for_itself_a_closed_incident_a_drill_or_an_unknown_reference(dpo: Client) -> None:
    incident = open_incident()
    closed, drill = open_incident(status="closed"), open_incident(kind="drill")
    for reference, message in (
        (incident.reference, "Enter the reference of a different incident"),
        (closed.reference, "is closed: join this to an open incident"),
        (drill.reference, "is a drill: join like to like"),
        ("PI-000000", "There is no incident with that reference"),
        ("", "Enter the reference of the incident it is the same as"),
    ):
        response = dpo.post(url(incident, "join"), {"join-reference": reference})
        assert response.status_code == 400 and message in response.content.decode(), reference
    incident.refresh_from_db()
    assert incident.merged_into is None and incident.status == "reported"


# --- Near misses -----------------------------------------------------------------------


def test_the_dpo_records_a_near_miss_once_and_nobody_is_called(
    cast: Cast, dpo: Client, settings, django_capture_on_commit_callbacks
) -> None:
    settings.INCIDENT_ALERT_EMAILS = ["dpo@example.org"]
    form = dpo.get("/staff/privacy-problems/near-misses/new/").content.decode()
    data = {
        "idempotency_key": key_from(form),
        "summary": "Letter caught in the print room",
        "what_happened": "A rent letter was about to go to the wrong address",
        "happened_on_day": "3",
        "happened_on_month": "2",
        "happened_on_year": "2026",
        "reason": "It never left the building",
    }
    with django_capture_on_commit_callbacks(execute=True):
        first = dpo.post("/staff/privacy-problems/near-misses/new/", data)
        again = dpo.post("/staff/privacy-problems/near-misses/new/", data)
    near_miss = Incident.objects.get()
    assert first["Location"] == again["Location"] == url(near_miss)
    assert near_miss.kind == "near_miss" and near_miss.ico_decision == "no"
    assert (
        near_miss.ico_decision_reason == "It never left the building" and near_miss.ico_decided_by == cast.staff["dpo"]
    )
    assert near_miss.review_what_happened.startswith("A rent letter")
    assert timezone.localtime(near_miss.aware_at).date() == datetime.date(2026, 2, 3)
    assert not Notification.objects.exists()
    page = dpo.get(url(near_miss)).content.decode()
    assert "No ICO deadline: a near miss is not reported to the ICO" in page and "Tell the ICO by" not in page
    listed = dpo.get("/staff/privacy-problems/").content.decode()
    near_misses = listed[listed.index('id="near-misses"') :]
    assert near_miss.reference in near_misses and "It never left the building" in near_misses


def test_a_near_miss_needs_its_details_and_cannot_be_in_the_future(dpo: Client) -> None:
    form = dpo.get("/staff/privacy-problems/near-misses/new/").content.decode()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = dpo.post(
        "/staff/privacy-problems/near-misses/new/",
        {
            "idempotency_key": key_from(form),
            "happened_on_day": tomorrow.day,
            "happened_on_month": tomorrow.month,
            "happened_on_year": tomorrow.year,
        },
    )
    page = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in page
    assert "Enter what happened" in page and "Enter why the ICO was not told" in page
    assert "The date it happened must be today or in the past" in page
    assert not Incident.objects.exists()


def test_the_dpo_reclassifies_an_incident_as_a_near_miss_and_the_calls_stop(cast: Cast, dpo: Client) -> None:
    incident = open_incident()
    waiting = called(incident, cast.staff["north"], status=Notification.Status.QUEUED)
    dpo.post(url(incident, "near-miss"), {"near-miss-reason": "The email bounced: nobody received it"})
    incident.refresh_from_db()
    assert incident.kind == "near_miss" and incident.ico_decision == "no"
    assert incident.ico_decision_reason == "The email bounced: nobody received it"
    waiting.refresh_from_db()
    assert waiting.status == Notification.Status.CANCELLED
    assert timeline(incident)[-1].startswith("Reclassified as a near miss")
    assert audited(incident, cast.staff["dpo"]) == ["reclassified: near miss"]


def test_an_incident_the_ico_was_told_about_stays_an_incident(dpo: Client) -> None:
    incident = open_incident(ico_decision="yes", ico_notified_at=timezone.now(), status="notified")
    response = dpo.post(url(incident, "near-miss"), {"near-miss-reason": "x"})
    assert response.status_code == 400 and "so it stays an incident" in response.content.decode()
    incident.refresh_from_db()
    assert incident.kind == "incident"


# --- The ICO clock and the list --------------------------------------------------------


def test_the_ico_clock_says_how_long_is_left_or_how_late_it_is() -> None:
    now = timezone.now()
    incident = Incident(aware_at=now - datetime.timedelta(hours=2), kind="incident")
    assert ico_clock(incident, now=now) == "2 days 22 hours left"
    incident.aware_at = now - datetime.timedelta(hours=80, minutes=30)
    assert ico_clock(incident, now=now) == "Overdue by 8 hours 30 minutes"
    incident.ico_decision = "no"
    assert ico_clock(incident, now=now) == "Decided not to tell the ICO"
    assert ico_clock(Incident(aware_at=now, kind="drill"), now=now) == "No ICO deadline: this is a drill"
    assert ico_clock(Incident(aware_at=now, kind="near_miss"), now=now).startswith("No ICO deadline")


def test_durations_read_plainly() -> None:
    assert plain_duration(datetime.timedelta(seconds=40)) == "40 seconds"
    assert plain_duration(datetime.timedelta(minutes=1)) == "1 minute"
    assert plain_duration(datetime.timedelta(minutes=14, seconds=5)) == "14 minutes 5 seconds"
    assert plain_duration(datetime.timedelta(days=2, seconds=5)) == "2 days"
    assert plain_duration(datetime.timedelta(0)) == "0 seconds"


def test_an_overdue_incident_says_so_on_its_page_and_in_the_list(dpo: Client) -> None:
    incident = open_incident(hours_ago=73)
    assert "Overdue by 1 hour" in dpo.get(url(incident)).content.decode()
    assert "Overdue by 1 hour" in dpo.get("/staff/privacy-problems/").content.decode()


def test_the_list_shows_open_incidents_first_with_their_kind(dpo: Client) -> None:
    closed = open_incident(hours_ago=1, status="closed")
    old_open = open_incident(hours_ago=30)
    drill = open_incident(hours_ago=2, kind="drill")
    page = dpo.get("/staff/privacy-problems/").content.decode()
    assert page.index(drill.reference) < page.index(old_open.reference) < page.index(closed.reference)
    assert f"DRILL {drill.reference}" in page and "42 hours left" not in page
    assert "1 day 17 hours left" in page  # reported 30 hours ago: 41 hours 59 minutes and some seconds left


def test_an_incident_with_many_reports_pages_them_and_the_list_shows_the_first_few(dpo: Client) -> None:
    incident = open_incident()
    reports = [report_on(incident, f"Report number {n}") for n in range(55)]
    first = dpo.get(url(incident)).content.decode()
    assert "Reports (55)" in first and "Reports 1 to 50 of 55" in first
    assert reports[49].reference in first and reports[50].reference not in first
    second = dpo.get(url(incident), {"reports": 2}).content.decode()
    assert reports[54].reference in second and reports[0].reference not in second
    listed = dpo.get("/staff/privacy-problems/").content.decode()
    assert reports[2].reference in listed and reports[3].reference not in listed
    assert "All 55 reports" in listed


def test_the_list_costs_the_same_queries_however_many_incidents(dpo: Client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    report_on(open_incident())
    open_incident(kind="near_miss")
    dpo.get("/staff/privacy-problems/")  # the first request of a session does some one-off work
    with CaptureQueriesContext(connection) as few:
        dpo.get("/staff/privacy-problems/")
    for _ in range(4):
        report_on(open_incident(owner=None))
        open_incident(kind="near_miss")
    with CaptureQueriesContext(connection) as many:
        dpo.get("/staff/privacy-problems/")
    assert len(many) == len(few)


def test_a_long_timeline_is_shown_a_page_at_a_time(dpo: Client) -> None:
    from porch.incidents.models import TimelineEntry

    incident = open_incident()
    TimelineEntry.objects.bulk_create(TimelineEntry(incident=incident, what=f"Entry {n:04d}") for n in range(450))
    first = dpo.get(url(incident)).content.decode()
    assert "Entry 0000" in first and "Entry 0199" in first and "Entry 0200" not in first
    assert "Entries 1 to 200 of 450" in first
    last = dpo.get(url(incident), {"timeline": 3}).content.decode()
    assert "Entry 0449" in last and "Entry 0000" not in last and 'start="401"' in last
