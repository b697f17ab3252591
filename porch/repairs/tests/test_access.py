"""Who sees which repair: the rule in Repair.objects.visible_to, and the one way in."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from conftest import Cast, make_staff
from porch.accounts.actors import actor_for_user
from porch.accounts.models import ContractorFirm, User
from porch.core.actions import Action
from porch.core.actor import Actor
from porch.core.roles import StaffRole
from porch.housing.models import Membership
from porch.repairs import access
from porch.repairs.categories import category
from porch.repairs.models import Repair
from porch.repairs.services import Report, report_repair

pytestmark = pytest.mark.django_db


def actor(user: User, *, verified: bool = True) -> Actor:
    return actor_for_user(user, verified=verified)


def home_repair(cast: Cast, key: str = "ashton", reporter: str = "alice") -> Repair:
    household = cast[key]
    return report_repair(
        actor=actor(household.users[reporter]),
        report=Report(category("kitchen_tap"), "The tap drips", tenancy=household.tenancy),
        key=uuid.uuid4(),
    )


def block_repair(cast: Cast) -> Repair:
    ash = cast["ashton"].tenancy.property.block
    return report_repair(
        actor=actor(cast.resident("carol")),
        report=Report(category("communal_lighting"), "Stairwell light out by my door", block=ash),
        key=uuid.uuid4(),
    )


def firm_user(name: str) -> User:
    firm = ContractorFirm.objects.create(name=f"{name} Ltd")
    return User.objects.create_user(username=f"{name}@firm.example.org", kind=User.Kind.CONTRACTOR, firm=firm)


def visible(user: User, repair: Repair, **kwargs: bool) -> bool:
    return Repair.objects.visible_to(actor(user, **kwargs)).filter(pk=repair.pk).exists()


def test_a_homes_account_holders_see_its_repair_and_nobody_else_living_elsewhere(cast: Cast) -> None:
    repair = home_repair(cast)
    assert visible(cast.resident("alice"), repair)
    assert visible(cast.resident("bob"), repair)  # joint tenant
    assert not visible(cast.resident("carol"), repair)  # same block, another home
    assert not visible(cast.resident("sam"), repair)
    assert not visible(cast.resident("erin"), repair)  # former tenant of the block


def test_a_member_who_joined_later_does_not_see_repairs_reported_before(cast: Cast) -> None:
    repair = home_repair(cast)
    Repair.objects.filter(pk=repair.pk).update(reported_at=timezone.now() - datetime.timedelta(days=30))
    Membership.objects.filter(person=cast["ashton"].people["bob"]).update(
        start_date=timezone.localdate() - datetime.timedelta(days=3)
    )
    assert visible(cast.resident("alice"), repair)
    assert not visible(cast.resident("bob"), repair)


def test_a_shared_areas_repair_is_seen_by_everyone_living_in_the_block_now(cast: Cast) -> None:
    repair = block_repair(cast)
    for name in ("alice", "bob", "carol", "dan"):
        assert visible(cast.resident(name), repair), name
    assert not visible(cast.resident("erin"), repair)  # moved out
    assert not visible(cast.resident("sam"), repair)  # another block


def test_contractors_see_their_firms_repairs_until_the_days_after_closing(cast: Cast) -> None:
    repair = home_repair(cast)
    fixer, other = firm_user("fixer"), firm_user("other")
    assert not visible(fixer, repair)
    Repair.objects.filter(pk=repair.pk).update(firm=fixer.firm)
    assert visible(fixer, repair)
    assert not visible(other, repair)
    assert not visible(fixer, repair, verified=False)  # no second step yet: nothing
    with override_settings(REPAIRS_CONTRACTOR_DAYS=7):
        closed = timezone.now() - datetime.timedelta(days=6)
        Repair.objects.filter(pk=repair.pk).update(completed_at=closed, closed_at=closed)
        assert visible(fixer, repair)
        closed = timezone.now() - datetime.timedelta(days=8)
        Repair.objects.filter(pk=repair.pk).update(completed_at=closed, closed_at=closed)
        assert not visible(fixer, repair)


def test_reassigning_ends_the_first_firms_access_at_once(cast: Cast) -> None:
    repair = home_repair(cast)
    first, second = firm_user("first"), firm_user("second")
    Repair.objects.filter(pk=repair.pk).update(firm=first.firm)
    assert visible(first, repair)
    Repair.objects.filter(pk=repair.pk).update(firm=second.firm)
    assert not visible(first, repair)
    assert visible(second, repair)


def test_staff_by_role_and_patch(cast: Cast) -> None:
    repair = home_repair(cast)  # Ash House, patch North
    coordinator = make_staff("rc@staff.example.org", [StaffRole.REPAIRS_COORDINATOR], [])
    assert visible(coordinator, repair)
    assert visible(cast.staff["cs"], repair)
    assert visible(cast.staff["north"], repair)
    assert not visible(cast.staff["south"], repair)
    assert not visible(cast.staff["asb"], repair)
    assert not visible(cast.staff["admin"], repair)
    coordinator.training_completed_on = None
    coordinator.save()
    assert not visible(coordinator, repair)  # no current data-protection training


def test_the_one_way_in_gives_404_for_anothers_repair_and_403_for_a_shared_areas_change(cast: Cast) -> None:
    repair, shared = home_repair(cast), block_repair(cast)
    with pytest.raises(Http404):
        access.get_repair_for(actor(cast.resident("sam")), repair.uuid)
    with pytest.raises(Http404):
        access.get_repair_for(actor(cast.resident("alice")), uuid.uuid4())
    assert access.get_repair_for(actor(cast.resident("alice")), shared.uuid) == shared
    with pytest.raises(PermissionDenied):
        access.get_repair_for(actor(cast.resident("alice")), shared.uuid, action=Action.CHANGE)
    assert access.get_repair_for(actor(cast.resident("bob")), repair.uuid, action=Action.CHANGE) == repair
    with pytest.raises(PermissionDenied):
        access.get_repair_for(actor(cast.staff["north"]), repair.uuid, action=Action.CHANGE)


def test_a_residents_own_photo_of_a_shared_area_is_never_shown_to_neighbours(cast: Cast) -> None:
    shared = block_repair(cast)
    shared.photos.create(file="repairs/x.jpg", content_type="image/jpeg", size=1)
    photo = shared.photos.get()
    with pytest.raises(Http404):
        access.get_photo_for(actor(cast.resident("alice")), shared, photo.uuid)
    assert access.get_photo_for(actor(cast.staff["cs"]), shared, photo.uuid) == photo


def test_reporting_twice_with_one_key_makes_one_repair(cast: Cast) -> None:
    key = uuid.uuid4()
    household = cast["ashton"]
    report = Report(category("kitchen_tap"), "Drips", tenancy=household.tenancy)
    first = report_repair(actor=actor(household.users["alice"]), report=report, key=key)
    again = report_repair(actor=actor(household.users["alice"]), report=report, key=key)
    assert first == again
    assert Repair.objects.count() == 1
    assert first.clocks.count() == 1  # England, routine: the priority's clock alone
    assert first.events.get().kind == "reported"


def test_staff_reporting_on_the_phone_twice_with_one_key_makes_one_repair(cast: Cast) -> None:
    coordinator = make_staff("rc@staff.example.org", [StaffRole.REPAIRS_COORDINATOR], [])
    key = uuid.uuid4()
    report = Report(category("kitchen_tap"), "Phoned in", tenancy=cast["ashton"].tenancy)
    first = report_repair(actor=actor(coordinator), report=report, key=key)
    assert report_repair(actor=actor(coordinator), report=report, key=key) == first
    assert Repair.objects.count() == 1
