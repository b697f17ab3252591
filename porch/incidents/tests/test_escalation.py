"""The escalation ladder: called in order until someone acknowledges, by the worker,
over real SMTP and a real webhook, once per step even when the worker crashes."""

from __future__ import annotations

import datetime
import re
import time
from collections import Counter
from unittest import mock

import pytest
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from conftest import Cast, sign_in
from porch.accounts.actors import actor_for_user
from porch.incidents import escalation
from porch.incidents.models import Incident, Notification, OnCallShift
from porch.incidents.services import incident_open
from porch.incidents.tests.servers import smtp_server, webhook_server

MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def rota(cast: Cast, settings) -> None:
    """The DPO is call 1, the system administrator (senior engineer) call 2, the team list last."""
    settings.INCIDENT_ALERT_EMAILS = ["team@example.org"]
    settings.ESCALATION_WAIT_MINUTES = 15
    now = timezone.now()
    for rung, who in ((1, "dpo"), (2, "admin")):
        OnCallShift.objects.create(
            user=cast.staff[who],
            rung=rung,
            starts_at=now - datetime.timedelta(days=1),
            ends_at=now + 7 * 24 * 60 * MINUTE,
        )


def open_incident(capture, kind: str = Incident.Kind.INCIDENT) -> Incident:
    with capture(execute=True):
        return incident_open(actor=None, summary="Another family's letter", kind=kind)


def link_in(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/on-call/acknowledge/[^\s]+)", body).group(1)  # type: ignore[union-attr]


def test_the_ladder_calls_one_rung_at_a_time_until_someone_acknowledges(
    cast: Cast, rota, django_capture_on_commit_callbacks
) -> None:
    incident = open_incident(django_capture_on_commit_callbacks)
    start = incident.notifications.get(rung=1).due_at

    assert escalation.send_due(now=start) == 1
    assert [message.to for message in mail.outbox] == [["dpo@staff.example.org"]]
    assert escalation.send_due(now=start + 14 * MINUTE) == 0  # still within call 1's quarter of an hour
    assert escalation.send_due(now=start + 15 * MINUTE) == 1
    assert mail.outbox[-1].to == ["admin@staff.example.org"]

    # The senior engineer acknowledges from the link in their email: the team list is never called.
    response = Client().post(link_in(mail.outbox[-1].body))
    assert "Acknowledged" in response.content.decode()
    assert escalation.send_due(now=start + 60 * MINUTE) == 0
    incident.refresh_from_db()
    assert incident.status == Incident.Status.ACKNOWLEDGED and incident.acknowledged_by == cast.staff["admin"]
    statuses = dict(incident.notifications.values_list("rung", "status"))
    assert statuses == {1: "sent", 2: "sent", 3: "cancelled"}
    assert len(mail.outbox) == 2


def test_with_an_empty_rota_the_alert_list_is_called_at_once(db, settings, django_capture_on_commit_callbacks) -> None:
    settings.INCIDENT_ALERT_EMAILS = ["dpo@example.org", "engineer@example.org"]
    incident = open_incident(django_capture_on_commit_callbacks)
    escalation.send_due(now=timezone.now())
    assert sorted(message.to[0] for message in mail.outbox) == ["dpo@example.org", "engineer@example.org"]
    assert "the alert list" in incident.timeline.first().what or any(
        "the alert list" in entry.what for entry in incident.timeline.all()
    )


def test_nobody_to_call_is_shouted_on_the_timeline(db, settings, django_capture_on_commit_callbacks) -> None:
    settings.INCIDENT_ALERT_EMAILS = []
    incident = open_incident(django_capture_on_commit_callbacks)
    assert not incident.notifications.exists()
    assert incident.timeline.filter(what__startswith="NOBODY TO CALL").exists()


def test_starting_the_ladder_twice_writes_it_once(cast: Cast, rota, django_capture_on_commit_callbacks) -> None:
    incident = open_incident(django_capture_on_commit_callbacks)
    escalation.escalation_start(incident.pk)
    assert incident.notifications.count() == 3


def test_a_call_carries_no_personal_data_only_the_reference_and_links(
    cast: Cast, rota, django_capture_on_commit_callbacks
) -> None:
    incident = open_incident(django_capture_on_commit_callbacks)
    escalation.send_due(now=timezone.now())
    body = mail.outbox[0].body
    assert incident.reference in mail.outbox[0].subject
    assert "Another family" not in body
    assert f"/staff/privacy-problems/{incident.uuid}/" in body


