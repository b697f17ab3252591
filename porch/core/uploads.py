"""Checks an uploaded file by its content, not its name, and keeps only what the record needs
(a document, a photo of a repair).

The web worker never parses an upload. It checks the size and the first bytes,
then hands the file to a short-lived child process (this file, run as a
script) that opens it under hard limits on memory, processor time and output
size, and writes back a clean copy: images re-encoded from their pixels alone,
PDFs rewritten without their document information and XMP metadata. Whatever a
hostile file does, the worker holds at most the upload and the clean copy, and
the child's memory is given back to the system when it exits. See ADR 0009.
"""

from __future__ import annotations

import io
import logging
import resource
import signal
import subprocess
import sys
import tempfile
import warnings
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

# django.conf is imported where it is used: the child runs this file and needs no settings, and
# importing them would add a fifth of a second to every upload.

logger = logging.getLogger(__name__)

# What we accept: the content type, the start of the file, the extensions it may have.
ACCEPTED = (
    ("application/pdf", b"%PDF-", (".pdf",)),
    ("image/png", b"\x89PNG\r\n\x1a\n", (".png",)),
    ("image/jpeg", b"\xff\xd8\xff", (".jpg", ".jpeg")),
)

WRONG_TYPE = "The selected file must be a PDF, JPG or PNG"
# Photos (of a repair, of evidence): images alone.
IMAGES = tuple(accepted for accepted in ACCEPTED if accepted[0].startswith("image/"))
WRONG_TYPE_IMAGE = "The selected file must be a JPG or PNG photo"
PROTECTED = "The selected file is password protected"
NOT_UPLOADED = "The selected file could not be uploaded – try again"  # noqa: RUF001 (GOV.UK's wording)

MEGABYTE = 1024 * 1024
MEGAPIXEL = 1_000_000

# A JPEG larger than this is decoded at a half, quarter or eighth of its size (libjpeg's scaled
# decoding), so a 48 or 50 MP photo is kept at 12 MP, what phones save by default; 24 MP
# photos (some phones' default) are kept whole.
JPEG_FULL_SIZE_PIXELS = 25 * MEGAPIXEL
# Processor seconds: five times the heaviest file we accept (a 52 MP RGBA PNG to be turned took 1.8 s
# in bench/upload_memory.py), thirty times a 50 MP photo. A file that needs more is hostile.
CHILD_CPU_SECONDS = 10
# Longer than the processor limit, for a busy machine; only a child stuck waiting gets this far.
CHILD_WALL_SECONDS = 30

# How the child reports its outcome: its exit code.
CLEANED = 0
UNREADABLE = 3
TOO_MANY_PIXELS = 4
LOCKED = 5


@dataclass(frozen=True)
class CheckedFile:
    # In memory for images and PDFs; a temporary file for sound and video (porch.core.media_fields).
    content: File[bytes]
    content_type: str
    size: int


@dataclass(frozen=True)
class Limits:
    """What the child may use. Derived from settings in the worker, passed to the child on its command line."""

    max_pixels: int
    max_side: int
    memory_bytes: int
    output_bytes: int

    @classmethod
    def from_settings(cls) -> Limits:
        from django.conf import settings

        max_pixels = settings.MAX_IMAGE_MEGAPIXELS * MEGAPIXEL
        upload_bytes = settings.MAX_UPLOAD_MEGABYTES * MEGABYTE
        return cls(
            max_pixels=max_pixels,
            max_side=settings.MAX_IMAGE_SIDE_PIXELS,
            # The interpreter and its libraries; the upload and its clean copy (up to twice the upload),
            # with room to spare; and 8 bytes a pixel: 4 for the decoded image and 4 for one copy of it
            # (a photo turned upright, a CMYK photo made RGB) or for libjpeg's coefficients of a
            # progressive JPEG. bench/upload_memory.py measures the heaviest accepted file at 454 MB.
            memory_bytes=64 * MEGABYTE + 4 * upload_bytes + 8 * max_pixels,
            # A clean copy is about the size of the upload; twice it leaves room for a PNG that
            # compressed better than ours does.
            output_bytes=2 * upload_bytes,
        )

    def argv(self) -> list[str]:
        return [str(self.max_pixels), str(self.max_side), str(self.memory_bytes), str(self.output_bytes)]

    @classmethod
    def from_argv(cls, argv: list[str]) -> Limits:
        max_pixels, max_side, memory_bytes, output_bytes = (int(value) for value in argv)
        return cls(max_pixels, max_side, memory_bytes, output_bytes)


