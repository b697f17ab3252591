"""What checking an upload costs: peak memory and time of check_upload, one fresh process per case.

    DEBUG=1 .venv/bin/python bench/upload_memory.py [--only NAME ...] [--implementation FILE]

For each case the script builds the file (in this process), then starts a fresh
Python process that sets Django up, reads the file, builds the upload, notes
its own peak resident memory (ru_maxrss), calls check_upload, and reports:

- the outcome (kept, with its size and pixels, or the error the person sees);
- the time check_upload took (wall clock, the checker process included);
- the worker's peak above what it held before the call: what one upload costs
  the web process;
- the checker's peak resident memory (ru_maxrss of the largest child process)
  and processor time: where the file is actually parsed, under its hard limits
  (ADR 0009).

--implementation measures another copy of porch/core/uploads.py (for example
the one before ADR 0009, from `git show <commit>:porch/core/uploads.py`); it
must define check_upload. No database is used.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import os
import resource
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


# --- Building the cases -----------------------------------------------------------------------


def zlib_of_repeats(block: bytes, times: int) -> bytes:
    """zlib data of `block` repeated `times` times, compressing it only twice (a full flush forgets the past)."""
    squeeze = zlib.compressobj(9)
    first = squeeze.compress(block) + squeeze.flush(zlib.Z_FULL_FLUSH)
    again = squeeze.compress(block) + squeeze.flush(zlib.Z_FULL_FLUSH)
    checksum = 1
    for _ in range(times):
        checksum = zlib.adler32(block, checksum)
    return first + again * (times - 1) + b"\x03\x00" + struct.pack(">I", checksum)


def png_of_zeros(width: int, height: int, bits_per_pixel: int, depth: int, colour: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    row = b"\x00" * (1 + (width * bits_per_pixel + 7) // 8)
    data = zlib_of_repeats(row * 100, height // 100)
    header = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def photo(width: int, height: int, **options: object) -> bytes:
    """A photo-like JPEG: a gradient with sensor-like noise, EXIF with a location, about as big as a phone's."""
    from PIL import ExifTags, Image

    base = Image.linear_gradient("L").resize((width, height))
    noise = Image.effect_noise((width, height), 12)
    picture = Image.merge("RGB", (base, Image.blend(base, noise, 0.3), noise))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef], gps[ExifTags.GPS.GPSLatitude] = "N", (53.0, 26.0, 51.0)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", exif=exif, **options)
    return buffer.getvalue()


def plain_jpeg(width: int, height: int, mode: str, **options: object) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new(mode, (width, height), "grey" if mode != "CMYK" else (10, 20, 30, 40)).save(
        buffer, format="JPEG", **options
    )
    return buffer.getvalue()


def turned_png(width: int, height: int) -> bytes:
    """A full-size RGBA PNG that asks to be turned (EXIF orientation 6): decoded, then copied once."""
    from PIL import ExifTags, Image

    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    body = exif.tobytes()
    data = png_of_zeros(width, height, 32, 8, 6)
    exif_chunk = struct.pack(">I", len(body)) + b"eXIf" + body + struct.pack(">I", zlib.crc32(b"eXIf" + body))
    return data[:33] + exif_chunk + data[33:]  # after the 8-byte signature and 25-byte IHDR


