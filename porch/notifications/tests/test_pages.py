"""The resident's notifications page and choices, and the staff's delivery counts."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.test import Client

from conftest import Cast, sign_in
from porch.accounts.actors import actor_for_user
from porch.audit.models import AccessEvent
from porch.notifications.kinds import Channel, Kind
from porch.notifications.models import Delivery, Notification, Preference
from porch.notifications.services import notifications_shown

from .helpers import REPAIR_TEXT, person, tell

LIST, CHOICES, STAFF = "/notifications/", "/notifications/choices/", "/staff/notifications/"


def client(cast: Cast, who: str) -> Client:
    if who.startswith("staff:"):
        return sign_in(Client(), cast.staff[who.removeprefix("staff:")])
    return sign_in(Client(), cast.resident(who))


def test_a_resident_sees_their_own_notifications_with_each_channels_status(cast: Cast) -> None:
    notification = tell(cast, "alice")
    Delivery.objects.filter(notification=notification).update(status=Delivery.Status.FAILED, attempts=5)
    page = client(cast, "alice").get(LIST).content.decode()
    assert REPAIR_TEXT in page and 'href="/repairs/"' in page
    assert "Email: not sent, after 5 tries." in page and "New" in page


def test_nobody_else_sees_them_not_even_the_joint_tenant(cast: Cast) -> None:
    tell(cast, "alice")
    for who in ("bob", "carol", "sam"):
        assert REPAIR_TEXT not in client(cast, who).get(LIST).content.decode()


def test_seeing_them_marks_them_read_and_is_audited_one_row_each(cast: Cast) -> None:
    first, second = tell(cast, "alice"), tell(cast, "alice", Kind.RENT)
    alice = client(cast, "alice")
    alice.get(LIST)
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    rows = AccessEvent.objects.filter(object_type="notification")
    assert sorted(rows.values_list("object_id", flat=True)) == sorted([str(first.uuid), str(second.uuid)])
    assert set(rows.values_list("subject_id", flat=True)) == {person(cast, "alice").pk}
    assert "New" not in alice.get(LIST).content.decode()


def test_the_choices_page_starts_from_the_defaults_and_saves_what_is_ticked(cast: Cast) -> None:
    alice = client(cast, "alice")
    page = alice.get(CHOICES).content.decode()
    assert "We do not have a mobile number for you" in page
    assert page.count("checked") == 4  # email for each choosable kind, no text without a mobile
    wanted = {"email": ["rent", "messages"], "sms": ["repairs"]}
    for _ in range(2):  # sent twice: the same choices, no second set
        assert alice.post(CHOICES, wanted).status_code == 302
    stored = {(p.kind, p.channel): p.enabled for p in Preference.objects.filter(person=person(cast, "alice"))}
    assert len(stored) == 8
    assert stored[(Kind.REPAIRS, Channel.EMAIL)] is False and stored[(Kind.RENT, Channel.EMAIL)] is True
    assert stored[(Kind.REPAIRS, Channel.SMS)] is True
    assert AccessEvent.objects.filter(object_type="notification_choices", action="change").count() == 2


def test_a_choice_that_is_not_offered_shows_the_error_summary(cast: Cast) -> None:
    page = client(cast, "alice").post(CHOICES, {"email": ["account"]}).content.decode()
    assert "There is a problem" in page and "Select only the things listed" in page
    assert not Preference.objects.exists()


def test_the_staff_page_counts_deliveries_and_lists_failures_without_anyone_personal(cast: Cast) -> None:
    for _ in range(2):
        tell(cast, "alice")
    failed = tell(cast, "carol")
    Delivery.objects.filter(notification=failed).update(
        status=Delivery.Status.FAILED, attempts=5, last_error="GOV.UK Notify answered 500 (Exception)"
    )
    page = client(cast, "staff:dpo").get(STAFF).content.decode()
    assert "GOV.UK Notify answered 500 (Exception)" in page and "Repairs" in page
    for household in ("ashton", "cole"):
        assert cast[household].marker not in page
    assert "example.org" not in page and REPAIR_TEXT not in page


def test_a_staff_member_who_does_not_watch_deliveries_is_refused(cast: Cast, settings: Any) -> None:
    assert client(cast, "staff:north").get(STAFF).status_code == 403


def test_staff_viewing_as_the_resident_read_them_but_leave_them_unread(cast: Cast) -> None:
    notification = tell(cast, "alice")
    alice = actor_for_user(cast.resident("alice"), verified=True)
    viewing_as = replace(alice, on_behalf_of_id=cast.staff["cs"].pk)
    notifications_shown(actor=viewing_as, notifications=[notification], request=None)
    notification.refresh_from_db()
    assert notification.read_at is None
    assert AccessEvent.objects.get(object_type="notification").on_behalf_of_id == cast.staff["cs"].pk
