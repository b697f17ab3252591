"""Messages queued for the worker (notify.email_later / text_later), and readable email in development."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from porch.core import notify
from porch.core.models import TestOutboxMessage
from porch.core.sms import OutboxSmsBackend

ROOT = Path(__file__).resolve().parents[3]
# Long enough to be wrapped, with "=" signs that quoted-printable writes as "=3D".
LINK = "https://portal.example.org/password-reset/MTIz/" + "c0ffee" * 12 + "/?next=/account/&from=email"


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_email_and_text_later_wait_for_the_worker_and_test_residents_go_to_the_test_outbox() -> None:
    with transaction.atomic():
        notify.email_later(to="pat@example.org", subject="Your request", body="We have decided.", is_test=False)
        notify.text_later(to="07700900123", body="We have decided.", is_test=False)
        notify.email_later(to="test-1@test.invalid", subject="Your request", body="Rehearsal.", is_test=True)
        assert DBTaskResult.objects.count() == 0  # nothing queued before the commit
    assert DBTaskResult.objects.count() == 3
    assert mail.outbox == [] and OutboxSmsBackend.outbox == [] and not TestOutboxMessage.objects.exists()
    run_worker()
    assert [(message.to, message.subject, message.body) for message in mail.outbox] == [
        (["pat@example.org"], "Your request", "We have decided.")
    ]
    assert [(text.to, text.body) for text in OutboxSmsBackend.outbox] == [("07700900123", "We have decided.")]
    assert list(TestOutboxMessage.objects.values_list("channel", "to")) == [("email", "test-1@test.invalid")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_message_queued_in_a_transaction_that_rolls_back_is_never_sent() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        notify.email_later(to="pat@example.org", subject="Your request", body="We have decided.", is_test=False)
        raise RuntimeError("the change failed")
    run_worker()
    assert DBTaskResult.objects.count() == 0 and mail.outbox == []


def test_the_development_console_prints_email_as_a_person_reads_it(settings: Any, capsys: Any) -> None:
    settings.MAILERS = {"default": {"BACKEND": "porch.core.mail.ConsoleEmailBackend", "OPTIONS": {}}}
    message = EmailMultiAlternatives(
        "Reset your Porch Housing password",
        f"To choose a new password, open this link:\n\n{LINK}\n\nIt works once.",
        "portal@example.org",
        ["pat@example.org"],
        cc=["office@example.org"],
    )
    message.attach_alternative("<p>HTML</p>", "text/html")
    message.attach("letter.pdf", b"%PDF-1.4", "application/pdf")
    message.send()
    printed = capsys.readouterr().out
    assert LINK in printed.splitlines()
    assert "To: pat@example.org" in printed and "Cc: office@example.org" in printed
    assert "Subject: Reset your Porch Housing password" in printed
    assert "Attachment: letter.pdf (application/pdf)" in printed
    assert "Also sent as text/html (not shown)" in printed
    assert "=3D" not in printed and "<p>HTML</p>" not in printed


def test_development_uses_the_readable_console_unless_email_backend_says_otherwise(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("EMAIL_")}
    env |= {"DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    send = f"from django.core.mail import send_mail; send_mail('Hello', 'Open {LINK}', None, ['pat@example.org'])"
    printed = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", send],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert f"Open {LINK}" in printed.splitlines() and "Subject: Hello" in printed

    env["EMAIL_BACKEND"] = "django.core.mail.backends.console.EmailBackend"
    printed = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", send],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    # The variable still chooses the backend: Django's console, which wraps and encodes the link.
    assert "Content-Transfer-Encoding: quoted-printable" in printed and f"Open {LINK}" not in printed