def test_a_drill_goes_through_the_real_ladder_marked_as_a_drill(
    cast: Cast, rota, django_capture_on_commit_callbacks
) -> None:
    open_incident(django_capture_on_commit_callbacks, kind=Incident.Kind.DRILL)
    escalation.send_due(now=timezone.now())
    assert mail.outbox[0].subject.startswith("DRILL")
    assert "THIS IS A DRILL" in mail.outbox[0].body


# --- The acknowledgement link ---------------------------------------------------------


def sent_link(cast: Cast, capture) -> tuple[Incident, str]:
    incident = open_incident(capture)
    escalation.send_due(now=timezone.now())
    return incident, link_in(mail.outbox[0].body)


def test_opening_the_link_does_not_acknowledge_only_the_button_does(
    cast: Cast, rota, django_capture_on_commit_callbacks
) -> None:
    incident, link = sent_link(cast, django_capture_on_commit_callbacks)
    page = Client().get(link).content.decode()  # a mail scanner opening every link
    assert incident.reference in page and "I am dealing with it" in page
    assert "Another family" not in page
    incident.refresh_from_db()
    assert incident.acknowledged_at is None


def test_a_link_works_once(cast: Cast, rota, django_capture_on_commit_callbacks) -> None:
    _, link = sent_link(cast, django_capture_on_commit_callbacks)
    assert Client().post(link).status_code == 200
    again = Client().post(link)
    assert again.status_code == 410 and "used already" in again.content.decode()
    assert Client().get(link).status_code == 410


def test_a_forged_or_altered_link_does_nothing(cast: Cast, rota, django_capture_on_commit_callbacks) -> None:
    incident, link = sent_link(cast, django_capture_on_commit_callbacks)
    forged = signing.TimestampSigner(salt="something else").sign(incident.notifications.first().ack_nonce)
    for bad in (link[:-3] + "abc/", f"/on-call/acknowledge/{forged}/", "/on-call/acknowledge/nonsense/"):
        assert Client().post(bad).status_code == 404
    incident.refresh_from_db()
    assert incident.acknowledged_at is None


def test_a_link_expires(cast: Cast, rota, settings, django_capture_on_commit_callbacks) -> None:
    settings.ACKNOWLEDGE_LINK_HOURS = 24
    incident = open_incident(django_capture_on_commit_callbacks)
    call = incident.notifications.get(rung=1)
    a_day_ago = time.time() - 24 * 3600 - 5
    with mock.patch("django.core.signing.time.time", return_value=a_day_ago):
        old_link = escalation.acknowledge_path(call)
    assert Client().post(old_link).status_code == 404
    incident.refresh_from_db()
    assert incident.acknowledged_at is None


def test_a_responder_can_acknowledge_from_the_incident_page(
    cast: Cast, rota, django_capture_on_commit_callbacks
) -> None:
    incident = open_incident(django_capture_on_commit_callbacks)
    escalation.send_due(now=timezone.now())
    client = sign_in(Client(), cast.staff["dpo"])
    client.post(f"/staff/privacy-problems/{incident.uuid}/acknowledge/")
    incident.refresh_from_db()
    assert incident.acknowledged_by == cast.staff["dpo"]
    assert set(incident.notifications.values_list("status", flat=True)) == {"sent", "cancelled"}


def test_staff_never_called_about_an_incident_cannot_acknowledge_it(
    cast: Cast, rota, django_capture_on_commit_callbacks
) -> None:
    incident = open_incident(django_capture_on_commit_callbacks)
    response = sign_in(Client(), cast.staff["cs"]).post(f"/staff/privacy-problems/{incident.uuid}/acknowledge/")
    assert response.status_code == 404
    incident.refresh_from_db()
    assert incident.acknowledged_at is None


def test_the_engineer_called_about_an_incident_may_open_it_and_nothing_else(
    cast: Cast, rota, django_capture_on_commit_callbacks
) -> None:
    from porch.incidents import access

    called_about = open_incident(django_capture_on_commit_callbacks)
    escalation.send_due(now=timezone.now() + 15 * MINUTE)
    with django_capture_on_commit_callbacks(execute=True):
        incident_open(actor=None, summary="other", kind=Incident.Kind.INCIDENT)  # call 2 not made yet
    engineer = actor_for_user(cast.staff["admin"], verified=True)
    assert list(access.incidents_for(engineer)) == [called_about]
    assert not access.may_decide(engineer)


