"""Files a resident chose on a form that came back for another answer ("Enter when it
happened"): already checked, so kept rather than lost, and not to be chosen again.

Each checked file is stored at once under a random name and remembered in the resident's
session against the form's key (the idempotency key every creating form carries), never in
the page: another session, or a forged key, finds nothing. The form lists them and offers to
remove them; the next successful send takes them (`take`), and `forget` deletes them once the
record holds its own copies. Files of a form never sent again are deleted after KEEP by
`manage.py kept_files_prune` (porch/core/management/commands)."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import asdict, dataclass
from typing import Any

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.http import HttpRequest
from django.utils import timezone

from porch.core.uploads import CheckedFile

SESSION_KEY = "porch.kept_files"
FOLDER = "kept"
# Longer than a session lasts, so no form still being filled in loses a file.
KEEP = datetime.timedelta(days=2)


@dataclass(frozen=True)
class KeptFile:
    field: str  # the form field it was chosen in ("photos", "recordings")
    name: str  # its name in storage: random, nothing the resident chose
    content_type: str
    size: int


def keep(request: HttpRequest, key: object, field: str, files: list[CheckedFile]) -> None:
    """Store checked files of a form that came back, against its key."""
    if not files or not _is_key(key):
        return
    kept = _all(request)
    mine = kept.setdefault(str(key), [])
    for checked in files:
        extension = checked.content_type.rsplit("/", 1)[-1]
        name = default_storage.save(f"{FOLDER}/{uuid.uuid4().hex}.{extension}", checked.content)
        mine.append(asdict(KeptFile(field, name, checked.content_type, checked.size)))
    request.session[SESSION_KEY] = kept


def kept_for(request: HttpRequest, key: object) -> list[KeptFile]:
    """The files kept for this form, in the order they were chosen."""
    if not _is_key(key):
        return []
    kept = [KeptFile(**entry) for entry in _all(request).get(str(key), [])]
    # One deleted by the prune meanwhile (a form left for days) is simply gone.
    return [file for file in kept if default_storage.exists(file.name)]


def take(request: HttpRequest, key: object) -> list[CheckedFile]:
    """The kept files, opened, for the record the form now makes (which stores its own copies)."""
    return [
        CheckedFile(
            File(default_storage.open(kept.name), name=kept.name.rsplit("/", 1)[-1]), kept.content_type, kept.size
        )
        for kept in kept_for(request, key)
    ]


def forget(request: HttpRequest, key: object) -> None:
    """Delete the files kept for this form: it was sent, or the resident removed them."""
    kept = _all(request)
    for entry in kept.pop(str(key), []):
        default_storage.delete(entry["name"])
    request.session[SESSION_KEY] = kept


def files_to_send(request: HttpRequest, key: object, *, drop: bool, now: list[CheckedFile]) -> list[CheckedFile]:
    """A form sent successfully: the files kept from before (unless the resident removed them)
    and those chosen now."""
    if drop:
        forget(request, key)
        return now
    return [*take(request, key), *now]


def keep_for_next_time(
    request: HttpRequest, key: object, *, drop: bool, checked: dict[str, list[CheckedFile]]
) -> list[KeptFile]:
    """A form came back for another answer: keep the files its fields checked (after removing
    those kept before, if the resident asked), and say what is kept now, for the form to list."""
    if drop:
        forget(request, key)
    for field, files in checked.items():
        keep(request, key, field, files)
    return kept_for(request, key)


def kept_files_prune(now: datetime.datetime | None = None) -> int:
    """Delete kept files older than KEEP: their form was never sent again."""
    if not default_storage.exists(FOLDER):
        return 0
    cutoff = (now or timezone.now()) - KEEP
    deleted = 0
    for name in sorted(default_storage.listdir(FOLDER)[1]):
        path = f"{FOLDER}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
            deleted += 1
    return deleted


def _all(request: HttpRequest) -> dict[str, list[dict[str, Any]]]:
    return dict(request.session.get(SESSION_KEY, {}))


def _is_key(key: object) -> bool:
    try:
        uuid.UUID(str(key))
    except ValueError:
        return False
    return True
