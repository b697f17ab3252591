"""Mail goes out from the task worker, never from the request (issue 8, item A5).

With a slow mail server, sending in the request made a known account or a
sign-up match seconds slower than an unknown one. These tests prove the
behaviour, not the timing: a real SMTP server on 127.0.0.1, slow on purpose,
sees no connection at all while the request runs, and the mail arrives once
the worker (`manage.py db_worker`) runs.

The worker commits and checks its connection between tasks, as in
production, so these tests run outside the usual per-test transaction.
"""

from __future__ import annotations

import asyncio
import datetime
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from conftest import PASSWORD, Cast
from porch.accounts.models import SignupCode, User
from porch.core.models import TestOutboxMessage
from porch.housing.models import Membership, Person
from porch.incidents.tests.servers import free_port
from porch.rollout.models import CohortHomes

worker_test = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@dataclass
class SlowMailbox:
    """Takes 0.3 seconds over each message, like the mail server in the test report."""

    messages: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(0.3)
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def bodies(self) -> list[str]:
        """As the person reads them: decoded, with plain line ends."""
        payloads = [message.get_payload(decode=True) for message in self.messages]
        return [payload.decode().replace("\r\n", "\n") for payload in payloads]  # type: ignore[union-attr]


class WatchedController(Controller):
    """Counts every connection made to the server."""

    connections = 0

    def factory(self) -> SMTP:
        self.connections += 1
        return super().factory()


@contextmanager
def slow_smtp_server(settings: Any) -> Iterator[tuple[SlowMailbox, WatchedController]]:
    mailbox = SlowMailbox()
    server = WatchedController(mailbox, hostname="127.0.0.1", port=free_port())
    server.start()
    server.connections = 0  # forget the controller's own start-up check
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 10},
        }
    }
    try:
        yield mailbox, server
    finally:
        server.stop()


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")


@pytest.fixture
def newcomer(cast: Cast) -> Person:
    """A joint tenant of the Coles with an email on record and no account yet."""
    person = Person.objects.create(
        housing_reference="P9001",
        first_name="Nia",
        last_name="Cole",
        date_of_birth=datetime.date(1990, 6, 15),
        email="nia@example.org",
    )
    Membership.objects.create(
        tenancy=cast["cole"].tenancy, person=person, role="joint_tenant", start_date=datetime.date(2020, 1, 1)
    )
    return person


def sign_up_details(cast: Cast, **overrides: str) -> dict[str, str]:
    tenancy = cast["cole"].tenancy
    return {
        "reference": tenancy.reference,
        "date_of_birth_day": "15",
        "date_of_birth_month": "6",
        "date_of_birth_year": "1990",
        "postcode": tenancy.property.postcode,
        **overrides,
    }


@worker_test
def test_a_sign_up_match_never_touches_the_mail_server_and_its_code_arrives_from_the_worker(
    cast: Cast, newcomer: Person, settings: Any
) -> None:
    with slow_smtp_server(settings) as (mailbox, server):
        Client().post("/sign-up/", sign_up_details(cast, postcode="ZZ1 1ZZ"))
        assert DBTaskResult.objects.count() == 0  # a mismatch queues nothing
        client = Client()
        response = client.post("/sign-up/", sign_up_details(cast))
        assert response["Location"] == "/sign-up/code/"
        assert server.connections == 0 and mailbox.messages == []
        assert SignupCode.objects.filter(person=newcomer).exists()
        run_worker()
    assert [message["To"] for message in mailbox.messages] == ["nia@example.org"]
    code = re.search(r"code is (\d{6})", mailbox.bodies()[0]).group(1)  # type: ignore[union-attr]
    assert client.post("/sign-up/code/", {"code": code})["Location"] == "/sign-up/password/"
    client.post("/sign-up/password/", {"password": PASSWORD, "password_again": PASSWORD})
    assert User.objects.get(person=newcomer).kind == User.Kind.RESIDENT


@worker_test
def test_a_password_reset_never_touches_the_mail_server_and_its_link_from_the_worker_works(
    cast: Cast, settings: Any
) -> None:
    settings.PORTAL_URL = "https://portal.example.org/"
    settings.LANDLORD_NAME = "Oak & Ash Homes"  # plain text: never "&amp;"
    alice = cast.resident("alice")
    with slow_smtp_server(settings) as (mailbox, server):
        unknown = Client().post("/password-reset/", {"email": "nobody@example.org"})
        assert DBTaskResult.objects.count() == 0  # an unknown address queues nothing
        known = Client().post("/password-reset/", {"email": alice.email.upper()})
        assert known["Location"] == unknown["Location"] == "/password-reset/sent/"
        assert server.connections == 0 and mailbox.messages == []
        run_worker()
    assert [message["To"] for message in mailbox.messages] == [alice.email]
    assert mailbox.messages[0]["Subject"] == "Reset your Oak & Ash Homes password"
    body = mailbox.bodies()[0]
    assert "reset the password for your Oak & Ash Homes account" in body
    link = re.search(r"^https://portal\.example\.org/password-reset/[^/\s]+/[^/\s]+/$", body, re.M).group(0)  # type: ignore[union-attr]

    client = Client()
    form = client.get(urlsplit(link).path, follow=True)
    assert "new_password1" in form.content.decode()
    new_password = "a brand new passphrase for alice"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert done["Location"] == "/password-reset/done/"
    assert User.objects.get(pk=alice.pk).check_password(new_password)


@worker_test
def test_test_residents_codes_and_reset_links_land_in_the_test_outbox_from_the_worker(
    cast: Cast, newcomer: Person, settings: Any
) -> None:
    Person.objects.filter(pk=newcomer.pk).update(is_test=True)
    alice = cast.resident("alice")
    User.objects.filter(pk=alice.pk).update(is_test=True)
    with slow_smtp_server(settings) as (mailbox, server):
        Client().post("/sign-up/", sign_up_details(cast))
        Client().post("/password-reset/", {"email": alice.email})
        assert TestOutboxMessage.objects.count() == 0
        run_worker()
        assert server.connections == 0 and mailbox.messages == []
    messages = {message.to: message for message in TestOutboxMessage.objects.all()}
    assert set(messages) == {"nia@example.org", alice.email}
    assert re.search(r"code is \d{6}", messages["nia@example.org"].body)
    assert "/password-reset/" in messages[alice.email].body


@worker_test
def test_news_that_sign_up_is_not_open_yet_comes_from_the_worker(cast: Cast, newcomer: Person, settings: Any) -> None:
    CohortHomes.objects.all().delete()
    with slow_smtp_server(settings) as (mailbox, server):
        response = Client().post("/sign-up/", sign_up_details(cast))
        assert response["Location"] == "/sign-up/code/"
        assert server.connections == 0
        run_worker()
    assert not SignupCode.objects.filter(person=newcomer).exists()
    assert [message["To"] for message in mailbox.messages] == ["nia@example.org"]
    assert "not open for your home yet" in mailbox.bodies()[0]
