"""A real worker killed part-way through applying a batch (kill -9, as a crashed server or an
out-of-memory kill would), and the batch started again: it carries on from the last chunk
committed, and nothing is created or counted twice."""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from porch.accounts.actors import actor_for_user
from porch.core.roles import StaffRole
from porch.feed.models import FeedBatch
from porch.feed.services import STALLED_AFTER, batch_apply
from porch.feed.tests.files import previewed, properties
from porch.housing.models import Property

ROOT = Path(settings.BASE_DIR)
HOMES = 20_000


def _worker(media: Path) -> subprocess.Popen[bytes]:
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(media), "DEBUG": "1"}
    command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--batch"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _position(batch: FeedBatch) -> int:
    batch.refresh_from_db()
    return batch.position


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the worker is another process, which needs a database it can open; the SQLite test database is in memory",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_mid_batch_is_carried_on_by_the_next_and_nothing_is_done_twice(tmp_path: Path) -> None:
    from conftest import make_staff

    admin = actor_for_user(make_staff("admin@staff.example.org", [StaffRole.SYSADMIN], []), verified=True)
    batch = previewed("properties", properties(*((f"PR-{n}", f"Flat {n}", f"BL-{n // 100}") for n in range(HOMES))))
    assert batch.status == FeedBatch.Status.PREVIEWED
    batch_apply(actor=admin, batch=batch)  # queues the work for the worker
    media = Path(settings.STORAGES["default"]["OPTIONS"]["location"])

    worker = _worker(media)
    deadline = time.monotonic() + 120
    while _position(batch) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    stopped_at = _position(batch)
    assert 0 < stopped_at < HOMES, "the worker was killed part-way through"
    assert batch.status == FeedBatch.Status.APPLYING
    assert Property.objects.count() == batch.created == stopped_at  # each chunk commits with its position

    # Later, someone sees it has stalled and starts it again.
    FeedBatch.objects.filter(pk=batch.pk).update(
        progress_at=timezone.now() - STALLED_AFTER - datetime.timedelta(minutes=1)
    )
    batch_apply(actor=admin, batch=batch)
    _worker(media).wait(timeout=300)
    batch.refresh_from_db()
    assert (batch.status, batch.position, batch.read, batch.created) == (FeedBatch.Status.APPLIED, HOMES, HOMES, HOMES)
    assert Property.objects.count() == HOMES
