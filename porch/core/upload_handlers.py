"""Uploads stop being kept once they pass the largest file their page takes.

Django writes an upload larger than FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file as it
arrives, and a form sees its size only once it has all arrived: a 2 GB "video" would fill the
disk first. A page that takes large files declares its largest (`upload_cap`); this handler,
first in FILE_UPLOAD_HANDLERS, passes each file's bytes on to Django's own handlers until the
file passes that size, then drops the rest as it arrives and hands the form a stand-in that
carries only the size the file reached (TooBig), so the form refuses it with its usual "must
be smaller than" message and keeps everything else that was typed. Every other page takes no
file larger than MAX_UPLOAD_MEGABYTES (a photo or a PDF): an upload is read when the form is,
which can be before anyone has checked who is asking, so no page lets a stranger fill the disk.

The cap is found from the page being posted to (`request.resolver_match`), which Django has
resolved before any middleware reads the form.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from porch.core.uploads import MEGABYTE

V = TypeVar("V", bound=Callable[..., Any])


def upload_cap(largest_bytes: Callable[[], int]) -> Callable[[V], V]:
    """Declare the largest file a page takes, in bytes (a function, so settings are read per request)."""

    def decorate(view: V) -> V:
        view.porch_upload_cap = largest_bytes  # type: ignore[attr-defined]
        return view

    return decorate


class TooBig(UploadedFile[bytes]):
    """A file that passed its page's cap: none of its bytes, only how far it got."""

    def __init__(self, name: str, content_type: str, size: int) -> None:
        super().__init__(io.BytesIO(b""), name=name or "upload", content_type=content_type, size=size)


class CappedUploadHandler(FileUploadHandler):
    def new_file(self, field_name: str, file_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        self.cap = _cap_of(self.request)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.cap:
            return None  # the handlers after this one never see the rest
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile[bytes] | None:
        if self.received > self.cap:
            return TooBig(self.file_name or "", self.content_type or "", self.received)
        return None  # under the cap: Django's handlers make the file as usual


def _cap_of(request: Any) -> int:
    match = getattr(request, "resolver_match", None)
    largest = getattr(getattr(match, "func", None), "porch_upload_cap", None)
    return largest() if largest is not None else int(settings.MAX_UPLOAD_MEGABYTES) * MEGABYTE
