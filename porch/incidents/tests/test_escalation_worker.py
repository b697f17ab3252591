"""A real task worker, killed mid-send, and restarted: every call goes out once, none twice.

The worker is a separate process (`manage.py db_worker`) sending to a real SMTP server on
127.0.0.1, sharing a database file with this test. The SMTP server takes the first call,
then sits on the second (its message received, no reply) while the worker is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from porch.incidents.tests.servers import Mailbox, smtp_server

ROOT = Path(__file__).resolve().parents[3]
PYTHON = sys.executable
TEAM = ["one@example.org", "two@example.org", "three@example.org"]

OPEN_INCIDENT = """
from porch.incidents.services import incident_open
incident_open(actor=None, summary="worker test")
"""

STATUSES = """
from porch.incidents.models import Notification
print(sorted(Notification.objects.values_list("address", "status")))
"""


def wait_for(condition, seconds: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_a_killed_worker_is_restarted_and_nobody_is_called_twice(tmp_path: Path) -> None:
    with smtp_server(Mailbox(hold_after=1)) as (mailbox, port):
        env = {
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
            "MEDIA_ROOT": str(tmp_path / "media"),
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            "INCIDENT_ALERT_EMAILS": ",".join(TEAM),
            "INCIDENT_WEBHOOK_URL": "",
        }
        manage = [PYTHON, "manage.py"]
        subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([*manage, "shell", "-c", OPEN_INCIDENT], cwd=ROOT, env=env, check=True)
        worker_command = [*manage, "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1"]

        first = subprocess.Popen(worker_command, cwd=ROOT, env=env)
        try:
            wait_for(mailbox.holding.is_set, 60, "the second call to reach the SMTP server")
            first.send_signal(signal.SIGKILL)
            first.wait(10)
        finally:
            first.kill()
        mailbox.release.set()

        second = subprocess.Popen(worker_command, cwd=ROOT, env=env)
        try:
            wait_for(lambda: len(mailbox.messages) >= 3, 60, "the third call")
            time.sleep(1.5)  # room for a wrong second send of the call in doubt
        finally:
            second.terminate()
            second.wait(10)

        statuses = subprocess.run(
            [*manage, "shell", "-c", STATUSES], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        ).stdout

    assert sorted(mailbox.to()) == sorted(TEAM)  # each person once, the one in doubt included
    assert max(Counter(mailbox.to()).values()) == 1
    # The call in hand when the worker died stays "not confirmed" for a person to check.
    assert statuses.count("'sent'") == 2 and statuses.count("'sending'") == 1
