"""Static files in production: hashed names, compressed, served by WhiteNoise."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage

if TYPE_CHECKING:
    # WhiteNoise ships no type information (no py.typed), so mypy would see its class as
    # Any. It is a ManifestStaticFilesStorage that only adds compression and takes the
    # same arguments, so type-check against Django's class.
    from django.contrib.staticfiles.storage import (
        ManifestStaticFilesStorage as CompressedManifestStaticFilesStorage,
    )
else:
    from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Keeps the manifest (staticfiles.json) outside the folder WhiteNoise serves.

    Everything in STATIC_ROOT is public; the manifest only maps names to hashed names,
    but nothing the portal does needs it on the web, so it is not put there."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("manifest_storage", FileSystemStorage(location=settings.STATIC_MANIFEST_ROOT))
        super().__init__(*args, **kwargs)
