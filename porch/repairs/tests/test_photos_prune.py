"""Photos of reports never sent are deleted once no journey can still use them; a repair's
photos and recent ones stay."""

from __future__ import annotations

import datetime
import io
import os

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from conftest import Cast
from porch.repairs.photos import KEEP
from porch.repairs.tests.ladders_staff import make_repair


def stored(name: str, age: datetime.timedelta) -> str:
    saved = default_storage.save(f"repairs/{name}", ContentFile(b"photo"))
    moment = (timezone.now() - age).timestamp()
    os.utime(default_storage.path(saved), (moment, moment))
    return saved


def test_only_old_photos_no_repair_holds_are_deleted(cast: Cast) -> None:
    repair = make_repair(cast)
    held = stored("held.jpg", KEEP * 3)
    repair.photos.create(file=held, content_type="image/jpeg", size=5)
    abandoned = stored("abandoned.jpg", KEEP * 3)
    in_progress = stored("in-progress.jpg", datetime.timedelta(hours=1))
    out = io.StringIO()
    call_command("repairs_prune_photos", stdout=out)
    assert "Deleted 1 photos" in out.getvalue()
    assert not default_storage.exists(abandoned)
    assert default_storage.exists(held)
    assert default_storage.exists(in_progress)
