from __future__ import annotations

import datetime

from django.test import Client
from django.utils import timezone

from conftest import Cast, sign_in
from porch.accounts.models import User
from porch.rollout.models import ChangeProposal
from porch.rollout.policy import training_valid_days


def approve(cast: Cast, who: str = "dpo") -> None:
    for proposal in ChangeProposal.objects.filter(status="pending"):
        sign_in(Client(), cast.staff[who]).post(f"/staff/approvals/{proposal.uuid}/", {"decision": "approve"})


def test_a_role_is_given_only_when_a_second_person_approves(cast: Cast) -> None:
    cs = cast.staff["cs"]
    admin = sign_in(Client(), cast.staff["admin"])
    admin.post(f"/staff/staff-accounts/{cs.uuid}/", {"form": "role", "role": "view_as"})
    assert not cs.role_grants.filter(role="view_as").exists()
    approve(cast, "admin")  # the proposer's own approval changes nothing
    assert not cs.role_grants.filter(role="view_as").exists()
    approve(cast, "dpo")
    assert cs.role_grants.filter(role="view_as").exists()


def test_nobody_can_give_themselves_a_role(cast: Cast) -> None:
    admin_user = cast.staff["admin"]
    admin = sign_in(Client(), admin_user)
    admin.post(f"/staff/staff-accounts/{admin_user.uuid}/", {"form": "role", "role": "dpo"})
    approve(cast, "admin")
    assert not admin_user.role_grants.filter(role="dpo").exists()


def test_taking_a_role_away_is_immediate(cast: Cast) -> None:
    north = cast.staff["north"]
    sign_in(Client(), cast.staff["admin"]).post(
        f"/staff/staff-accounts/{north.uuid}/", {"form": "revoke", "role": "housing_officer"}
    )
    assert not north.role_grants.exists()
    assert sign_in(Client(), north).get(f"/staff/tenancies/{cast['ashton'].tenancy.uuid}/").status_code == 403


def test_recorded_training_counts_once_approved(cast: Cast) -> None:
    north = cast.staff["north"]
    User.objects.filter(pk=north.pk).update(training_completed_on=None)
    day = timezone.localdate() - datetime.timedelta(days=3)
    data = {
        "form": "training",
        "completed_on_day": day.day,
        "completed_on_month": day.month,
        "completed_on_year": day.year,
    }
    sign_in(Client(), cast.staff["admin"]).post(f"/staff/staff-accounts/{north.uuid}/", data)
    north.refresh_from_db()
    assert north.training_completed_on is None
    approve(cast)
    north.refresh_from_db()
    assert north.training_completed_on == day


def test_a_longer_training_window_waits_but_a_shorter_one_is_immediate(cast: Cast) -> None:
    admin = sign_in(Client(), cast.staff["admin"])
    admin.post("/staff/staff-accounts/", {"days": "500"})
    assert training_valid_days() == 365
    approve(cast)
    assert training_valid_days() == 500
    admin.post("/staff/staff-accounts/", {"days": "20"})
    assert training_valid_days() == 500  # under the minimum: refused with an error
    admin.post("/staff/staff-accounts/", {"days": "60"})
    assert training_valid_days() == 60
    # North trained 30 days ago: still fine at 60 days, locked out at 30.
    admin.post("/staff/staff-accounts/", {"days": "30"})
    assert (
        sign_in(Client(), cast.staff["north"]).get(f"/staff/tenancies/{cast['ashton'].tenancy.uuid}/").status_code
        == 403
    )
