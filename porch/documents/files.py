"""Checks an uploaded file by its content, not its name, and cleans images."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

# What we accept: the content type, the start of the file, the extensions it may have.
ACCEPTED = (
    ("application/pdf", b"%PDF-", (".pdf",)),
    ("image/png", b"\x89PNG\r\n\x1a\n", (".png",)),
    ("image/jpeg", b"\xff\xd8\xff", (".jpg", ".jpeg")),
)


@dataclass(frozen=True)
class CheckedFile:
    content: ContentFile[bytes]
    content_type: str
    size: int


def check_upload(upload: UploadedFile) -> CheckedFile:
    """Refuse anything that is empty, too big, or not really a PDF, JPG or PNG."""
    limit = settings.MAX_UPLOAD_MEGABYTES * 1024 * 1024
    if not upload.size:
        raise ValidationError("The selected file is empty", code="empty")
    if upload.size > limit:
        raise ValidationError(
            f"The selected file must be smaller than {settings.MAX_UPLOAD_MEGABYTES}MB", code="too_big"
        )
    data = upload.read()
    name = (upload.name or "").lower()
    for content_type, magic, extensions in ACCEPTED:
        if data.startswith(magic) and name.endswith(extensions):
            if content_type.startswith("image/"):
                data = _reencoded(data, content_type)
            return CheckedFile(ContentFile(data, name=_safe_name(name, extensions[0])), content_type, len(data))
    raise ValidationError("The selected file must be a PDF, JPG or PNG", code="wrong_type")


def _reencoded(data: bytes, content_type: str) -> bytes:
    """Re-encode an image so nothing but pixels survive (no EXIF, no GPS)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            pixels = image.convert("RGB") if content_type == "image/jpeg" else image.copy()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValidationError("The selected file must be a PDF, JPG or PNG", code="wrong_type") from exc
    output = io.BytesIO()
    pixels.save(output, format="JPEG" if content_type == "image/jpeg" else "PNG")
    return output.getvalue()


def _safe_name(name: str, extension: str) -> str:
    stem = "".join(ch for ch in name.rsplit(".", 1)[0] if ch.isalnum() or ch in "-_")[:50] or "document"
    return f"{stem}{extension}"
