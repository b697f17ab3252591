"""The demo's messages: Alice's thread with a reply from the housing team, seen by Alice and in
the north patch housing officer's inbox."""

from __future__ import annotations

from typing import Any

from django.test import Client

from conftest import sign_in
from porch.accounts.models import User
from porch.demo import seed as demo
from porch.housing.cast import demo_email
from porch.messages.models import Thread


def test_the_demo_has_alices_thread_with_a_reply_from_the_housing_team(db: Any, settings: Any) -> None:
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.seed(60)
    thread = Thread.objects.get()
    assert list(thread.entries.values_list("kind", flat=True)) == ["resident", "staff", "resident"]
    alice = sign_in(Client(), User.objects.get(username=demo_email("alice")))
    page = alice.get(f"/messages/{thread.uuid}/").content.decode()
    assert "visitor space" in page and "Housing team" in page
    officer = sign_in(Client(), User.objects.get(username=demo_email("housing.north")))
    assert [t.pk for t in officer.get("/staff/messages/").context["threads"]] == [thread.pk]
    bob = sign_in(Client(), User.objects.get(username=demo_email("bob")))
    told = bob.get("/notifications/").content.decode()
    assert "You have a new message from us" in told and f"/messages/{thread.uuid}/" in told
