"""A form field for a few sound or video recordings in one file input, each checked by its
structure (porch.core.media), never by its name or the type the browser sent, and kept as a
copy without the metadata we can take out (the place a video was filmed, the phone's details).

A recording can be as large as MAX_MEDIA_MEGABYTES: it is read from Django's temporary file a
header at a time and copied a block at a time, never held whole in memory. The page declares
the same size to the upload handler (porch.core.upload_handlers), so a larger file is never
written to disk in full."""

from __future__ import annotations

import logging
import tempfile
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.uploadedfile import UploadedFile

from porch.core import media
from porch.core.uploads import MEGABYTE, NOT_UPLOADED, CheckedFile

logger = logging.getLogger(__name__)

MAX_RECORDINGS = 3
KINDS = "MP3, M4A, WAV, OGG, AMR, MP4, MOV, WEBM or 3GP"
WRONG_TYPE_RECORDING = f"The selected file must be a sound or video recording: {KINDS}"


def max_media_bytes() -> int:
    return int(settings.MAX_MEDIA_MEGABYTES) * MEGABYTE


def check_recording(upload: UploadedFile[bytes]) -> CheckedFile:
    """Refuse anything that is empty, too big, or not really a recording we take; return a
    clean copy in a temporary file."""
    if not upload.size:
        raise ValidationError("The selected file is empty", code="empty")
    if upload.size > max_media_bytes():
        raise ValidationError(
            f"The selected file must be smaller than {settings.MAX_MEDIA_MEGABYTES}MB", code="too_big"
        )
    stream = upload.file
    if stream is None:
        raise ValidationError(NOT_UPLOADED, code="not_uploaded")
    try:
        found = media.sniff(stream, upload.size)
        copy = tempfile.TemporaryFile()  # noqa: SIM115 (handed to storage, closed when collected)
        size = media.clean(stream, found, copy)
    except media.NotMedia as refused:
        logger.info("Refused a recording: %s", refused)
        raise ValidationError(WRONG_TYPE_RECORDING, code="wrong_type") from None
    except OSError as error:
        logger.error("Could not read a recording: %s", error)
        raise ValidationError(NOT_UPLOADED, code="not_uploaded") from error
    # Never the uploader's file name: it can carry a name. The storage names it by its record.
    return CheckedFile(File(copy, name=f"upload{found.extension}"), found.content_type, size)


class RecordingsInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class RecordingsField(forms.FileField):
    """Up to MAX_RECORDINGS sound or video recordings in one optional file input."""

    def __init__(self, **kwargs: Any) -> None:
        attrs = {"accept": "audio/*,video/*", "multiple": True}
        kwargs.setdefault("widget", RecordingsInput(attrs=attrs))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[CheckedFile]:
        uploads = [upload for upload in (data if isinstance(data, (list, tuple)) else [data]) if upload]
        if len(uploads) > MAX_RECORDINGS:
            raise ValidationError(f"Select up to {MAX_RECORDINGS} recordings")
        checked: list[CheckedFile] = []
        for upload in uploads:
            if not isinstance(upload, UploadedFile):
                raise ValidationError(WRONG_TYPE_RECORDING)
            checked.append(check_recording(upload))
        return checked