def too_many_pixels_message() -> str:
    from django.conf import settings

    megapixels = settings.MAX_IMAGE_MEGAPIXELS
    side = settings.MAX_IMAGE_SIDE_PIXELS
    return (
        f"The selected image must be {megapixels} megapixels or less and no more than {side:,} pixels wide or "
        "high – photos taken with a phone's normal camera setting are fine"  # noqa: RUF001
    )


def check_upload(
    upload: UploadedFile[bytes],
    accepted: tuple[tuple[str, bytes, tuple[str, ...]], ...] = ACCEPTED,
    wrong_type: str = WRONG_TYPE,
) -> CheckedFile:
    """Refuse anything that is empty, too big, or not really one of the accepted types (by
    default a PDF, JPG or PNG); return a clean copy."""
    from django.conf import settings

    limit = settings.MAX_UPLOAD_MEGABYTES * MEGABYTE
    if not upload.size:
        raise ValidationError("The selected file is empty", code="empty")
    if upload.size > limit:
        raise ValidationError(
            f"The selected file must be smaller than {settings.MAX_UPLOAD_MEGABYTES}MB", code="too_big"
        )
    data = upload.read()
    name = (upload.name or "").lower()
    for content_type, magic, extensions in accepted:
        if data.startswith(magic) and name.endswith(extensions):
            cleaned = _cleaned_by_child(data, content_type, Limits.from_settings())
            # Never the uploader's file name: it can carry a name or a case reference. The storage
            # names the file by its record.
            return CheckedFile(ContentFile(cleaned, name=f"upload{extensions[0]}"), content_type, len(cleaned))
    raise ValidationError(wrong_type, code="wrong_type")