def letters_pdf(pages: int, images: int) -> bytes:
    """A multi-megabyte PDF: pages of uncompressed text and some photo-like images."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setPageCompression(0)
    pdf.setAuthor("Housing Officer")
    scan = ImageReader(Image.effect_noise((1200, 1600), 40).convert("RGB"))
    for page in range(pages):
        for line in range(50):
            pdf.drawString(40, 800 - line * 15, f"Page {page + 1}, line {line + 1}: your rent account statement " * 2)
        if page < images:
            pdf.drawImage(scan, 40, 40, width=300, height=400)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def pdf_whose_object_stream_expands(megabytes: int) -> bytes:
    """A small PDF whose page tree sits in an object stream padded to `megabytes` MB once inflated."""
    pages, header = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", b"2 0 "
    padding = b" " * (1024 * 1024)
    squeeze = zlib.compressobj(9)
    stream = squeeze.compress(header + pages) + squeeze.flush(zlib.Z_FULL_FLUSH)
    unit = squeeze.compress(padding) + squeeze.flush(zlib.Z_FULL_FLUSH)
    checksum = zlib.adler32(header + pages)
    for _ in range(megabytes):
        checksum = zlib.adler32(padding, checksum)
    stream += unit * megabytes + b"\x03\x00" + struct.pack(">I", checksum)
    out, offsets = bytearray(b"%PDF-1.5\n"), {}
    for number, body in (
        (1, b"<< /Type /Catalog /Pages 2 0 R >>"),
        (3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"),
        (4, b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(stream) + stream),
    ):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + (b"\nendstream" if number == 4 else b"") + b"\nendobj\n"
    xref_at = len(out)
    entries = [(0, 0, 65535), (1, offsets[1], 0), (2, 4, 0), (1, offsets[3], 0), (1, offsets[4], 0), (1, xref_at, 0)]
    rows = b"".join(struct.pack(">BIH", *entry) for entry in entries)
    out += b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(rows)
    out += rows + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


# Name, file name, builder. Sizes: a 12 MP phone saves 4032 x 3024; the largest "50 MP" sensors 8192 x 6144.
CASES: list[tuple[str, str, Callable[[], bytes]]] = [
    ("12 MP phone photo, JPEG 4032x3024", "photo.jpg", lambda: photo(4032, 3024, quality=88)),
    ("Largest phone photo, JPEG 8192x6144 (50.3 MP)", "photo.jpg", lambda: photo(8192, 6144, quality=80)),
    (
        "Heavy JPEG: 8192x6144 progressive 4:4:4",
        "photo.jpg",
        lambda: plain_jpeg(8192, 6144, "RGB", progressive=True, subsampling=0),
    ),
    ("Worst accepted PNG: 8192x6144 RGBA, to be turned", "scan.png", lambda: turned_png(8192, 6144)),
    (
        "Worst accepted JPEG: 8192x6144 CMYK progressive 4:4:4",
        "photo.jpg",
        lambda: plain_jpeg(8192, 6144, "CMYK", progressive=True, subsampling=0),
    ),
    ("Hostile: 20000x20000 one-bit PNG (400 MP)", "bomb.png", lambda: png_of_zeros(20000, 20000, 1, 1, 0)),
    ("Hostile: 13000x13000 RGBA PNG (169 MP)", "big.png", lambda: png_of_zeros(13000, 13000, 32, 8, 6)),
    ("Hostile: 12000x12000 one-bit PNG (144 MP)", "big.png", lambda: png_of_zeros(12000, 12000, 1, 1, 0)),
    ("PDF: 300 pages of text, 40 scanned images", "letters.pdf", lambda: letters_pdf(300, 40)),
    ("Hostile PDF: object stream inflating to 2 GB", "bomb.pdf", lambda: pdf_whose_object_stream_expands(2048)),
]


# --- Measuring one case in a fresh process ----------------------------------------------------


def measure(path: str, name: str, implementation: str | None) -> dict[str, object]:
    os.environ.setdefault("DEBUG", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    if implementation:
        spec = importlib.util.spec_from_file_location("files_under_test", implementation)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules["files_under_test"] = module
        spec.loader.exec_module(module)
        check_upload = module.check_upload
    else:
        from porch.core.uploads import check_upload

    from PIL import Image  # imported before the baseline, as a running worker has it

    upload = SimpleUploadedFile(name, Path(path).read_bytes())
    before = resident_now_and_reset_peak()
    start = time.perf_counter()
    try:
        checked = check_upload(upload)
        stored = checked.content.read()
        outcome = f"kept, {len(stored) / 1024 / 1024:.1f} MB"
        if checked.content_type.startswith("image/"):
            width, height = Image.open(io.BytesIO(stored)).size
            outcome += f", {width}x{height}"
    except ValidationError as error:
        outcome = f"refused ({error.code or error.messages[0]})"
    except Exception as error:  # the code before ADR 0009 let some through: a 500
        outcome = f"error: {type(error).__name__}"
    seconds = time.perf_counter() - start
    peak = peak_since_reset()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "outcome": outcome,
        "seconds": seconds,
        "worker_before_mb": before / 1024,
        "worker_extra_mb": (peak - before) / 1024,
        "checker_mb": children.ru_maxrss / 1024,
        "checker_cpu": children.ru_utime + children.ru_stime,
    }


def resident_now_and_reset_peak() -> int:
    """Resident memory now (kB), and the peak restarted from here (Linux: 5 > /proc/self/clear_refs),
    so the peak read after the call is the call's own, not Django's start-up."""
    Path("/proc/self/clear_refs").write_text("5")
    return status_kb("VmRSS")


def peak_since_reset() -> int:
    return status_kb("VmHWM")


def status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", help="run only cases whose name contains one of these words")
    parser.add_argument("--implementation", help="another copy of porch/core/uploads.py to measure")
    parser.add_argument("--measure", nargs=2, metavar=("PATH", "NAME"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        print(json.dumps(measure(*options.measure, options.implementation)))
        return

    import PIL
    from PIL import features

    print(
        f"Python {sys.version.split()[0]}; {os.cpu_count()} cores; Pillow {PIL.__version__} "
        f"(libjpeg-turbo {features.version('jpg')}, zlib {features.version('zlib')})"
    )
    print()
    print("| Case | File | Outcome | Time | Worker: extra peak | Checker: peak | Checker: processor |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="porch-bench-upload-") as scratch:
        for label, name, build in CASES:
            if options.only and not any(word.lower() in label.lower() for word in options.only):
                continue
            path = Path(scratch) / name
            path.write_bytes(build())
            command = [sys.executable, __file__, "--measure", str(path), name]
            if options.implementation:
                command += ["--implementation", options.implementation]
            done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)  # noqa: S603
            if done.returncode != 0:
                print(f"| {label} | | the measuring process failed: {done.stderr.strip().splitlines()[-1:]} | | | | |")
                continue
            result = json.loads(done.stdout.strip().splitlines()[-1])
            size = path.stat().st_size
            shown = f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"
            print(
                f"| {label} | {shown} | {result['outcome']} | {result['seconds']:.2f} s "
                f"| {result['worker_extra_mb']:.0f} MB | {result['checker_mb']:.0f} MB | {result['checker_cpu']:.2f} s |"
            )


if __name__ == "__main__":
    main()
