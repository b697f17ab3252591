"""Contractor accounts are real accounts: staff add a firm and its administrator, who
invites the firm's operatives by a one-time, expiring link stored as a hash; every
contractor signs in with two-step codes as staff do; an administrator deactivates their own
firm's operatives only; account creation and deactivation are audited."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD, Cast, sign_in
from porch.accounts.models import ContractorFirm, User
from porch.audit.models import AccessEvent
from porch.contractors.models import FirmAdministrator, Invitation
from porch.contractors.services import invitation_send, token_hash
from porch.core.roles import StaffRole
from porch.repairs.tests.contractor_cast import contractor

NEW_PASSWORD = "plumbing ladder orange kettle"


@pytest.fixture(autouse=True)
def _send_at_once(settings: Any) -> None:
    """The worker's sending, run at once."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def link_in(outbox: list[Any]) -> str:
    found = re.search(r"https?://[^ ]+(/contractor-invitation/[^/ ]+/)", outbox[-1].body)
    assert found is not None
    return found[1]


def test_a_contractor_with_a_device_is_asked_for_a_code(cast: Cast, client: Client) -> None:
    user = contractor("a")
    response = client.post("/sign-in/", {"username": user.username, "password": PASSWORD})
    assert response["Location"] == "/sign-in/code/"
    assert client.get("/jobs/").status_code == 302  # not signed in yet
    device = TOTPDevice.objects.get(user=user)
    assert client.post("/sign-in/code/", {"code": current_code(device)})["Location"] == "/"
    assert client.get("/").get("Location") == "/jobs/"
    assert client.get("/jobs/").status_code == 200


def test_a_contractor_without_a_device_is_sent_to_set_one_up(cast: Cast, client: Client) -> None:
    user = contractor("a", verified=False, name="new")
    client.post("/sign-in/", {"username": user.username, "password": PASSWORD})
    assert client.get("/jobs/")["Location"] == "/account/two-factor/"
    assert client.get("/account/two-factor/").status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post("/account/two-factor/", {"code": current_code(device)}).status_code == 302
    assert client.get("/jobs/").status_code == 200


