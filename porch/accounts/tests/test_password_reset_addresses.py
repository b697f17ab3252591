"""Where a password reset link may go: the email on the housing record (so an approved change
moves it), and never to an address two accounts share (either could take the other's account)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from conftest import Cast, sign_in
from porch.housing.models import DetailsChangeRequest, Person
from porch.housing.services import details_change_request_create

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def reset(settings: Any, django_capture_on_commit_callbacks: Any) -> Any:
    settings.TASKS = IMMEDIATE  # the worker's sending, run at once

    def ask(email: str) -> list[Any]:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = Client().post("/password-reset/", {"email": email})
        assert response.status_code == 302  # the same answer whatever happens
        return list(mail.outbox)

    return ask


def test_after_an_approved_email_change_the_old_address_resets_nothing(
    cast: Cast, reset: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import uuid

    from porch.accounts.actors import actor_for_user

    ashton = cast["ashton"]
    alice = ashton.people["alice"]
    change = details_change_request_create(
        actor=actor_for_user(cast.resident("alice"), verified=False),
        person=alice,
        tenancy=ashton.tenancy,
        field=DetailsChangeRequest.Field.EMAIL,
        new_value="alice.new@example.net",
        note="",
        idempotency_key=uuid.uuid4(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(Client(), cast.staff["north"]).post(f"/staff/change-requests/{change.uuid}/approve/")
    assert Person.objects.get(pk=alice.pk).email == "alice.new@example.net"

    assert reset("alice@example.org") == []
    sent = reset("Alice.New@example.net")
    assert [message.to for message in sent] == [["alice.new@example.net"]]
    assert "/password-reset/" in sent[0].body


def test_an_address_two_accounts_share_gets_no_link_only_a_notice(cast: Cast, reset: Any) -> None:
    ashton = cast["ashton"]
    Person.objects.filter(pk__in=[ashton.people["alice"].pk, ashton.people["bob"].pk]).update(
        email="ashtons@example.org"
    )
    sent = reset("ashtons@example.org")
    assert len(sent) == 1 and sent[0].to == ["ashtons@example.org"]
    assert "/password-reset/" not in sent[0].body and "http" not in sent[0].body
    assert "More than one account uses this email address" in sent[0].body


def test_an_unknown_address_gets_nothing(cast: Cast, reset: Any) -> None:
    assert reset("nobody@example.org") == []