# --- Real delivery: SMTP and a chat webhook on 127.0.0.1 -------------------------------


def smtp_settings(settings, port: int) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }


def test_the_call_reaches_a_real_smtp_server(cast: Cast, rota, settings, django_capture_on_commit_callbacks) -> None:
    with smtp_server() as (mailbox, port):
        smtp_settings(settings, port)
        incident = open_incident(django_capture_on_commit_callbacks)
        escalation.send_due(now=timezone.now())
    assert mailbox.to() == ["dpo@staff.example.org"]
    message = mailbox.messages[0][1]
    assert incident.reference in message["Subject"]
    assert "/on-call/acknowledge/" in message.get_payload()
    assert incident.notifications.get(rung=1).status == "sent"


def test_a_refused_email_is_marked_failed_on_the_incident(
    cast: Cast, rota, settings, django_capture_on_commit_callbacks
) -> None:
    with smtp_server() as (_, port):
        pass  # started and stopped: nothing listens on the port now
    smtp_settings(settings, port)
    incident = open_incident(django_capture_on_commit_callbacks)
    escalation.send_due(now=timezone.now())
    call = incident.notifications.get(rung=1)
    assert call.status == "failed" and call.error
    assert incident.timeline.filter(what__contains="FAILED").exists()


def test_each_rung_is_posted_to_the_chat_webhook(
    cast: Cast, rota, settings, django_capture_on_commit_callbacks
) -> None:
    with webhook_server() as (hook, url):
        settings.INCIDENT_WEBHOOK_URL = url
        incident = open_incident(django_capture_on_commit_callbacks)
        escalation.send_due(now=timezone.now())
    assert len(hook.posts) == 1
    post = hook.posts[0]
    assert post["incident"] == incident.reference and post["call"] == "1"
    assert incident.reference in post["text"] and "/on-call/acknowledge/" in post["acknowledge_url"]
    webhook_call = incident.notifications.get(rung=1, channel="webhook")
    assert webhook_call.status == "sent"
    assert webhook_call.shown_address == "chat (127.0.0.1)"  # the secret path is never shown


def test_a_webhook_that_answers_with_an_error_is_marked_failed(
    cast: Cast, rota, settings, django_capture_on_commit_callbacks
) -> None:
    with webhook_server(answer=500) as (hook, url):
        settings.INCIDENT_WEBHOOK_URL = url
        incident = open_incident(django_capture_on_commit_callbacks)
        escalation.send_due(now=timezone.now())
    assert len(hook.posts) == 1
    webhook_call = incident.notifications.get(rung=1, channel="webhook")
    assert webhook_call.status == "failed" and "500" in webhook_call.error
    assert incident.notifications.get(rung=1, channel="email").status == "sent"


# --- The worker --------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_sends_call_one_at_once_and_holds_call_two(
    cast: Cast, rota, django_capture_on_commit_callbacks
) -> None:
    from django.core.management import call_command

    incident = open_incident(django_capture_on_commit_callbacks)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    assert [message.to for message in mail.outbox] == [["dpo@staff.example.org"]]
    assert Counter(incident.notifications.values_list("status", flat=True)) == {"sent": 1, "queued": 2}


def test_a_crashed_send_is_never_repeated_and_the_rest_still_go(
    cast: Cast, rota, django_capture_on_commit_callbacks
) -> None:
    """In process: the deliverer dies mid-send. The worker-process version is in test_escalation_worker.py."""
    incident = open_incident(django_capture_on_commit_callbacks)
    call = incident.notifications.get(rung=1)

    def die(_: Notification) -> None:
        raise SystemExit("the worker died")

    with pytest.raises(SystemExit):
        escalation.deliver_one(call.pk, now=timezone.now(), deliver=die)
    assert escalation.deliver_one(call.pk, now=timezone.now() + 60 * MINUTE) == "skipped"
    assert escalation.send_due(now=timezone.now() + 60 * MINUTE) == 2
    assert Counter(incident.notifications.values_list("status", flat=True)) == {"sending": 1, "sent": 2}
    assert [message.to[0] for message in mail.outbox] == ["admin@staff.example.org", "team@example.org"]


# --- The rota page ------------------------------------------------------------------------


