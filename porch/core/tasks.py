"""Tasks the worker (`manage.py db_worker`) runs for any app."""

from __future__ import annotations

from django.tasks import task

from porch.core import notify


@task()
def message_send(*, channel: str, to: str, subject: str, body: str, is_test: bool) -> None:
    """One email or text message queued by notify.email_later / notify.text_later.

    A refused send fails the task, which keeps the error in its result for
    someone to see; it is not retried, so nobody gets the message twice."""
    if channel == "email":
        notify.email(to=to, subject=subject, body=body, is_test=is_test)
    elif channel == "sms":
        notify.text(to=to, body=body, is_test=is_test)
    else:
        raise ValueError(f"Unknown channel {channel!r}.")
