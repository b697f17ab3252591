"""The housing system collects the outbox's updates through the signed API, in order, a page
at a time, and each collection is recorded against the people the updates are about."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from conftest import Cast
from porch.accounts.actors import actor_for_user
from porch.audit.models import AccessEvent
from porch.integrations import services
from porch.integrations.tests.helpers import Hms, connection
from porch.outbox.models import OutboxEvent
from porch.outbox.services import About, emit

pytestmark = pytest.mark.django_db
EVENTS = "/api/feed/v1/outbox/events"


def _updates(cast: Cast, count: int) -> list[int]:
    alice = cast["ashton"].people["alice"]
    positions = []
    for number in range(count):
        with transaction.atomic():
            event = emit("repair.reported", about=About("T000001", people=[alice.pk]), payload={"n": number})
        assert event is not None
        positions.append(event.pk)
    return positions


def test_updates_are_collected_in_order_a_page_at_a_time(cast: Cast) -> None:
    positions = _updates(cast, 3)
    hms = Hms(*connection(cast, scopes=("outbox",)))
    first = hms.get(f"{EVENTS}?limit=2").json()
    assert [event["position"] for event in first["events"]] == positions[:2]
    assert first["events"][0]["payload"] == {"n": 0} and first["events"][0]["topic"] == "repair.reported"
    rest = hms.get(f"{EVENTS}?after={first['next_after']}&limit=2").json()
    assert [event["position"] for event in rest["events"]] == positions[2:] and rest["next_after"] is None
    looks = AccessEvent.objects.filter(object_type="outbox_event", subject=cast["ashton"].people["alice"])
    assert looks.count() == 3 and all("collected by Housing management system" in look.reason for look in looks)


def test_a_connection_without_the_outbox_scope_collects_nothing(cast: Cast) -> None:
    _updates(cast, 1)
    hms = Hms(*connection(cast, scopes=("people",)))
    response = hms.get(EVENTS)
    assert response.status_code == 403 and "payload" not in response.content.decode()
    assert not AccessEvent.objects.filter(object_type="outbox_event").exists()


def test_with_no_webhook_collected_updates_are_delivered_and_each_connection_keeps_its_place(
    cast: Cast, settings: Any
) -> None:
    settings.OUTBOX_WEBHOOK_URL = ""
    positions = _updates(cast, 3)
    hms = Hms(*connection(cast, scopes=("outbox",)))
    hms.get(f"{EVENTS}?limit=2")
    states = dict(OutboxEvent.objects.values_list("id", "state"))
    assert [states[p] for p in positions] == ["delivered", "delivered", "waiting"]
    hms.get(f"{EVENTS}?after=0&limit=1")  # asking again from the start does not move it back
    hms.connection.refresh_from_db()
    assert hms.connection.outbox_collected_to == positions[1]


def test_with_a_webhook_set_collecting_leaves_delivery_to_the_webhook(cast: Cast, settings: Any) -> None:
    settings.OUTBOX_WEBHOOK_URL = "https://hms.example.org/events"
    _updates(cast, 2)
    hms = Hms(*connection(cast, scopes=("outbox",)))
    hms.get(EVENTS)
    assert set(OutboxEvent.objects.values_list("state", flat=True)) == {"waiting"}
    hms.connection.refresh_from_db()
    assert hms.connection.outbox_collected_to == max(OutboxEvent.objects.values_list("id", flat=True))


def test_every_switched_on_connection_reading_the_outbox_holds_back_what_it_has_not_collected(cast: Cast) -> None:
    assert services.outbox_collected_by_all() is None  # nobody reads the outbox
    connection(cast, name="Sends people only", scopes=("people",))
    assert services.outbox_collected_by_all() is None
    quick, _ = connection(cast, name="Quick", scopes=("outbox",))
    slow, _ = connection(cast, name="Slow", scopes=("outbox", "people"))
    quick.outbox_collected_to, slow.outbox_collected_to = 40, 25
    quick.save(), slow.save()
    assert services.outbox_collected_by_all() == 25
    services.connection_switch_off(actor=actor_for_user(cast.staff["admin"], verified=True), connection=slow)
    assert services.outbox_collected_by_all() == 40


def test_outbox_prune_removes_old_deliveries_but_not_what_a_connection_has_yet_to_collect(
    cast: Cast, settings: Any
) -> None:
    settings.OUTBOX_WEBHOOK_URL, settings.OUTBOX_KEEP_DAYS = "", 30
    positions = _updates(cast, 3)
    hms = Hms(*connection(cast, scopes=("outbox",)))
    hms.get(f"{EVENTS}?limit=2")
    long_ago = timezone.now() - datetime.timedelta(days=31)
    OutboxEvent.objects.update(state="delivered", delivered_at=long_ago, next_attempt_at=None)  # all three, by webhook
    out = StringIO()
    call_command("outbox_prune", stdout=out)
    assert list(OutboxEvent.objects.values_list("id", flat=True)) == positions[2:]
    assert "Removed 2 updates" in out.getvalue() and "Kept 1 older ones" in out.getvalue()
    rest = hms.get(f"{EVENTS}?after={positions[1]}").json()
    assert [event["position"] for event in rest["events"]] == positions[2:]
