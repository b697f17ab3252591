"""Holes a security review found in the launch tools, each closed and pinned here."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from conftest import PASSWORD, Cast, sign_in
from porch.housing.models import Membership
from porch.rollout.models import ChangeProposal, Cohort, Invitation, ModuleSwitch
from porch.staff.models import ViewAsSession


def viewer(cast: Cast, staff: str = "north") -> Client:
    user = cast.staff[staff]
    user.role_grants.get_or_create(role="view_as")
    client = sign_in(Client(), user)
    client.post("/account/confirm-password/", {"password": PASSWORD, "next": "/staff/"})
    return client


def test_view_as_is_refused_for_a_resident_with_a_home_outside_the_staff_members_patch(cast: Cast) -> None:
    sam = cast["smith"].people["sam"]
    Membership.objects.create(
        tenancy=cast["evans"].tenancy,
        person=sam,
        role="joint_tenant",
        start_date=datetime.date(2016, 1, 1),
        end_date=datetime.date(2017, 1, 1),
    )
    response = viewer(cast).post(f"/staff/people/{sam.uuid}/view-as/", {"reason": "call", "reference": "X"})
    assert response.status_code == 403 and "a home you cannot see" in response.content.decode()
    assert not ViewAsSession.objects.exists()


def test_view_as_ends_when_the_staff_member_loses_the_permission(cast: Cast) -> None:
    client = viewer(cast, "cs")
    alice = cast["ashton"].people["alice"]
    client.post(f"/staff/people/{alice.uuid}/view-as/", {"reason": "call", "reference": "X"})
    cast.staff["cs"].role_grants.filter(role="view_as").delete()
    assert client.get("/")["Location"] == "/staff/"
    assert ViewAsSession.objects.get().ended_at is not None


def test_signing_out_ends_view_as(cast: Cast) -> None:
    client = viewer(cast, "cs")
    client.post(f"/staff/people/{cast['ashton'].people['alice'].uuid}/view-as/", {"reason": "call", "reference": "X"})
    client.post("/sign-out/")
    assert ViewAsSession.objects.get().ended_at is not None


def test_a_new_switch_off_withdraws_an_earlier_request_to_switch_back_on(cast: Cast) -> None:
    admin = sign_in(Client(), cast.staff["admin"])
    admin.post("/staff/switches/documents/off/", {"reason": "Incident 1"})
    admin.post("/staff/switches/documents/on/", {"reason": "Fixed"})
    sign_in(Client(), cast.staff["dpo"]).post("/staff/switches/documents/off/", {"reason": "Incident 2"})
    assert ChangeProposal.objects.get().status == "rejected"
    assert ModuleSwitch.objects.get().is_off


def test_nobody_approves_a_change_about_themselves(cast: Cast) -> None:
    dpo = cast.staff["dpo"]
    sign_in(Client(), cast.staff["admin"]).post(
        f"/staff/staff-accounts/{dpo.uuid}/", {"form": "role", "role": "view_as"}
    )
    proposal = ChangeProposal.objects.get()
    sign_in(Client(), dpo).post(f"/staff/approvals/{proposal.uuid}/", {"decision": "approve"})
    assert not dpo.role_grants.filter(role="view_as").exists()


def test_the_last_dpo_keeps_the_role(cast: Cast) -> None:
    dpo = cast.staff["dpo"]
    sign_in(Client(), cast.staff["admin"]).post(f"/staff/staff-accounts/{dpo.uuid}/", {"form": "revoke", "role": "dpo"})
    assert dpo.role_grants.filter(role="dpo").exists()


def test_documents_switched_off_leave_the_dashboard_too(cast: Cast) -> None:
    sign_in(Client(), cast.staff["dpo"]).post("/staff/switches/documents/off/", {"reason": "Incident 3"})
    page = sign_in(Client(), cast.resident("alice")).get("/").content.decode()
    assert cast["ashton"].documents["letter"].title not in page


def test_sign_up_is_switched_for_everyone_only(cast: Cast) -> None:
    pilot = Cohort.objects.get(name="Pilot")
    response = sign_in(Client(), cast.staff["dpo"]).post(
        "/staff/switches/signup/off/", {"reason": "x", "cohort": str(pilot.uuid)}
    )
    assert response.status_code == 404 and not ModuleSwitch.objects.exists()


def test_invitations_are_not_sent_once_the_cohort_closes(cast: Cast) -> None:
    from porch.housing.models import Person
    from porch.rollout.invitations import invitation_batch_send

    pilot = Cohort.objects.get(name="Pilot")
    person = Person.objects.create(
        housing_reference="P6001", first_name="Ola", last_name="Cole", email="ola@example.org"
    )
    Membership.objects.create(
        tenancy=cast["cole"].tenancy, person=person, role="joint_tenant", start_date=datetime.date(2020, 1, 1)
    )
    Invitation.objects.create(cohort=pilot, person=person, channel="email")
    pilot.status = Cohort.Status.CLOSED
    pilot.save()
    sent: list[Invitation] = []
    invitation_batch_send(pilot.pk, deliver=sent.append)
    assert sent == [] and Invitation.objects.get().status == "cancelled"


@pytest.mark.parametrize("module", ["documents"])
def test_the_isolation_check_does_not_pass_with_a_module_switched_off(db, module: str) -> None:
    from django.core.management import CommandError, call_command

    ModuleSwitch.objects.create(module=module, is_off=True, reason="x")
    with pytest.raises(CommandError, match="FAILED"):
        call_command("isolation_check", "--households", "2")
