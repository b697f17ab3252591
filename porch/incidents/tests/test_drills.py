"""Drills: a DPO starts one, the real ladder is called, nothing real is switched off, and
the drills page shows each step's time against its goal."""

from __future__ import annotations

import datetime
import re
import secrets

from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import Cast, sign_in
from porch.incidents import escalation
from porch.incidents.drills import MET, MISSED, NOT_YET, drill_timings, with_first_notification
from porch.incidents.models import Incident, Notification
from porch.rollout.models import ModuleSwitch
from porch.rollout.switches import forget, modules_off

SECOND = datetime.timedelta(seconds=1)
MINUTE = datetime.timedelta(minutes=1)


def key_from(page: str) -> str:
    return re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]


def drill(*, started: datetime.datetime | None = None, **fields: object) -> Incident:
    return Incident.objects.create(aware_at=started or timezone.now(), kind="drill", summary="Drill", **fields)


def call(incident: Incident, *, status: str, sent_after: datetime.timedelta | None = None) -> Notification:
    return Notification.objects.create(
        incident=incident,
        rung=1,
        channel=Notification.Channel.EMAIL,
        address=f"{secrets.token_hex(4)}@example.org",
        due_at=incident.aware_at,
        status=status,
        sent_at=incident.aware_at + sent_after if sent_after is not None else None,
        ack_nonce=secrets.token_hex(16),
    )


def test_starting_a_drill_asks_first_then_calls_the_real_ladder_once(
    cast: Cast, settings, django_capture_on_commit_callbacks
) -> None:
    settings.INCIDENT_ALERT_EMAILS = ["oncall@example.org"]
    dpo = sign_in(Client(), cast.staff["dpo"])
    confirm = dpo.get("/staff/privacy-problems/drills/start/").content.decode()
    assert "The real people on call will be called now" in confirm and "oncall@example.org" not in confirm
    assert not Incident.objects.exists()  # opening the confirmation page starts nothing

    data = {"idempotency_key": key_from(confirm)}
    with django_capture_on_commit_callbacks(execute=True):
        first = dpo.post("/staff/privacy-problems/drills/start/", data)
    with django_capture_on_commit_callbacks(execute=True):
        again = dpo.post("/staff/privacy-problems/drills/start/", data)
    started = Incident.objects.get()
    assert started.kind == "drill" and started.summary.startswith("Drill")
    assert first["Location"] == again["Location"] == f"/staff/privacy-problems/{started.uuid}/"

    assert escalation.send_due(now=timezone.now()) == 1
    assert mail.outbox[0].to == ["oncall@example.org"] and mail.outbox[0].subject.startswith("DRILL")
    page = dpo.get(first["Location"]).content.decode()
    assert f"DRILL {started.reference}" in page and "No ICO deadline: this is a drill" in page
    assert "Tell the ICO by" not in page and "Decision: tell the ICO?" not in page


def test_only_the_dpo_starts_a_drill(cast: Cast) -> None:
    cs = sign_in(Client(), cast.staff["cs"])
    assert (
        cs.post("/staff/privacy-problems/drills/start/", {"idempotency_key": str(secrets.token_hex(16))}).status_code
        == 403
    )
    assert cs.get("/staff/privacy-problems/drills/").status_code == 403
    assert not Incident.objects.exists()


def test_stop_it_now_on_a_drill_switches_nothing_off(cast: Cast) -> None:
    rehearsal = drill()
    dpo = sign_in(Client(), cast.staff["dpo"])
    page = dpo.get(f"/staff/privacy-problems/{rehearsal.uuid}/").content.decode()
    assert "Record the switch-off (drill)" in page and "Switch off now" not in page

    response = dpo.post(
        f"/staff/privacy-problems/{rehearsal.uuid}/contain/", {"contain-module": "portal", "contain-whole_portal": "on"}
    )
    assert response.status_code == 302
    rehearsal.refresh_from_db()
    assert rehearsal.status == "contained" and rehearsal.contained_at and rehearsal.acknowledged_at
    forget()
    assert modules_off() == frozenset() and not ModuleSwitch.objects.exists()
    assert sign_in(Client(), cast.resident("alice")).get("/documents/").status_code == 200
    assert rehearsal.timeline.last().what == (
        "Drill: would have switched off for everyone: The whole portal. Nothing was switched off."
    )


