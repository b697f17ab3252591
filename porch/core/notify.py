"""Every email and text message to a resident goes through here, so that test
residents' messages land in the visible test outbox and are never sent.

From a request, use `email_later` / `text_later`: the task worker sends the
message once the transaction commits, so the response never waits on the mail
server or SMS gateway, and its timing cannot show whether anything was sent.
`email` / `text` send at once, for code that already runs in the worker."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task

from porch.core.models import TestOutboxMessage
from porch.core.sms import send_text


def email(*, to: str, subject: str, body: str, is_test: bool) -> None:
    if is_test:
        TestOutboxMessage.objects.create(channel="email", to=to, subject=subject, body=body)
    else:
        send_mail(subject, body, None, [to])


def text(*, to: str, body: str, is_test: bool) -> None:
    if is_test:
        TestOutboxMessage.objects.create(channel="sms", to=to, body=body)
    else:
        send_text(to, body)


@task()
def message_send(*, channel: str, to: str, subject: str, body: str, is_test: bool) -> None:
    """One email or text message queued by email_later / text_later, sent by the worker.

    A refused send fails the task, which keeps the error in its result for
    someone to see; it is not retried, so nobody gets the message twice."""
    if channel == "email":
        email(to=to, subject=subject, body=body, is_test=is_test)
    elif channel == "sms":
        text(to=to, body=body, is_test=is_test)
    else:
        raise ValueError(f"Unknown channel {channel!r}.")


def email_later(*, to: str, subject: str, body: str, is_test: bool) -> None:
    """Send this email from the task worker, after the current transaction commits (never if it rolls back).

    The address and body wait in the task table until the worker runs. For a
    message about one person's record, a task that looks the person up by id
    keeps their details out of that table (see porch/accounts/tasks.py)."""
    _later(channel="email", to=to, subject=subject, body=body, is_test=is_test)


def text_later(*, to: str, body: str, is_test: bool) -> None:
    """Send this text message from the task worker, after the current transaction commits."""
    _later(channel="sms", to=to, subject="", body=body, is_test=is_test)


def _later(*, channel: str, to: str, subject: str, body: str, is_test: bool) -> None:
    transaction.on_commit(
        lambda: message_send.enqueue(channel=channel, to=to, subject=subject, body=body, is_test=is_test)
    )


def portal_link(path: str) -> str:
    """The full address of a page, for messages and letters: the worker has no request to take a host from."""
    return f"{settings.PORTAL_URL.rstrip('/')}{path}"
