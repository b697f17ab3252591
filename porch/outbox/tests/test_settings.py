"""The deploy check (`make deploy-check`: `manage.py check --deploy` with DEBUG off) refuses a
webhook without a secret to sign with, or one that would carry personal data over plain HTTP."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SECRET_KEY = secrets.token_urlsafe(48)  # random, as `make deploy-check` makes them
AUDIT_KEY = secrets.token_urlsafe(48)
FEED_API_KEY = secrets.token_urlsafe(48)
NOTIFY_ID = "00000000-0000-4000-8000-000000000000"
# As `make deploy-check` sets them: production sends texts through a real provider.
TEXTS_THROUGH_NOTIFY = {
    "SMS_BACKEND": "porch.notifications.govuk_notify.NotifySmsBackend",
    "NOTIFY_API_KEY": f"deploy_check-{NOTIFY_ID}-{NOTIFY_ID}",
    "NOTIFY_SMS_TEMPLATE_ID": NOTIFY_ID,
}


def deploy_check(tmp_path: Path, **outbox: str) -> subprocess.CompletedProcess[str]:
    """As `make deploy-check` runs it, with the outbox's settings added."""
    keep = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("OUTBOX_", "DEBUG", "DATABASE_URL", "SMS_BACKEND", "NOTIFY_"))
    }
    env = keep | {
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "AUDIT_KEY": AUDIT_KEY,
        "FEED_API_KEY": FEED_API_KEY,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "ALLOWED_HOSTS": "porch.example.org",
        **TEXTS_THROUGH_NOTIFY,
        **outbox,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("outbox", "refusal"),
    [
        ({"OUTBOX_WEBHOOK_URL": "https://hms.example.org/events"}, "OUTBOX_WEBHOOK_SECRET must be set"),
        (
            {"OUTBOX_WEBHOOK_URL": "https://hms.example.org/events", "OUTBOX_WEBHOOK_SECRET": "short"},
            "OUTBOX_WEBHOOK_SECRET must be set",
        ),
        (
            {"OUTBOX_WEBHOOK_URL": "https://hms.example.org/events", "OUTBOX_WEBHOOK_SECRET": AUDIT_KEY},
            "not SECRET_KEY or AUDIT_KEY",
        ),
        (
            {"OUTBOX_WEBHOOK_URL": "http://hms.example.org/events", "OUTBOX_WEBHOOK_SECRET": "h" * 40},
            "OUTBOX_WEBHOOK_URL must start with https://",
        ),
    ],
)
def test_production_refuses_a_webhook_it_cannot_sign_or_would_send_in_clear(
    tmp_path: Path, outbox: dict[str, str], refusal: str
) -> None:
    run = deploy_check(tmp_path, **outbox)
    assert run.returncode != 0
    assert refusal in run.stderr


def test_production_accepts_a_signed_https_webhook_or_none(tmp_path: Path) -> None:
    signed = deploy_check(tmp_path, OUTBOX_WEBHOOK_URL="https://hms.example.org/events", OUTBOX_WEBHOOK_SECRET="h" * 40)
    assert signed.returncode == 0, signed.stderr
    assert deploy_check(tmp_path).returncode == 0  # no webhook: the housing system collects updates


def test_production_warns_of_texts_written_to_the_log_instead_of_sent(tmp_path: Path) -> None:
    console = deploy_check(tmp_path, SMS_BACKEND="porch.core.sms.ConsoleSmsBackend")
    assert console.returncode != 0
    assert "notifications.W001" in console.stderr and "never sent" in console.stderr