def _cleaned_by_child(data: bytes, content_type: str, limits: Limits) -> bytes:
    # The clean copy goes to a temporary file, not a pipe: the child's file-size limit then caps it,
    # so even a child that misbehaves cannot make the worker hold more than output_bytes.
    with tempfile.TemporaryFile() as output, tempfile.TemporaryFile() as errors:
        try:
            child = subprocess.run(  # noqa: S603 (our own interpreter and script, no shell)
                [sys.executable, "-I", __file__, content_type, *limits.argv()],
                input=data,
                stdout=output,
                stderr=errors,
                env={},  # nothing of the worker's environment (database address, keys) reaches the parser
                timeout=CHILD_WALL_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            logger.warning("Checking an upload (%s) took over %s s; refused", content_type, CHILD_WALL_SECONDS)
            raise ValidationError(NOT_UPLOADED, code="not_uploaded") from None
        except OSError as error:
            logger.error("Could not start the upload checker: %s", error)
            raise ValidationError(NOT_UPLOADED, code="not_uploaded") from error
        if child.returncode == CLEANED:
            output.seek(0)
            cleaned = output.read(limits.output_bytes + 1)
            if 0 < len(cleaned) <= limits.output_bytes:
                return cleaned
        raise _refusal(child.returncode, content_type, _tail(errors))


def _refusal(code: int, content_type: str, errors: str) -> ValidationError:
    if code == TOO_MANY_PIXELS:
        return ValidationError(too_many_pixels_message(), code="too_many_pixels")
    if code == LOCKED:
        return ValidationError(PROTECTED, code="password")
    if code == UNREADABLE:
        return ValidationError(WRONG_TYPE, code="wrong_type")
    if -code in (signal.SIGXCPU, signal.SIGXFSZ, signal.SIGKILL):
        # Over the processor or output limit: a file that takes this much is not one we will keep.
        logger.warning("Refused an upload (%s): the checker stopped at a limit (signal %s)", content_type, -code)
        if content_type.startswith("image/"):
            return ValidationError(too_many_pixels_message(), code="too_many_pixels")
        return ValidationError(WRONG_TYPE, code="wrong_type")
    logger.error("The upload checker failed (%s, exit %s): %s", content_type, code, errors)
    return ValidationError(NOT_UPLOADED, code="not_uploaded")


def _tail(stream: IO[bytes]) -> str:
    stream.seek(0, io.SEEK_END)
    stream.seek(max(0, stream.tell() - 2000))
    return stream.read().decode(errors="replace")


# --- The child: runs as `python -I files.py <content type> <limits>`, the upload on stdin. ---


class Refused(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def child_main(argv: list[str]) -> int:
    content_type, limits = argv[0], Limits.from_argv(argv[1:])
    _confine(limits)
    data = sys.stdin.buffer.read()
    try:
        cleaned = clean_pdf(data) if content_type == "application/pdf" else clean_image(data, content_type, limits)
    except Refused as refusal:
        return refusal.code
    sys.stdout.buffer.write(cleaned)
    sys.stdout.buffer.flush()
    return CLEANED


def _confine(limits: Limits) -> None:
    """Hard limits (soft and hard alike, so the child cannot raise them), set before reading the upload."""
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (CHILD_CPU_SECONDS, CHILD_CPU_SECONDS + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.output_bytes, limits.output_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash must not write the document to a core file


def clean_image(data: bytes, content_type: str, limits: Limits) -> bytes:
    """Re-encode an image from its pixels alone: no EXIF or GPS, comments, XMP, ICC profile or text chunks.

    The size is read from the header first (Pillow opens lazily) and anything too large is refused
    before a single pixel is decoded."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    # Pillow's own guard agrees with ours: it warns above the limit (made an error here; the child has
    # one thread, so changing the warning filter is safe) and refuses outright at twice the limit.
    Image.MAX_IMAGE_PIXELS = limits.max_pixels
    warnings.simplefilter("error", Image.DecompressionBombWarning)
    is_jpeg = content_type == "image/jpeg"
    try:
        with Image.open(io.BytesIO(data), formats=["JPEG"] if is_jpeg else ["PNG"]) as image:
            width, height = image.size
            if width * height > limits.max_pixels or max(width, height) > limits.max_side:
                raise Refused(TOO_MANY_PIXELS)
            if is_jpeg:
                image.draft(None, _jpeg_draft_size(width, height))
            image.load()
            ImageOps.exif_transpose(image, in_place=True)  # the EXIF goes, so the turn it asked for is applied
            pixels = image.convert("RGB") if is_jpeg and image.mode not in ("RGB", "L") else image
            # Pillow writes a JPEG's comment and a PNG's ICC profile back from .info: keep only the
            # transparency of a PNG, which is part of the picture.
            pixels.info = {key: value for key, value in image.info.items() if key == "transparency"}
            output = io.BytesIO()
            pixels.save(output, format="JPEG" if is_jpeg else "PNG")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning, MemoryError) as error:
        raise Refused(TOO_MANY_PIXELS) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise Refused(UNREADABLE) from error
    return output.getvalue()


def _jpeg_draft_size(width: int, height: int) -> tuple[int, int]:
    """The size to ask libjpeg for: the least reduction (1, 2, 4 or 8) that fits JPEG_FULL_SIZE_PIXELS."""
    for scale in (1, 2, 4, 8):
        if -(-width // scale) * -(-height // scale) <= JPEG_FULL_SIZE_PIXELS:
            break
    return max(1, width // scale), max(1, height // scale)


def _unsign_comments(page: Any) -> None:
    """A comment's /T names whoever wrote it (a form field's /T is its name, which stays)."""
    for annotation in page.get("/Annots", []):
        if annotation.get("/Subtype") != "/Widget" and "/T" in annotation:
            del annotation["/T"]


def clean_pdf(data: bytes) -> bytes:
    """Rewrite a PDF without its document information (/Info) or XMP metadata, its text untouched.

    Streams are copied as they are (never decoded or compressed), so the text of a page stays as
    findable in the bytes as it was (the canary guard searches them), and a compressed page cannot
    be made to expand. Only object streams must be decompressed to be read; the memory limit stops
    one that expands too far."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data), inherit_page_attributes=False) as pdf:
            if len(pdf.pages) == 0:
                raise Refused(UNREADABLE)
            # The /ID links the copy to the author's original file; a new one is made from the content.
            for key in ("/Info", "/ID"):
                if key in pdf.trailer:
                    del pdf.trailer[key]
            for item in pdf.objects:
                if isinstance(item, (pikepdf.Dictionary, pikepdf.Stream)):
                    # XMP can hang off the catalogue, a page, an image or a font; PieceInfo holds the
                    # private data of the program that made the page.
                    for key in ("/Metadata", "/PieceInfo"):
                        if key in item:
                            del item[key]
            for page in pdf.pages:
                _unsign_comments(page)
            output = io.BytesIO()
            pdf.save(
                output,
                compress_streams=False,
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
                object_stream_mode=pikepdf.ObjectStreamMode.preserve,
                fix_metadata_version=False,
                deterministic_id=True,
            )
    except pikepdf.PasswordError as error:
        raise Refused(LOCKED) from error
    except (pikepdf.PdfError, MemoryError, ValueError, RuntimeError) as error:
        raise Refused(UNREADABLE) from error
    return output.getvalue()


if __name__ == "__main__":
    sys.exit(child_main(sys.argv[1:]))
