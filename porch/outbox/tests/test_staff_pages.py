"""The staff's outbox pages: system administrators and the DPO watch the deliveries, a system
administrator sends a given-up update again, and only the DPO reads what an update said."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import Cast, sign_in
from porch.accounts.actors import actor_for_user
from porch.audit.models import AccessEvent
from porch.exposure.rules import served_outside_model
from porch.outbox.models import OutboxEvent
from porch.outbox.services import events_collected, payload_read

from .hms import SECRET, hms_server

LIST = "/staff/outbox/"
TASK = "porch.outbox.delivery.outbox_event_send"


def staff(cast: Cast, who: str) -> Client:
    return sign_in(Client(), cast.staff[who])


def event_about_alice(cast: Cast, state: str = OutboxEvent.State.DEAD, **fields: Any) -> OutboxEvent:
    alice = cast["ashton"].people["alice"]
    done = state != OutboxEvent.State.WAITING
    values: dict[str, Any] = {
        "topic": "details_change.approved",
        "about": alice.housing_reference,
        "payload": {"person_ref": alice.housing_reference, "field": "mobile", "new_value": "07700 900982"},
        "subject_ids": [alice.pk],
        "state": state,
        "attempts": 8 if state == OutboxEvent.State.DEAD else 1,
        "next_attempt_at": None if done else timezone.now(),
        "delivered_at": timezone.now() if state == OutboxEvent.State.DELIVERED else None,
        "last_error": "The housing system answered 503" if state == OutboxEvent.State.DEAD else "",
    }
    return OutboxEvent.objects.create(**(values | fields))


def test_the_list_shows_each_updates_deliveries_and_no_personal_data(cast: Cast, settings: Any) -> None:
    settings.OUTBOX_WEBHOOK_URL = "https://hms.example.org/events"
    dead = event_about_alice(cast)
    event_about_alice(cast, OutboxEvent.State.DELIVERED)
    event_about_alice(cast, OutboxEvent.State.WAITING)
    page = staff(cast, "admin").get(LIST).content.decode()
    assert "Details change approved" in page and "The housing system answered 503" in page
    assert f'href="/staff/outbox/{dead.uuid}/"' in page
    assert "Gave up</a> (1)" in page and "Waiting to be sent</a> (1)" in page
    assert dead.about not in page and "07700" not in page  # the reference and the payload are not shown
    assert not AccessEvent.objects.filter(object_type="outbox_event").exists()


def test_with_no_webhook_the_list_counts_what_is_waiting_to_be_collected(cast: Cast, settings: Any) -> None:
    settings.OUTBOX_WEBHOOK_URL = ""
    client = staff(cast, "admin")
    waiting = [event_about_alice(cast, OutboxEvent.State.WAITING) for _ in range(3)]
    page = client.get(LIST).content.decode()
    assert "It has not collected any updates yet. 3 updates are waiting to be collected." in page
    assert "Waiting to be collected</a> (3)" in page and "Waiting to be sent" not in page
    assert "Gave up" not in page  # nothing is ever sent, so nothing is given up on
    events_collected(waiting[:2])  # the housing system collects the first two
    page = client.get(LIST).content.decode()
    assert f"It has collected every update up to update {waiting[1].pk}. 1 update is waiting to be collected." in page
    assert "Waiting to be collected</a> (1)" in page and ">Collected</strong>" in page
    event = client.get(f"/staff/outbox/{waiting[0].uuid}/").content.decode()
    assert ">Collected</dt>" in event and "Next try" not in event
    later = client.get(f"/staff/outbox/{waiting[2].uuid}/").content.decode()
    assert ">Waiting to be collected</strong>" in later and "Next try" not in later


def test_with_a_webhook_the_list_counts_what_is_waiting_to_be_sent(cast: Cast, settings: Any) -> None:
    settings.OUTBOX_WEBHOOK_URL = "https://hms.example.org/events"
    event_about_alice(cast, OutboxEvent.State.WAITING)
    page = staff(cast, "admin").get(LIST).content.decode()
    assert "Waiting to be sent</a> (1)" in page and "Gave up</a> (0)" in page
    assert "waiting to be collected" not in page.lower()


def test_the_list_shows_one_state_when_asked(cast: Cast) -> None:
    dead = event_about_alice(cast)
    delivered = event_about_alice(cast, OutboxEvent.State.DELIVERED)
    page = staff(cast, "dpo").get(LIST + "?state=dead").content.decode()
    assert f"/staff/outbox/{dead.uuid}/" in page and f"/staff/outbox/{delivered.uuid}/" not in page
    everything = staff(cast, "dpo").get(LIST + "?state=anything").content.decode()  # not a state: every update
    assert f"/staff/outbox/{dead.uuid}/" in everything and f"/staff/outbox/{delivered.uuid}/" in everything


def test_the_list_is_paged_by_position_the_newest_first(cast: Cast) -> None:
    events = [event_about_alice(cast, OutboxEvent.State.DELIVERED) for _ in range(52)]
    client = staff(cast, "admin")
    first = client.get(LIST + "?state=delivered").content.decode()
    shown = [int(n) for n in re.findall(r'/staff/outbox/[0-9a-f-]+/">(\d+)<span', first)]
    assert shown == [event.pk for event in reversed(events)][:50]
    older = re.search(r'href="\?([^"]*older=\d+[^"]*)" rel="next"', first)
    assert older is not None
    second = client.get(LIST + "?" + older.group(1).replace("&amp;", "&")).content.decode()
    assert [int(n) for n in re.findall(r'/staff/outbox/[0-9a-f-]+/">(\d+)<span', second)] == [
        events[1].pk,
        events[0].pk,
    ]


def test_the_list_reads_in_the_same_number_of_queries_however_many_updates_it_shows(cast: Cast) -> None:
    client = staff(cast, "admin")
    event_about_alice(cast)
    client.get(LIST)  # the first page of a session does more (the session's first save, and so on)
    with CaptureQueriesContext(connection) as one:
        assert client.get(LIST).status_code == 200
    for _ in range(40):
        event_about_alice(cast)
    with CaptureQueriesContext(connection) as many:
        assert client.get(LIST).status_code == 200
    assert len(many.captured_queries) == len(one.captured_queries)


def test_an_update_page_shows_its_deliveries_but_no_personal_data_to_a_system_administrator(cast: Cast) -> None:
    event = event_about_alice(cast)
    page = staff(cast, "admin").get(f"{LIST}{event.uuid}/").content.decode()
    assert str(event.uuid) in page and "Gave up" in page and "The housing system answered 503" in page
    assert "Send it again" in page
    assert event.about not in page and "See what this update said" not in page


def test_the_dpo_sees_the_update_page_without_the_button_to_send_again(cast: Cast) -> None:
    event = event_about_alice(cast)
    page = staff(cast, "dpo").get(f"{LIST}{event.uuid}/").content.decode()
    assert "See what this update said" in page and "Send it again" not in page


def test_a_forged_id_is_not_found(cast: Cast) -> None:
    client = staff(cast, "admin")
    assert client.get(f"{LIST}{uuid.uuid4()}/").status_code == 404
    assert client.post(f"{LIST}{uuid.uuid4()}/send-again/").status_code == 404
    assert staff(cast, "dpo").get(f"{LIST}{uuid.uuid4()}/payload/").status_code == 404


@pytest.mark.parametrize("who", ["dpo", "cs", "north"])
def test_only_a_system_administrator_sends_again(cast: Cast, who: str) -> None:
    event = event_about_alice(cast)
    assert staff(cast, who).post(f"{LIST}{event.uuid}/send-again/").status_code == 403
    event.refresh_from_db()
    assert event.state == "dead"


def test_sending_again_puts_it_back_in_line_and_records_who_did(
    cast: Cast, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.OUTBOX_WEBHOOK_URL, settings.OUTBOX_WEBHOOK_SECRET = "https://hms.example.org/events", SECRET
    event = event_about_alice(cast)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff(cast, "admin").post(f"{LIST}{event.uuid}/send-again/")
    assert response.status_code == 302 and response["Location"] == f"{LIST}{event.uuid}/"
    event.refresh_from_db()
    assert (event.state, event.attempts) == ("waiting", 0) and event.next_attempt_at is not None
    assert DBTaskResult.objects.get(task_path=TASK).args_kwargs["args"] == [event.pk]
    audit = AccessEvent.objects.get(object_type="outbox_event")
    assert (audit.action, audit.actor, audit.object_id) == ("update", cast.staff["admin"], str(event.uuid))
    assert audit.subject is None and audit.reason == "sent again after 8 failed tries"


def test_sending_again_twice_sends_it_once(cast: Cast, settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    settings.OUTBOX_WEBHOOK_URL, settings.OUTBOX_WEBHOOK_SECRET = "https://hms.example.org/events", SECRET
    event = event_about_alice(cast)
    client = staff(cast, "admin")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{LIST}{event.uuid}/send-again/")
        second = client.post(f"{LIST}{event.uuid}/send-again/", follow=True)
    assert "This update is not one we gave up on" in second.content.decode()
    assert DBTaskResult.objects.filter(task_path=TASK).count() == 1
    assert AccessEvent.objects.filter(object_type="outbox_event", action="update").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_given_up_update_sent_again_reaches_the_housing_system(
    cast: Cast, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with hms_server() as hms:
        settings.OUTBOX_WEBHOOK_URL, settings.OUTBOX_WEBHOOK_SECRET = hms.url, SECRET
        event = event_about_alice(cast)
        staff(cast, "admin").post(f"{LIST}{event.uuid}/send-again/")
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
        [post] = hms.posts()
    assert post.headers["Porch-Event-Id"] == str(event.uuid) and post.signed_with(SECRET)
    event.refresh_from_db()
    assert (event.state, event.attempts) == ("delivered", 1)
    page = staff(cast, "admin").get(f"{LIST}{event.uuid}/").content.decode()
    assert "Delivered" in page and "Send it again" not in page


def test_the_dpo_reads_what_an_update_said_and_the_look_is_recorded_against_the_person(cast: Cast) -> None:
    event = event_about_alice(cast)
    page = staff(cast, "dpo").get(f"{LIST}{event.uuid}/payload/").content.decode()
    assert event.about in page and "07700 900982" in page and str(event.uuid) in page
    audit = AccessEvent.objects.get(object_type="outbox_event")
    assert (audit.action, audit.actor, audit.subject) == ("view", cast.staff["dpo"], cast["ashton"].people["alice"])
    assert audit.object_id == str(event.uuid) and audit.route == "outbox:staff_payload"


def test_alice_is_told_on_her_privacy_page_that_the_dpo_looked(cast: Cast) -> None:
    event = event_about_alice(cast)
    staff(cast, "dpo").get(f"{LIST}{event.uuid}/payload/")
    page = sign_in(Client(), cast.resident("alice")).get("/privacy/").content.decode()
    assert "a copy of what we sent about you to our housing management system" in page
    assert "our Data Protection Officer" in page


def test_a_system_administrator_may_not_read_what_an_update_said(cast: Cast) -> None:
    event = event_about_alice(cast)
    assert staff(cast, "admin").get(f"{LIST}{event.uuid}/payload/").status_code == 403
    assert not AccessEvent.objects.filter(object_type="outbox_event").exists()


def test_a_dpo_without_current_training_may_not_read_what_an_update_said(cast: Cast) -> None:
    event = event_about_alice(cast)
    dpo = cast.staff["dpo"]
    dpo.training_completed_on = timezone.localdate().replace(year=2000)
    dpo.save(update_fields=["training_completed_on"])
    response = staff(cast, "dpo").get(f"{LIST}{event.uuid}/payload/")
    assert response.status_code == 403 and "training" in response.content.decode()
    assert not AccessEvent.objects.filter(object_type="outbox_event").exists()


def test_the_staff_home_links_to_the_outbox_for_those_it_admits(cast: Cast) -> None:
    assert LIST in staff(cast, "admin").get("/staff/").content.decode()
    assert LIST in staff(cast, "dpo").get("/staff/").content.decode()
    assert LIST not in staff(cast, "cs").get("/staff/").content.decode()


def test_the_exposure_report_counts_the_dpos_look_as_allowed_and_anyone_elses_as_not(cast: Cast, rf: Any) -> None:
    """Why system administrators do not read payloads: the access model gives them no
    residents' data, so every look by one would be data served outside the rules."""
    event = event_about_alice(cast)
    staff(cast, "dpo").get(f"{LIST}{event.uuid}/payload/")
    looks = AccessEvent.objects.filter(object_type="outbox_event")
    assert looks.count() == 1 and not served_outside_model(looks).exists()
    request = rf.get("/")
    payload_read(actor=actor_for_user(cast.staff["admin"], verified=True), event=event, request=request)
    assert [look.actor for look in served_outside_model(AccessEvent.objects.filter(object_type="outbox_event"))] == [
        cast.staff["admin"]
    ]