def firm_made_by(client: Client, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/staff/contractor-firms/", {"name": "Crane & Co", "admin_email": "boss@crane.example"})
    assert response.status_code == 302
    return link_in(mailoutbox)


def test_staff_add_a_firm_and_its_administrator_chooses_a_password_once(
    cast: Cast, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    coordinator = cast.staff["cs"]
    coordinator.role_grants.create(role=StaffRole.REPAIRS_COORDINATOR)
    link = firm_made_by(sign_in(Client(), coordinator), django_capture_on_commit_callbacks, mailoutbox)
    boss = User.objects.get(username="boss@crane.example")
    assert boss.kind == User.Kind.CONTRACTOR and boss.firm == ContractorFirm.objects.get(name="Crane & Co")
    assert FirmAdministrator.objects.filter(user=boss).exists()
    assert not boss.has_usable_password()
    token = link.rstrip("/").rsplit("/", 1)[-1]
    invitation = Invitation.objects.get(user=boss)
    assert invitation.token_hash == token_hash(token) and token not in invitation.token_hash  # kept hashed
    assert AccessEvent.objects.filter(
        action="create", object_type="contractor_account", object_id=str(boss.uuid)
    ).exists()

    visitor = Client()
    weak = visitor.post(link, {"password": "short"})
    assert "There is a problem" in weak.content.decode()
    assert visitor.post(link, {"password": NEW_PASSWORD})["Location"] == "/sign-in/"
    assert (
        "This link no longer works" in visitor.post(link, {"password": "another long passphrase here"}).content.decode()
    )
    boss.refresh_from_db()
    assert boss.check_password(NEW_PASSWORD)
    # Signed in with the new password, they set up two-step codes before anything else.
    visitor.post("/sign-in/", {"username": boss.username, "password": NEW_PASSWORD})
    assert visitor.get("/jobs/team/")["Location"] == "/account/two-factor/"


def test_an_expired_link_no_longer_works(
    cast: Cast, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    link = firm_made_by(sign_in(Client(), cast.staff["admin"]), django_capture_on_commit_callbacks, mailoutbox)
    sent = timezone.now() - datetime.timedelta(days=4)
    Invitation.objects.update(created_at=sent, expires_at=sent + datetime.timedelta(days=3))
    page = Client().get(link).content.decode()
    assert "This link no longer works" in page and "Choose a password" not in page


def test_the_link_is_made_by_the_worker_and_a_task_delivered_twice_sends_once(
    cast: Cast, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as queued:
        sign_in(Client(), cast.staff["admin"]).post(
            "/staff/contractor-firms/", {"name": "Crane & Co", "admin_email": "boss@crane.example"}
        )
    invitation = Invitation.objects.get()
    assert invitation.token_hash is None and invitation.expires_at is None  # no link until it is sent
    for callback in queued:
        callback()
    link = link_in(mailoutbox)
    assert invitation_send.call(invitation_id=invitation.pk) is False  # delivered again: nothing sent
    assert len(mailoutbox) == 1
    assert "Choose a password" in Client().get(link).content.decode()


def test_only_the_system_administrator_and_the_repairs_team_add_firms(cast: Cast) -> None:
    for name in ("cs", "north", "dpo"):
        assert sign_in(Client(), cast.staff[name]).get("/staff/contractor-firms/").status_code == 403
    assert sign_in(Client(), contractor("a/admin")).get("/staff/contractor-firms/").status_code == 403


def test_a_firm_administrator_invites_an_operative_of_their_own_firm(
    cast: Cast, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    admin = sign_in(Client(), contractor("a/admin"))
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post("/jobs/team/", {"email": "new@able.example"}).status_code == 302
    invited = User.objects.get(username="new@able.example")
    assert invited.firm == contractor("a").firm and invited.kind == User.Kind.CONTRACTOR
    assert not FirmAdministrator.objects.filter(user=invited).exists()
    assert link_in(mailoutbox).startswith("/contractor-invitation/")
    again = admin.post("/jobs/team/", {"email": "new@able.example"})
    assert "There is already an account with this email address" in again.content.decode()
    assert User.objects.filter(email="new@able.example").count() == 1


def test_a_firm_administrator_sees_and_deactivates_their_own_operatives_only(cast: Cast) -> None:
    ours, theirs = contractor("a"), contractor("b")
    admin = sign_in(Client(), contractor("a/admin"))
    page = admin.get("/jobs/team/").content.decode()
    assert ours.email in page and theirs.email not in page
    assert admin.post(f"/jobs/team/{theirs.uuid}/deactivate/").status_code == 404
    operative = sign_in(Client(), ours)
    assert admin.post(f"/jobs/team/{ours.uuid}/deactivate/").status_code == 302
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert not ours.is_active and theirs.is_active
    assert operative.get("/jobs/").status_code == 302  # their session has ended
    rows = AccessEvent.objects.filter(object_type="contractor_account", reason="deactivated")
    assert list(rows.values_list("object_id", flat=True)) == [str(ours.uuid)]
    admin.post(f"/jobs/team/{ours.uuid}/deactivate/")  # twice: one row
    assert rows.count() == 1


def test_an_operative_cannot_manage_the_firms_accounts(cast: Cast) -> None:
    colleague = contractor("a", name="colleague")
    client = sign_in(Client(), contractor("a"))
    assert client.get("/jobs/team/").status_code == 403
    assert client.post(f"/jobs/team/{colleague.uuid}/deactivate/").status_code == 403


def test_only_a_firm_administrator_is_shown_the_link_to_the_firms_accounts(cast: Cast) -> None:
    assert "/jobs/team/" in sign_in(Client(), contractor("a/admin")).get("/jobs/").content.decode()
    assert "/jobs/team/" not in sign_in(Client(), contractor("a")).get("/jobs/").content.decode()
