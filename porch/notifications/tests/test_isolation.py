"""No household's notifications, or the messages sent for them, carry another household's marker."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import Cast, sign_in
from porch.notifications.models import Notification
from porch.notifications.synthetic import synthetic_notifications_create
from porch.repairs import notifications as repair_messages
from porch.repairs.tests.resident_helpers import home_repair, shared_repair

from .helpers import REPAIR_TEXT, person

RESIDENTS = ["alice", "bob", "carol", "dan", "erin", "sam"]


@pytest.mark.parametrize("who", RESIDENTS)
def test_a_notifications_page_never_shows_another_households_marker(cast: Cast, who: str) -> None:
    for household in cast.households.values():
        synthetic_notifications_create(household.tenancy, household.marker)
    page = sign_in(Client(), cast.resident(who)).get("/notifications/").content.decode()
    own = next(h for h in cast.households.values() if who in h.users)
    assert own.marker in page
    for other in cast.households.values():
        if other is not own:
            assert other.marker not in page, other.key


def test_a_repair_update_tells_the_homes_account_holders_and_nobody_else(cast: Cast) -> None:
    repair = home_repair(cast, "alice", text=f"Tap drips {cast['ashton'].marker}")
    repair_messages.tell_reporter(repair, "updated")
    told = {notification.person.first_name for notification in Notification.objects.select_related("person")}
    assert told == {"Alice", "Bob"}  # not Amy, a household member without an account; not Carol next door
    for notification in Notification.objects.all():
        assert notification.text == REPAIR_TEXT and cast["ashton"].marker not in notification.subject
        assert notification.link == f"/repairs/{repair.uuid}/"


def test_the_reporter_who_chose_a_channel_for_the_repair_gets_that_message_not_a_second(cast: Cast) -> None:
    repair = home_repair(cast, "alice")
    repair.notify_by = repair.NotifyBy.EMAIL
    repair.save(update_fields=["notify_by"])
    repair_messages.tell_reporter(repair, "updated")
    alice, bob = person(cast, "alice"), person(cast, "bob")
    assert not alice.notifications.get().deliveries.exists()
    assert bob.notifications.get().deliveries.count() == 1


def test_a_shared_areas_repair_tells_no_household(cast: Cast) -> None:
    repair_messages.tell_reporter(shared_repair(cast, "carol"), "updated")
    assert not person(cast, "carol").notifications.exists()
