"""Booking, changing and cancelling a repair's appointment: the free slots of the home's patch,
the race for the last slot, and the cut-off after which nothing changes online."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import Cast
from porch.accounts.models import ContractorFirm
from porch.repairs import booking
from porch.repairs.models import Appointment, Repair, RepairEvent
from tests.test_route_sweep import viewer

from .resident_helpers import actor_of, client_for, home_repair, slot


def test_only_free_slots_of_the_homes_patch_after_the_cut_off_are_offered(cast: Cast, settings: Any) -> None:
    settings.REPAIRS_APPOINTMENT_CUTOFF_HOURS = 24
    north, south = cast.patches["north"], cast.patches["south"]
    free, taken, too_soon, elsewhere = slot(north), slot(north, hours_ahead=96), slot(north, hours_ahead=2), slot(south)
    booking.book(actor=actor_of(cast, "carol"), repair=home_repair(cast, "carol"), slot=taken)
    assert booking.free_slots(north.pk) == [free]
    assert elsewhere not in booking.free_slots(north.pk) and too_soon not in booking.free_slots(north.pk)


def test_two_bookings_of_one_slot_one_wins_and_the_other_keeps_their_repair(cast: Cast) -> None:
    last = slot(cast.patches["north"])
    alices, carols = home_repair(cast, "alice"), home_repair(cast, "carol")
    booking.book(actor=actor_of(cast, "alice"), repair=alices, slot=last)
    with pytest.raises(booking.SlotTaken):
        booking.book(actor=actor_of(cast, "carol"), repair=carols, slot=last)
    assert Repair.objects.filter(pk=carols.pk).exists()
    assert booking.live_appointment(carols) is None
    assert not carols.events.filter(kind=RepairEvent.Kind.BOOKED).exists()


def test_the_change_page_tells_the_loser_of_the_race_and_books_nothing(cast: Cast) -> None:
    last = slot(cast.patches["north"])
    alices, carols = home_repair(cast, "alice"), home_repair(cast, "carol")
    client = client_for(cast, "carol")
    assert str(last) in client.get(f"/repairs/{carols.uuid}/appointment/").content.decode()
    booking.book(actor=actor_of(cast, "alice"), repair=alices, slot=last)  # meanwhile
    # The slot is no longer offered: the form refuses it before the database has to.
    page = client.post(f"/repairs/{carols.uuid}/appointment/", {"slot": str(last.uuid)}).content.decode()
    assert "govuk-error-summary" in page
    assert booking.live_appointment(carols) is None


def test_a_resident_books_then_changes_their_appointment(cast: Cast) -> None:
    first, second = slot(cast.patches["north"]), slot(cast.patches["north"], hours_ahead=120)
    tap = home_repair(cast, "alice")
    client = client_for(cast, "alice")
    client.post(f"/repairs/{tap.uuid}/appointment/", {"slot": str(first.uuid)})
    assert booking.live_appointment(tap).slot == first  # type: ignore[union-attr]
    client.post(f"/repairs/{tap.uuid}/appointment/", {"slot": str(second.uuid)})
    assert booking.live_appointment(tap).slot == second  # type: ignore[union-attr]
    assert Appointment.objects.filter(repair=tap).count() == 2
    assert tap.events.filter(kind=RepairEvent.Kind.APPOINTMENT_CHANGED, published=True).exists()
    # The first slot is free again for others.
    assert first in booking.free_slots(cast.patches["north"].pk)


def test_cancelling_an_appointment_twice_cancels_it_once(cast: Cast) -> None:
    tap = home_repair(cast, "alice")
    booking.book(actor=actor_of(cast, "alice"), repair=tap, slot=slot(cast.patches["north"]))
    client = client_for(cast, "alice")
    client.post(f"/repairs/{tap.uuid}/appointment/cancel/")
    again = client.post(f"/repairs/{tap.uuid}/appointment/cancel/", follow=True).content.decode()
    assert "already been cancelled" in again
    assert booking.live_appointment(tap) is None
    assert tap.events.filter(kind=RepairEvent.Kind.APPOINTMENT_CANCELLED).count() == 1


def test_a_cancelled_visit_leaves_the_repair_with_its_contractor(cast: Cast) -> None:
    tap = home_repair(cast, "alice")
    firm = ContractorFirm.objects.create(name="Tap Fixers")
    Repair.objects.filter(pk=tap.pk).update(firm=firm)
    tap.refresh_from_db()
    booking.book(actor=actor_of(cast, "alice"), repair=tap, slot=slot(cast.patches["north"]))
    client_for(cast, "alice").post(f"/repairs/{tap.uuid}/appointment/cancel/")
    tap.refresh_from_db()
    assert tap.status == Repair.Status.ASSIGNED


def test_a_slot_no_longer_offered_when_the_booking_arrives_is_not_taken(cast: Cast, settings: Any) -> None:
    """A page left open: the slot was offered, but has started (or come inside the cut-off)."""
    settings.REPAIRS_APPOINTMENT_CUTOFF_HOURS = 24
    tap = home_repair(cast, "alice")
    for hours in (-5, 10):
        chosen = slot(cast.patches["north"], hours_ahead=hours)
        with pytest.raises(booking.SlotTaken):
            booking.book(actor=actor_of(cast, "alice"), repair=tap, slot=chosen)
    assert not Appointment.objects.filter(repair=tap).exists()


def test_after_the_cut_off_nothing_changes_and_the_resident_is_told_why(cast: Cast, settings: Any) -> None:
    settings.REPAIRS_APPOINTMENT_CUTOFF_HOURS = 24
    settings.REPAIRS_EMERGENCY_PHONE = "0300 555 0199"
    tap = home_repair(cast, "alice")
    soon = slot(cast.patches["north"], hours_ahead=30)
    later = slot(cast.patches["north"], hours_ahead=100)
    booking.book(actor=actor_of(cast, "alice"), repair=tap, slot=soon)
    settings.REPAIRS_APPOINTMENT_CUTOFF_HOURS = 48  # now inside the cut-off
    client = client_for(cast, "alice")
    for response in (
        client.post(f"/repairs/{tap.uuid}/appointment/cancel/", follow=True),
        client.post(f"/repairs/{tap.uuid}/appointment/", {"slot": str(later.uuid)}, follow=True),
        client.post(f"/repairs/{tap.uuid}/cancel/", {"reason": "fixed"}, follow=True),
    ):
        page = response.content.decode()
        assert "can no longer be changed or cancelled here" in page and "0300 555 0199" in page
    assert booking.live_appointment(tap).slot == soon  # type: ignore[union-attr]
    tap.refresh_from_db()
    assert tap.is_open
    detail = client.get(f"/repairs/{tap.uuid}/").content.decode()
    assert "Change the appointment" not in detail and "Cancel this repair" not in detail


def test_staff_viewing_as_the_resident_may_read_but_not_book(cast: Cast) -> None:
    tap = home_repair(cast, "alice")
    free = slot(cast.patches["north"])
    client = viewer(cast, viewing=True)
    assert client.get(f"/repairs/{tap.uuid}/").status_code == 200
    assert client.post(f"/repairs/{tap.uuid}/appointment/", {"slot": str(free.uuid)}).status_code == 403
    assert booking.live_appointment(tap) is None


def test_a_repair_the_team_arranges_cannot_be_booked_online(cast: Cast) -> None:
    leak = home_repair(cast, "alice", code="kitchen_leak")  # urgent: not bookable
    free = slot(cast.patches["north"])
    client = client_for(cast, "alice")
    client.post(f"/repairs/{leak.uuid}/appointment/", {"slot": str(free.uuid)})
    assert booking.live_appointment(leak) is None