def test_a_drill_closes_without_decisions_or_a_review(cast: Cast) -> None:
    rehearsal = drill()
    dpo = sign_in(Client(), cast.staff["dpo"])
    assert dpo.post(f"/staff/privacy-problems/{rehearsal.uuid}/status/", {"status": "closed"}).status_code == 302
    rehearsal.refresh_from_db()
    assert rehearsal.status == "closed"


def test_timings_count_from_the_report_to_the_first_call_actually_sent(db) -> None:
    start = timezone.now() - datetime.timedelta(hours=3)
    rehearsal = drill(started=start, acknowledged_at=start + 20 * MINUTE)
    call(rehearsal, status=Notification.Status.FAILED)  # never got through: does not count
    call(rehearsal, status=Notification.Status.SENT, sent_after=2 * MINUTE)
    call(rehearsal, status=Notification.Status.SENT, sent_after=30 * SECOND)

    notified, acknowledged, contained = drill_timings(rehearsal, now=start + 30 * MINUTE)
    assert (notified.took, notified.outcome, notified.took_text) == (30 * SECOND, MET, "30 seconds")
    assert (acknowledged.took, acknowledged.outcome) == (20 * MINUTE, MISSED)
    assert (contained.took, contained.outcome, contained.took_text) == (None, NOT_YET, "not done")
    # An hour on, containment can no longer meet its goal.
    assert drill_timings(rehearsal, now=start + 61 * MINUTE)[2].outcome == MISSED


def test_timings_are_met_on_the_goal_itself_and_not_yet_before_any_call(db) -> None:
    start = timezone.now()
    rehearsal = drill(started=start, acknowledged_at=start + 15 * MINUTE, contained_at=start + 60 * MINUTE)
    notified, acknowledged, contained = drill_timings(rehearsal, now=start + 10 * SECOND)
    assert notified.outcome == NOT_YET and notified.took is None
    assert acknowledged.outcome == MET and contained.outcome == MET
    assert notified.goal_text == "within 1 minute" and contained.goal_text == "within 1 hour"


def test_timings_read_the_first_call_from_the_annotation_when_listed(db) -> None:
    start = timezone.now()
    rehearsal = drill(started=start)
    call(rehearsal, status=Notification.Status.SENT, sent_after=45 * SECOND)
    listed = with_first_notification(Incident.objects.filter(pk=rehearsal.pk)).get()
    with CaptureQueriesContext(connection) as queries:
        notified = drill_timings(listed, now=start + MINUTE)[0]
    assert notified.took == 45 * SECOND and len(queries) == 0


def test_the_drills_page_shows_the_history_against_the_goals(cast: Cast) -> None:
    start = timezone.now() - datetime.timedelta(days=1)
    good = drill(started=start, acknowledged_at=start + 5 * MINUTE, contained_at=start + 20 * MINUTE)
    call(good, status=Notification.Status.SENT, sent_after=20 * SECOND)
    slow = drill(started=start - datetime.timedelta(days=7))
    incident = Incident.objects.create(aware_at=start, summary="Not a drill")
    dpo = sign_in(Client(), cast.staff["dpo"])
    page = dpo.get("/staff/privacy-problems/drills/").content.decode()
    assert f"DRILL {good.reference}" in page and f"DRILL {slow.reference}" in page
    assert incident.reference not in page
    assert page.index(good.reference) < page.index(slow.reference)  # newest first
    assert page.count(">Met<") == 3 and page.count(">Missed<") == 3
    assert "20 seconds" in page and "5 minutes" in page and "20 minutes" in page


def test_the_drills_page_costs_the_same_queries_however_many_drills(cast: Cast) -> None:
    dpo = sign_in(Client(), cast.staff["dpo"])
    call(drill(), status=Notification.Status.SENT, sent_after=SECOND)
    dpo.get("/staff/privacy-problems/drills/")
    with CaptureQueriesContext(connection) as few:
        dpo.get("/staff/privacy-problems/drills/")
    for _ in range(4):
        call(drill(), status=Notification.Status.SENT, sent_after=SECOND)
    with CaptureQueriesContext(connection) as many:
        dpo.get("/staff/privacy-problems/drills/")
    assert len(many) == len(few)
