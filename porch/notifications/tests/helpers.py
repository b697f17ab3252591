"""Helpers for the notifications tests: the cast's people, a notification, the loopback SMTP server."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from conftest import Cast
from porch.housing.models import Person
from porch.incidents.tests.servers import Mailbox, smtp_server
from porch.notifications.kinds import Kind
from porch.notifications.models import Delivery, Notification
from porch.notifications.services import notify

REPAIR_TEXT = "There is an update on a repair to your home. Sign in to read it."


def person(cast: Cast, who: str) -> Person:
    return next(h.people[who] for h in cast.households.values() if who in h.people)


def tell(cast: Cast, who: str, kind: Kind = Kind.REPAIRS, **options: Any) -> Notification:
    return notify(
        person=person(cast, who),
        kind=kind,
        subject="There is an update on your repair",
        text=REPAIR_TEXT,
        link="/repairs/",
        **options,
    )


def channels(notification: Notification) -> set[str]:
    return set(Delivery.objects.filter(notification=notification).values_list("channel", flat=True))


@contextmanager
def real_smtp(settings: Any) -> Iterator[Mailbox]:
    """A real SMTP server on 127.0.0.1, and Django's SMTP backend pointed at it."""
    with smtp_server() as (mailbox, port):
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
            }
        }
        yield mailbox


def body_of(message: Any) -> str:
    return str(message.get_payload(decode=True).decode()).replace("\r\n", "\n")
