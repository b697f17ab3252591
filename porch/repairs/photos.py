"""Photos a resident added to a report they never sent. The journey stores each checked
photo at once, so a later error never loses it (journey.py); a journey abandoned without
starting another leaves its photos in storage, attached to no repair. This deletes them
once they are older than any journey could still be using."""

from __future__ import annotations

import datetime

from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils import timezone

from porch.core.files import sealed_file_response
from porch.repairs.models import Repair, RepairPhoto

FOLDER = "repairs"
# Longer than a session lasts, so no journey still in progress loses a photo.
KEEP = datetime.timedelta(days=2)


def unattached_photos_delete(now: datetime.datetime | None = None) -> int:
    """Delete stored repair photos that no repair holds and that are older than KEEP."""
    if not default_storage.exists(FOLDER):
        return 0
    cutoff = (now or timezone.now()) - KEEP
    _, names = default_storage.listdir(FOLDER)
    stored = {f"{FOLDER}/{name}" for name in names}
    held = set(RepairPhoto.objects.filter(file__in=stored).values_list("file", flat=True))
    deleted = 0
    for name in sorted(stored - held):
        if default_storage.get_modified_time(name) < cutoff:
            default_storage.delete(name)
            deleted += 1
    return deleted


def photo_response(repair: Repair, photo: RepairPhoto, *, attachment: bool = False) -> FileResponse:
    """A photo, found through access.py and audited by the caller, sent so no browser runs it:
    its own type (re-encoded, so it is what it says), no sniffing, and a policy that forbids
    everything if it were ever opened as a page."""
    extension = photo.content_type.rsplit("/", 1)[-1]
    return sealed_file_response(
        photo.file,
        filename=f"repair-{repair.reference}.{extension}",
        content_type=photo.content_type,
        attachment=attachment,
    )
