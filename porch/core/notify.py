"""Every email and text message to a resident goes through here, so that test
residents' messages land in the visible test outbox and are never sent."""

from __future__ import annotations

from django.core.mail import send_mail

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
