"""The demo's repairs: the repairs coordinator and the two contractor firms' logins, slots for
the next two weeks, and repairs of every kind the README promises."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import sign_in
from porch.accounts.models import User
from porch.demo import seed as demo
from porch.housing.cast import demo_email
from porch.housing.models import Patch
from porch.repairs import clocks
from porch.repairs.demo import FIRMS, demo_repairs, totp_key_for
from porch.repairs.models import Appointment, Repair, RepairClock, Slot


@pytest.fixture
def seeded(db: Any, settings: Any, tmp_path: Any) -> None:
    settings.DEBUG = True
    settings.REPAIRS_NATION = clocks.ENGLAND
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.seed(60)


def test_the_logins_share_the_demo_password_and_have_fixed_two_step_keys(seeded: None) -> None:
    coordinator = User.objects.get(username=demo_email("repairs"))
    assert coordinator.role_grants.filter(role="repairs_coordinator").exists()
    assert coordinator.check_password(demo.DEMO_PASSWORD)
    for local, name in FIRMS:
        user = User.objects.get(username=demo_email(local))
        assert user.kind == User.Kind.CONTRACTOR and user.firm is not None and user.firm.name == name
        assert user.check_password(demo.DEMO_PASSWORD)
    for user in User.objects.filter(username__in=[demo_email("repairs"), *(demo_email(f) for f, _ in FIRMS)]):
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        assert device.key == totp_key_for(user.username) == demo.totp_key_for(user.username)


def test_one_firm_has_jobs_in_ashdown_house_and_the_other_none(seeded: None) -> None:
    (first, _), (second, _) = FIRMS
    in_ashdown = Repair.objects.filter(tenancy__property__block__name="Ashdown House") | Repair.objects.filter(
        block__name="Ashdown House"
    )
    assert in_ashdown.filter(firm__users__username=demo_email(first)).exists()
    assert not in_ashdown.filter(firm__users__username=demo_email(second)).exists()
    assert Repair.objects.filter(firm__users__username=demo_email(second)).exists()


def test_repairs_of_every_kind_the_readme_promises(seeded: None) -> None:
    now = timezone.now()
    assert Repair.objects.open().exists()
    assert Repair.objects.filter(status=Repair.Status.COMPLETED).exists()
    assert Repair.objects.filter(block__name="Ashdown House").count() == 3
    assert RepairClock.objects.filter(met_at__isnull=True, due_at__lt=now, repair__closed_at__isnull=True).exists()
    alice = Repair.objects.filter(
        tenancy__memberships__person__email=demo_email("alice"), category="damp_mould_patches"
    )
    assert alice.get().clocks.filter(kind=clocks.Kind.AWAAB_INVESTIGATE, met_at__isnull=True).exists()
    assert Appointment.objects.filter(repair__tenancy__memberships__person__email=demo_email("carol")).exists()


def test_slots_for_the_next_two_weeks_in_each_patch(seeded: None) -> None:
    today = timezone.localdate()
    for patch in Patch.objects.all():
        days = {timezone.localtime(s.starts_at).date() for s in Slot.objects.filter(patch=patch)}
        assert days and min(days) > today and (max(days) - today).days <= 14
        assert len(days) >= 8  # every working day of two weeks, less bank holidays


def test_a_second_call_adds_nothing(seeded: None) -> None:
    before = Repair.objects.count(), Slot.objects.count()
    demo_repairs()
    assert (Repair.objects.count(), Slot.objects.count()) == before


def test_the_coordinators_queue_and_clocks_open_on_the_demo(seeded: None) -> None:
    client = sign_in(Client(), User.objects.get(username=demo_email("repairs")))
    assert client.get("/staff/repairs/").status_code == 200
    assert client.get("/staff/repairs/?clock=breached").status_code == 200
    assert client.get("/staff/repairs/clocks/").status_code == 200
