"""Uploads cannot exhaust memory and keep no metadata (penetration test, issue 8, A3 and A4; ADR 0009).

The hostile images are built here, small on disk and huge when decoded: their pixel
data is zlib of zeros, made by repeating one fully flushed block, so even a 676 MB
image costs a fraction of a second to build."""

from __future__ import annotations

import io
import signal
import struct
import uuid
import zlib
from typing import Any

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import ExifTags, Image, PngImagePlugin
from reportlab.pdfgen import canvas

from conftest import Cast, pdf_bytes, sign_in
from porch.core import uploads as files
from porch.core.markers import marker_new, markers_in
from porch.core.uploads import Limits, check_upload, clean_image
from porch.documents.models import Document

SECRET = b"SECRETMETADATA"
WRONG_TYPE = "The selected file must be a PDF, JPG or PNG"
TOO_BIG_IMAGE = (
    "The selected image must be 52 megapixels or less and no more than 12,000 pixels wide or high"
    " – photos taken with a phone's normal camera setting are fine"  # noqa: RUF001
)


# --- Building files -------------------------------------------------------------------------


def zlib_of_repeats(block: bytes, times: int) -> bytes:
    """zlib data of `block` repeated `times` times, without compressing it `times` times."""
    squeeze = zlib.compressobj(9)
    first = squeeze.compress(block) + squeeze.flush(zlib.Z_FULL_FLUSH)
    again = squeeze.compress(block) + squeeze.flush(zlib.Z_FULL_FLUSH)
    assert squeeze.compress(block) + squeeze.flush(zlib.Z_FULL_FLUSH) == again  # a full flush forgets the past
    checksum = 1
    for _ in range(times):
        checksum = zlib.adler32(block, checksum)
    return first + again * (times - 1) + b"\x03\x00" + struct.pack(">I", checksum)  # empty last block, checksum


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


# PNG colour types: 0 grey, 6 RGBA. Bits per pixel for the pairs used here.
BITS = {(1, 0): 1, (8, 0): 8, (8, 6): 32}