def test_the_dpo_puts_someone_on_the_rota_and_takes_them_off(cast: Cast, db) -> None:
    client = sign_in(Client(), cast.staff["dpo"])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    week = tomorrow + datetime.timedelta(days=7)
    response = client.post(
        "/staff/on-call/",
        {
            "user": cast.staff["admin"].pk,
            "rung": "2",
            "role_label": "Senior engineer",
            "start_date_day": tomorrow.day,
            "start_date_month": tomorrow.month,
            "start_date_year": tomorrow.year,
            "start_time": "09:00",
            "end_date_day": week.day,
            "end_date_month": week.month,
            "end_date_year": week.year,
            "end_time": "9.00",
        },
    )
    assert response.status_code == 302
    shift = OnCallShift.objects.get()
    assert shift.user == cast.staff["admin"] and shift.rung == 2
    assert timezone.localtime(shift.starts_at).hour == 9
    assert "Senior engineer" in client.get("/staff/on-call/").content.decode()
    client.post(f"/staff/on-call/{shift.uuid}/remove/")
    assert not OnCallShift.objects.exists()


def test_a_shift_ending_before_it_starts_is_refused_with_an_error_summary(cast: Cast, db) -> None:
    client = sign_in(Client(), cast.staff["dpo"])
    today = timezone.localdate() + datetime.timedelta(days=1)
    page = client.post(
        "/staff/on-call/",
        {
            "user": cast.staff["admin"].pk,
            "rung": "1",
            "start_date_day": today.day,
            "start_date_month": today.month,
            "start_date_year": today.year,
            "start_time": "17:00",
            "end_date_day": today.day,
            "end_date_month": today.month,
            "end_date_year": today.year,
            "end_time": "25:00",
        },
    ).content.decode()
    assert "govuk-error-summary" in page and "24-hour time" in page
    assert not OnCallShift.objects.exists()


def test_other_staff_see_who_is_on_call_but_cannot_change_it(cast: Cast, rota) -> None:
    client = sign_in(Client(), cast.staff["cs"])
    page = client.get("/staff/on-call/").content.decode()
    assert "admin@staff.example.org" in page  # who to pass a call to
    assert "Add someone to the rota" not in page
    assert client.post("/staff/on-call/", {"user": cast.staff["cs"].pk}).status_code == 403
    assert OnCallShift.objects.count() == 2


def test_one_office_acknowledging_many_incidents_is_never_turned_away(
    cast: Cast, rota, django_capture_on_commit_callbacks
) -> None:
    links = []
    for _ in range(8):
        open_incident(django_capture_on_commit_callbacks)
    escalation.send_due(now=timezone.now())
    links = [link_in(message.body) for message in mail.outbox]
    assert len(links) == 8
    assert [Client().post(link).status_code for link in links] == [200] * 8
    assert not Incident.objects.filter(acknowledged_at__isnull=True).exists()


def test_a_closed_incident_cannot_be_acknowledged(cast: Cast, rota, django_capture_on_commit_callbacks) -> None:
    incident, link = sent_link(cast, django_capture_on_commit_callbacks)
    Incident.objects.filter(pk=incident.pk).update(status=Incident.Status.CLOSED)
    response = Client().post(link)
    assert response.status_code == 410 and "has been closed" in response.content.decode()
    incident.refresh_from_db()
    assert incident.acknowledged_at is None


def test_with_no_rota_and_no_alert_list_every_dpo_is_called(
    cast: Cast, settings, django_capture_on_commit_callbacks
) -> None:
    settings.INCIDENT_ALERT_EMAILS = []
    incident = open_incident(django_capture_on_commit_callbacks)
    escalation.send_due(now=timezone.now())
    assert [message.to for message in mail.outbox] == [["dpo@staff.example.org"]]
    assert incident.timeline.filter(what__contains="every Data Protection Officer").exists()


def test_only_people_actually_called_may_own_an_incident(cast: Cast, rota, django_capture_on_commit_callbacks) -> None:
    from porch.incidents.services import owner_candidates

    incident = open_incident(django_capture_on_commit_callbacks)
    escalation.send_due(now=timezone.now())  # call 1 (the DPO) only; the engineer is not called yet
    assert list(owner_candidates(incident)) == [cast.staff["dpo"]]
    escalation.send_due(now=timezone.now() + 15 * MINUTE)
    assert set(owner_candidates(incident)) == {cast.staff["dpo"], cast.staff["admin"]}
