"""Sign-up codes go through the notification service's channels once (ADR 0003, ADR 0029):
the person's notifications keep that a code was sent and whether it went, never the code."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone

from conftest import Cast
from porch.accounts.signup import Match, _owe, signup_code_issue
from porch.housing.models import Membership, Person
from porch.notifications.models import Delivery, Notification

from .helpers import body_of, real_smtp


@pytest.fixture
def newcomer(cast: Cast) -> Person:
    person = Person.objects.create(
        housing_reference="P9001", first_name="Nia", last_name="Cole", email="nia@example.org"
    )
    Membership.objects.create(
        tenancy=cast["cole"].tenancy, person=person, role="joint_tenant", start_date=datetime.date(2020, 1, 1)
    )
    return person


def test_a_code_is_sent_once_and_only_that_it_was_sent_is_kept(cast: Cast, newcomer: Person, settings: Any) -> None:
    owed = _owe(Match(person=newcomer, tenancy=cast["cole"].tenancy), "email", datetime.timedelta(minutes=10))
    with real_smtp(settings) as mailbox:
        assert signup_code_issue(owed.pk) == "email"
        assert signup_code_issue(owed.pk) == "not needed"  # a second run sends nothing
    [(recipients, message)] = mailbox.messages
    code = re.search(r"sign-up code is (\d{6})", body_of(message))
    assert recipients == ["nia@example.org"] and code
    notification = Notification.objects.get(person=newcomer)
    assert notification.kind == "account" and notification.text == "We sent you a code by email to create your account."
    assert code.group(1) not in f"{notification.subject} {notification.text} {notification.link}"
    sent = Delivery.objects.get(notification=notification)
    assert (sent.status, sent.attempts) == (Delivery.Status.SENT, 1)


def test_a_failed_send_is_recorded_and_fails_the_task_never_tried_again(
    cast: Cast, newcomer: Person, settings: Any
) -> None:
    owed = _owe(Match(person=newcomer, tenancy=cast["cole"].tenancy), "email", datetime.timedelta(minutes=10))
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 1},
        }
    }
    with pytest.raises(ConnectionRefusedError):
        signup_code_issue(owed.pk)
    failed = Delivery.objects.get(notification__person=newcomer)
    assert (failed.status, failed.attempts, failed.next_try_at) == (Delivery.Status.FAILED, 1, None)
    assert failed.created_at <= timezone.now()