def png_of_zeros(width: int, height: int, *, depth: int = 8, colour: int = 0, pixel_data: bytes | None = None) -> bytes:
    """A valid PNG of the given size, every pixel zero, as small as zlib can make it."""
    row = b"\x00" * (1 + (width * BITS[depth, colour] + 7) // 8)  # filter byte, then the pixels
    rows_a_block = next(n for n in (100, 10, 1) if height % n == 0)
    data = pixel_data if pixel_data is not None else zlib_of_repeats(row * rows_a_block, height // rows_a_block)
    header = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", data) + png_chunk(b"IEND", b"")


def jpeg_declaring(width: int, height: int) -> bytes:
    """A small real JPEG whose frame header claims another size."""
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "grey").save(buffer, format="JPEG")
    data = buffer.getvalue()
    frame = data.index(b"\xff\xc0")  # baseline frame header: marker, length, precision, height, width
    return data[: frame + 5] + struct.pack(">HH", height, width) + data[frame + 9 :]


def jpeg(image: Image.Image, **options: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", **options)
    return buffer.getvalue()


def exif_with_location() -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker SECRETMETADATA"
    exif[ExifTags.Base.Artist] = "SECRETMETADATA"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (53.0, 26.0, 51.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (2.0, 13.0, 27.0)
    return exif


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/octet-stream")


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as refused:
        check_upload(upload(name, content))
    return refused.value.messages[0]


def opened(stored: bytes) -> Image.Image:
    return Image.open(io.BytesIO(stored))


# --- Images too large are refused from their header --------------------------------------------

HOSTILE_IMAGES = {
    # The report's cases: 400, 169 and 144 megapixels.
    "20000x20000 one-bit PNG bomb": lambda: png_of_zeros(20000, 20000, depth=1),
    "13000x13000 RGBA PNG": lambda: png_of_zeros(13000, 13000, colour=6),
    "12000x12000 one-bit PNG (144 MP)": lambda: png_of_zeros(12000, 12000, depth=1),
    # Over the limit but under twice it, where Pillow only warns: refused all the same.
    "9000x6000 grey PNG (54 MP)": lambda: png_of_zeros(9000, 6000),
    # Few pixels, but longer than any photo.
    "12001x10 strip": lambda: png_of_zeros(12001, 10),
    "JPEG declaring 9000x9000": lambda: jpeg_declaring(9000, 9000),
    "JPEG declaring 65000x100": lambda: jpeg_declaring(65000, 100),
}


@pytest.mark.parametrize("build", HOSTILE_IMAGES.values(), ids=HOSTILE_IMAGES.keys())
def test_images_too_large_are_refused_with_a_clear_error(build: Any) -> None:
    content = build()
    assert len(content) < 1024 * 1024
    name = "photo.jpg" if content.startswith(b"\xff\xd8") else "photo.png"
    assert refusal(name, content) == TOO_BIG_IMAGE


def test_the_header_decides_before_any_pixel_is_decoded(monkeypatch: pytest.MonkeyPatch) -> None:
    # Broken pixel data behind a huge header: decoding would fail as unreadable; the size refuses it first.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", Image.MAX_IMAGE_PIXELS)  # clean_image sets Pillow's guard
    content = png_of_zeros(13000, 13000, colour=6, pixel_data=b"not zlib at all")
    with pytest.raises(files.Refused) as refused:
        clean_image(content, "image/png", Limits.from_settings())
    assert refused.value.code == files.TOO_MANY_PIXELS
    assert Image.MAX_IMAGE_PIXELS == 52_000_000  # Pillow's own guard agrees with ours


def test_a_hostile_image_through_the_staff_form_shows_the_error_and_stores_nothing(cast: Cast) -> None:
    officer = sign_in(Client(), cast.staff["north"])
    response = officer.post(
        reverse("documents:staff_upload", args=[cast["ashton"].tenancy.uuid]),
        {
            "idempotency_key": str(uuid.uuid4()),
            "document_type": str(cast.types["letter"].pk),
            "title": "Damp in the bathroom",
            "addressee": "",
            "file": SimpleUploadedFile("damp.png", png_of_zeros(20000, 20000, depth=1), "image/png"),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "govuk-error-summary" in page
    assert "The selected image must be 52 megapixels or less" in page
    assert not Document.objects.filter(title="Damp in the bathroom").exists()


def test_the_limits_are_settings(settings: Any) -> None:
    settings.MAX_IMAGE_MEGAPIXELS = 1
    settings.MAX_IMAGE_SIDE_PIXELS = 2000
    assert check_upload(upload("edge.png", png_of_zeros(1000, 1000))).size > 0
    assert refusal("over.png", png_of_zeros(1001, 1000)).startswith(
        "The selected image must be 1 megapixels or less and no more than 2,000 pixels wide or high"
    )
    assert refusal("long.png", png_of_zeros(2001, 10)).startswith("The selected image must be 1 megapixels")


# --- Photos people really take are kept ------------------------------------------------------


def test_a_12_megapixel_phone_photo_is_accepted_whole() -> None:
    photo = Image.linear_gradient("L").resize((4032, 3024)).convert("RGB")
    checked = check_upload(upload("IMG_0001.JPG", jpeg(photo, quality=90, exif=exif_with_location())))
    assert checked.content_type == "image/jpeg"
    assert checked.content.name == "upload.jpg"
    assert opened(checked.content.read()).size == (4032, 3024)


def test_a_jpeg_above_the_full_size_budget_is_decoded_at_a_smaller_scale(monkeypatch: pytest.MonkeyPatch) -> None:
    # In the real limits a 48 or 50 MP photo comes out at 12 MP; here the budget is scaled down.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", Image.MAX_IMAGE_PIXELS)
    monkeypatch.setattr(files, "JPEG_FULL_SIZE_PIXELS", 100 * 100)
    stored = clean_image(jpeg(Image.new("RGB", (400, 300), "green")), "image/jpeg", Limits.from_settings())
    assert opened(stored).size == (100, 75)


def test_a_sideways_photo_is_turned_upright_before_its_exif_goes() -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # the phone was held on its side: turn 90° clockwise to view
    stored = check_upload(upload("side.jpg", jpeg(Image.new("RGB", (40, 20), "blue"), exif=exif))).content.read()
    assert opened(stored).size == (20, 40)
    assert not opened(stored).getexif()


# --- No metadata survives --------------------------------------------------------------------


def test_jpeg_comments_xmp_icc_exif_and_location_do_not_survive() -> None:
    original = jpeg(
        Image.new("RGB", (64, 48), "red"),
        exif=exif_with_location(),
        comment=SECRET,
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">' + SECRET + b"</x:xmpmeta>",
        icc_profile=b"\x00" * 128 + SECRET,  # text carried inside a colour profile
    )
    assert original.count(SECRET) == 5  # make, artist, comment, XMP, profile: the test can see them
    before = opened(original)
    assert before.info["comment"] == SECRET and before.getexif().get_ifd(ExifTags.IFD.GPSInfo)

    stored = check_upload(upload("damp.jpeg", original)).content.read()
    assert SECRET not in stored
    after = opened(stored)
    assert not ({"comment", "xmp", "icc_profile", "exif"} & after.info.keys())
    assert not after.getexif() and not after.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert after.getpixel((10, 10))[0] > 200  # still a red picture


def test_png_text_chunks_icc_and_exif_do_not_survive() -> None:
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", SECRET.decode())  # tEXt
    text.add_text("Comment", SECRET.decode() * 20, zip=True)  # zTXt
    text.add_itxt("Description", SECRET.decode(), lang="en")  # iTXt
    text.add_itxt("XML:com.adobe.xmp", SECRET.decode())
    buffer = io.BytesIO()
    image = Image.new("RGBA", (32, 32), (0, 128, 0, 100))
    image.save(buffer, format="PNG", pnginfo=text, exif=exif_with_location(), icc_profile=b"\x00" * 128 + SECRET)
    original = buffer.getvalue()
    assert SECRET in original and {"Author", "Comment", "Description"} <= opened(original).info.keys()

    stored = check_upload(upload("screenshot.png", original)).content.read()
    assert SECRET not in stored
    assert not any(kind in stored for kind in (b"tEXt", b"zTXt", b"iTXt", b"iCCP", b"eXIf"))
    after = opened(stored)
    assert set(after.info) <= {"transparency"} and not after.getexif()
    assert after.mode == "RGBA" and after.getpixel((1, 1)) == (0, 128, 0, 100)


def test_a_palette_png_keeps_its_transparency() -> None:
    image = Image.new("P", (8, 8), 1)
    image.putpalette([255, 255, 255, 200, 0, 0])
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", transparency=0)
    stored = check_upload(upload("logo.png", buffer.getvalue())).content.read()
    assert opened(stored).info.get("transparency") == 0


# --- PDFs ------------------------------------------------------------------------------------


def pdf_with_metadata(text: str) -> bytes:
    """A letter with its author, title and program in /Info, and XMP on the catalogue, a page and an image."""
    buffer = io.BytesIO()
    letter = canvas.Canvas(buffer)
    letter.setPageCompression(0)
    letter.setAuthor("Alice Ashton SECRETMETADATA")
    letter.setTitle("Arrears SECRETMETADATA")
    letter.setCreator("Word SECRETMETADATA")
    letter.setSubject("SECRETMETADATA")
    letter.drawString(72, 720, text)
    letter.showPage()
    letter.drawString(72, 720, "Page two")
    letter.showPage()
    letter.save()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">' + SECRET + b"</x:xmpmeta>"
    with pikepdf.open(io.BytesIO(buffer.getvalue())) as pdf:
        pdf.Root.Metadata = pdf.make_stream(xmp, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
        pdf.pages[0].Metadata = pdf.make_stream(xmp)
        pdf.pages[1].PieceInfo = pikepdf.Dictionary(Word=pikepdf.Dictionary(Private=pikepdf.String(SECRET)))
        image = pdf.make_stream(b"\x00" * 4, Width=2, Height=2, ColorSpace=pikepdf.Name.DeviceGray, BitsPerComponent=8)
        image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        image.Metadata = pdf.make_stream(xmp)
        pdf.pages[1].Resources.XObject = pikepdf.Dictionary(Im1=image)
        output = io.BytesIO()
        pdf.save(output, compress_streams=False, fix_metadata_version=False)
        return output.getvalue()


def test_pdf_document_information_and_xmp_are_removed_and_the_text_kept() -> None:
    original = pdf_with_metadata("Your rent account is in arrears")
    assert original.count(SECRET) == 8  # four in /Info, three XMP, one PieceInfo
    checked = check_upload(upload("Alice Ashton arrears.pdf", original))
    assert checked.content.name == "upload.pdf" and checked.content_type == "application/pdf"
    stored = checked.content.read()
    assert SECRET not in stored and b"ReportLab" not in stored
    assert b"Your rent account is in arrears" in stored and b"Page two" in stored
    with pikepdf.open(io.BytesIO(stored)) as pdf:
        assert "/Info" not in pdf.trailer and "/Metadata" not in pdf.Root
        assert all("/Metadata" not in page and "/PieceInfo" not in page for page in pdf.pages)
        assert "/Metadata" not in pdf.pages[1].Resources.XObject.Im1
        assert len(pdf.pages) == 2
    with pikepdf.open(io.BytesIO(original)) as before, pikepdf.open(io.BytesIO(stored)) as after:
        assert before.trailer.ID[0] != after.trailer.ID[0]  # nothing ties the copy to the author's file


def test_metadata_in_an_earlier_revision_of_the_pdf_is_gone_too() -> None:
    # An incremental update replaces /Info but leaves the earlier one in the file, unreferenced.
    buffer = io.BytesIO()
    letter = canvas.Canvas(buffer)
    letter.setPageCompression(0)
    letter.setAuthor("Alice Ashton SECRETMETADATA")
    letter.drawString(72, 720, "First draft")
    letter.showPage()
    letter.save()
    first = buffer.getvalue()
    previous_xref = int(first.rsplit(b"startxref", 1)[1].split()[0])
    info_at = len(first)
    update = b"9 0 obj\n<< /Author (Housing team) >>\nendobj\n"
    xref_at = info_at + len(update)
    update += b"xref\n0 1\n0000000000 65535 f \n9 1\n%010d 00000 n \n" % info_at
    update += b"trailer\n<< /Size 10 /Root 4 0 R /Info 9 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        previous_xref,
        xref_at,
    )
    original = first + update
    with pikepdf.open(io.BytesIO(original)) as pdf:
        assert str(pdf.docinfo.Author) == "Housing team"  # what a viewer shows; the secret is in the old revision
    assert SECRET in original

    stored = check_upload(upload("letter.pdf", original)).content.read()
    assert SECRET not in stored and b"Housing team" not in stored and b"First draft" in stored


def test_sample_pdfs_keep_their_canary_marker_findable() -> None:
    marker = marker_new()
    stored = check_upload(upload("letter.pdf", pdf_bytes(f"Letter for the household {marker}"))).content.read()
    assert markers_in(stored) == {marker}


def test_a_pdf_with_a_password_to_open_it_is_refused() -> None:
    with pikepdf.open(io.BytesIO(pdf_bytes("private"))) as pdf:
        output = io.BytesIO()
        pdf.save(output, encryption=pikepdf.Encryption(user="open sesame", owner="owner"))
    assert refusal("locked.pdf", output.getvalue()) == "The selected file is password protected"


def test_a_pdf_with_only_an_owner_password_is_stored_unencrypted_and_clean() -> None:
    with pikepdf.open(io.BytesIO(pdf_with_metadata("Restricted letter"))) as pdf:
        output = io.BytesIO()
        restrictions = pikepdf.Permissions(print_lowres=False)
        encryption = pikepdf.Encryption(user="", owner="owner", allow=restrictions)
        pdf.save(output, encryption=encryption, compress_streams=False, fix_metadata_version=False)
    assert b"Restricted letter" not in output.getvalue()  # encrypted: the canary guard could not read it
    stored = check_upload(upload("restricted.pdf", output.getvalue())).content.read()
    assert b"Restricted letter" in stored and SECRET not in stored
    with pikepdf.open(io.BytesIO(stored)) as pdf:
        assert not pdf.is_encrypted and "/Info" not in pdf.trailer


def deeply_nested_pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R /Deep "
        + b"[" * 100_000
        + b"]" * 100_000
        + b" >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def pdf_without_pages() -> bytes:
    with pikepdf.new() as pdf:
        output = io.BytesIO()
        pdf.save(output)
        return output.getvalue()


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.7\nnot really a PDF\n", pdf_bytes("cut short")[:300], deeply_nested_pdf(), pdf_without_pages()],
    ids=["garbage after the header", "cut short", "nested 100,000 deep", "no pages"],
)
def test_broken_pdfs_are_refused_as_not_a_pdf(content: bytes) -> None:
    assert refusal("letter.pdf", content) == WRONG_TYPE


def pdf_whose_object_stream_expands(megabytes: int) -> bytes:
    """The page tree sits in a compressed object stream padded with `megabytes` MB of spaces.

    Every other stream is copied without being decoded, but an object stream must be inflated to
    be read: this is how a small PDF makes a parser hold a lot of memory."""
    pages, header = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", b"2 0 "
    padding = b" " * (1024 * 1024)
    squeeze = zlib.compressobj(9)
    stream = squeeze.compress(header + pages) + squeeze.flush(zlib.Z_FULL_FLUSH)
    checksum = zlib.adler32(header + pages)
    unit = squeeze.compress(padding) + squeeze.flush(zlib.Z_FULL_FLUSH)
    for _ in range(megabytes):
        checksum = zlib.adler32(padding, checksum)
    stream += unit * megabytes + b"\x03\x00" + struct.pack(">I", checksum)
    out, offsets = bytearray(b"%PDF-1.5\n"), {}
    objects = [
        (1, b"<< /Type /Catalog /Pages 2 0 R >>"),
        (3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"),
        (4, b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(stream) + stream),
    ]
    for number, body in objects:
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + (b"\nendstream" if b"stream\n" in body else b"") + b"\nendobj\n"
    xref_at = len(out)
    entries = [(0, 0, 65535), (1, offsets[1], 0), (2, 4, 0), (1, offsets[3], 0), (1, offsets[4], 0), (1, xref_at, 0)]
    rows = b"".join(struct.pack(">BIH", *entry) for entry in entries)
    out += b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(rows)
    out += rows + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def test_a_pdf_is_read_within_the_memory_limit(settings: Any) -> None:
    assert check_upload(upload("small.pdf", pdf_whose_object_stream_expands(1))).size > 0  # the shape is valid
    settings.MAX_IMAGE_MEGAPIXELS = 1  # the checker may use about 110 MB
    assert Limits.from_settings().memory_bytes < 120 * 1024 * 1024
    assert refusal("bomb.pdf", pdf_whose_object_stream_expands(300)) == WRONG_TYPE


# --- The stored name and a checker that cannot run -------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "stored_name"),
    [
        ("Alice Ashton arrears 2026.pdf", pdf_bytes("x"), "upload.pdf"),
        ("../../etc/passwd.PNG", png_of_zeros(4, 4), "upload.png"),
        ("photo of flat 3.JPEG", jpeg(Image.new("RGB", (4, 4))), "upload.jpg"),
    ],
)
def test_the_stored_name_owes_nothing_to_the_uploaders_name(name: str, content: bytes, stored_name: str) -> None:
    assert check_upload(upload(name, content)).content.name == stored_name


def test_a_checker_that_cannot_start_asks_for_another_try(monkeypatch: pytest.MonkeyPatch, caplog: Any) -> None:
    monkeypatch.setattr(files.sys, "executable", "/nonexistent/python")
    not_uploaded = "The selected file could not be uploaded – try again"  # noqa: RUF001
    assert refusal("letter.pdf", pdf_bytes("x")) == not_uploaded
    assert "Could not start the upload checker" in caplog.text


@pytest.mark.parametrize("stopped_by", [signal.SIGXCPU, signal.SIGXFSZ, signal.SIGKILL], ids=["cpu", "output", "kill"])
def test_a_checker_stopped_at_a_limit_refuses_the_file(stopped_by: signal.Signals) -> None:
    assert files._refusal(-stopped_by, "image/png", "").messages == [TOO_BIG_IMAGE]
    assert files._refusal(-stopped_by, "application/pdf", "").messages == [WRONG_TYPE]


def test_the_names_of_people_who_commented_on_a_pdf_are_removed_but_form_field_names_stay() -> None:
    buffer = io.BytesIO()
    letter = canvas.Canvas(buffer)
    letter.setPageCompression(0)
    letter.drawString(72, 720, "Please sign and return")
    letter.showPage()
    letter.save()
    with pikepdf.open(io.BytesIO(buffer.getvalue())) as pdf:
        comment = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Text,
                Rect=[72, 700, 92, 720],
                T=pikepdf.String("Alice Ashton SECRETMETADATA"),
                Contents=pikepdf.String("Checked the arrears figure"),
            )
        )
        field = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Widget,
                FT=pikepdf.Name.Tx,
                Rect=[72, 600, 272, 620],
                T=pikepdf.String("signature_date"),
            )
        )
        pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([comment, field]))
        pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([field]))
        output = io.BytesIO()
        pdf.save(output, compress_streams=False)
    original = output.getvalue()
    assert SECRET in original
    stored = check_upload(upload("letter.pdf", original)).content.read()
    assert SECRET not in stored
    assert b"signature_date" in stored and b"Please sign and return" in stored
