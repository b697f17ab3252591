"""Recordings are known by their structure, never their name: real encoders' files are taken and
copied without their place, title and date; forged, cut-short and malformed ones are refused;
and a large file is read a header and a block at a time, never whole."""

from __future__ import annotations

import io
import struct
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from porch.core import media
from porch.core.media import NotMedia

RECORDINGS = Path(__file__).parent / "recordings"
# What the files were tagged with (recordings/README.md): none of it may reach the copy.
TAGS = (b"SECRET", b"+51.5074", b"2024-05-01")


def sniffed(data: bytes) -> media.Media:
    return media.sniff(io.BytesIO(data), len(data))


def copy_of(data: bytes) -> tuple[media.Media, bytes]:
    found = sniffed(data)
    out = io.BytesIO()
    size = media.clean(io.BytesIO(data), found, out)
    copy = out.getvalue()
    assert len(copy) == size
    return found, copy


@pytest.mark.parametrize(
    ("name", "content_type", "extension", "is_video"),
    [
        ("phone.mp4", "video/mp4", ".mp4", True),
        ("phone.mov", "video/quicktime", ".mov", True),
        ("phone.3gp", "video/3gpp", ".3gp", True),
        ("voice.m4a", "audio/mp4", ".m4a", False),
        ("voice.wav", "audio/wav", ".wav", False),
        ("voice.mp3", "audio/mpeg", ".mp3", False),
        ("voice.ogg", "audio/ogg", ".ogg", False),
        ("browser.webm", "video/webm", ".webm", True),
    ],
)
def test_a_real_recording_is_known_by_its_structure(
    name: str, content_type: str, extension: str, is_video: bool
) -> None:
    found = sniffed((RECORDINGS / name).read_bytes())
    assert (found.content_type, found.extension, found.is_video) == (content_type, extension, is_video)


@pytest.mark.parametrize(
    "name", ["phone.mp4", "phone.mov", "phone.3gp", "voice.m4a", "voice.wav", "voice.mp3", "voice.ogg", "browser.webm"]
)
def test_the_copy_keeps_no_place_title_or_date(name: str) -> None:
    data = (RECORDINGS / name).read_bytes()
    assert any(tag in data for tag in TAGS)  # the test would prove nothing otherwise
    _, copy = copy_of(data)
    assert not [tag for tag in TAGS if tag in copy]


def test_an_mp4_copy_keeps_every_offset_and_plays_as_before() -> None:
    """Metadata boxes are renamed free and zeroed in place: same length, same boxes, same media data."""
    data = (RECORDINGS / "phone.mp4").read_bytes()
    _, copy = copy_of(data)
    assert len(copy) == len(data) and copy[4:8] == b"ftyp"
    assert b"udta" in data and b"udta" not in copy
    mdat = data.index(b"mdat")
    size = struct.unpack(">I", data[mdat - 4 : mdat])[0]
    assert copy[mdat - 4 : mdat - 4 + size] == data[mdat - 4 : mdat - 4 + size]
    assert sniffed(copy).content_type == "video/mp4"  # the copy is still a recording we take


def test_an_mp3_copy_starts_at_its_first_frame() -> None:
    data = (RECORDINGS / "voice.mp3").read_bytes()
    assert data.startswith(b"ID3")
    _, copy = copy_of(data)
    assert copy[0] == 0xFF and copy[1] & 0xE0 == 0xE0


def test_an_ogg_copy_has_blank_comments_and_right_checksums() -> None:
    """The comment packet is written over in place: every page keeps its length, and the pages
    it spans have their checksums made again (a player refuses a page whose checksum is wrong)."""
    data = (RECORDINGS / "voice.ogg").read_bytes()
    _, copy = copy_of(data)
    assert len(copy) == len(data) and b"OpusTags" in copy and b"SECRETTITLE" not in copy
    offset = 0
    while offset < len(copy):
        segments = copy[offset + 26]
        length = 27 + segments + sum(copy[offset + 27 : offset + 27 + segments])
        page = copy[offset : offset + length]
        assert struct.unpack("<I", page[22:26])[0] == media._ogg_crc(page[:22] + bytes(4) + page[26:])
        offset += length


def _ogg_page(sequence: int, table: list[int], body: bytes, *, flags: int = 0) -> bytes:
    header = b"OggS" + bytes([0, flags]) + struct.pack("<qIII", 0, 1, sequence, 0)
    page = bytearray(header + bytes([len(table), *table]) + body)
    page[22:26] = struct.pack("<I", media._ogg_crc(bytes(page)))
    return bytes(page)


def _ogg_comments_in_pages(pages: int) -> bytes:
    """An Opus stream whose comment packet (a title in it) is cut into one 255-byte segment a page,
    as many pages as the ceiling on pieces of metadata lets through."""
    head = b"OpusHead" + bytes([1, 1]) + struct.pack("<HIhB", 0, 48000, 0, 0)
    comment = b"OpusTags" + struct.pack("<I", 4) + b"ENCR" + struct.pack("<I", 1) + struct.pack("<I", 17)
    comment += b"TITLE=SECRETTITLE"
    comment += b"\x00" * (255 * pages - len(comment))
    built = [_ogg_page(0, [len(head)], head, flags=2)]
    built += [_ogg_page(1 + n, [255], comment[n * 255 : (n + 1) * 255]) for n in range(pages)]
    return b"".join([*built, _ogg_page(1 + pages, [10], bytes(10))])


def test_a_comment_packet_over_thousands_of_pages_is_blanked_in_one_pass() -> None:
    """Each page the comment packet spans is written over and its checksum made again, pages and
    segments taken together in file order: the work follows the file's size (about what its
    checksums cost), not pages times segments, which for a file built this way took seconds."""
    import time

    data = _ogg_comments_in_pages(4990)  # with its segments, just under MAX_PATCHES
    started = time.process_time()
    _, copy = copy_of(data)
    took = time.process_time() - started
    started = time.process_time()
    media._ogg_crc(data)  # the checksums alone: the least any rewrite of these pages costs
    checksums = time.process_time() - started
    assert b"SECRETTITLE" not in copy and len(copy) == len(data)
    offset = 0
    while offset < len(copy):
        length = 27 + copy[offset + 26] + sum(copy[offset + 27 : offset + 27 + copy[offset + 26]])
        page = copy[offset : offset + length]
        assert struct.unpack("<I", page[22:26])[0] == media._ogg_crc(page[:22] + bytes(4) + page[26:])
        offset += length
    assert took < 4 * checksums  # was about 8 times


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), "red").save(out, format="JPEG")
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(_jpeg(), id="a JPEG renamed .mp4"),
        pytest.param(b"Just some notes about the noise last night.\n" * 20, id="a text file"),
        pytest.param(b"<!DOCTYPE html><html><script>alert(1)</script></html>" * 10, id="an HTML page named .mp4"),
        pytest.param(b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic" + bytes(64), id="a HEIC photo"),
        pytest.param(b"%PDF-1.7\n" + bytes(100), id="a PDF"),
        pytest.param(b"PK\x03\x04" + bytes(100), id="a zip file"),
    ],
)
def test_a_file_that_is_not_a_recording_is_refused(data: bytes) -> None:
    with pytest.raises(NotMedia):
        sniffed(data)


def test_a_recording_cut_short_is_refused() -> None:
    data = (RECORDINGS / "phone.mp4").read_bytes()
    with pytest.raises(NotMedia):
        sniffed(data[: len(data) // 2])  # the last box runs past the end
    with pytest.raises(NotMedia):
        sniffed((RECORDINGS / "browser.webm").read_bytes()[:2000])


def box(kind: bytes, body: bytes = b"") -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


def movie(*tracks: bytes, brand: bytes = b"isom") -> bytes:
    """A minimal MP4: ftyp, a moov with a track of each handler type, and media data."""
    traks = b"".join(box(b"trak", box(b"mdia", box(b"hdlr", bytes(8) + handler + bytes(12)))) for handler in tracks)
    return (
        box(b"ftyp", brand + bytes(4) + brand)
        + box(b"moov", box(b"mvhd", bytes(100)) + traks)
        + box(b"mdat", bytes(64))
    )


def test_the_boxes_of_an_mp4_must_hold_together() -> None:
    assert sniffed(movie(b"vide", b"soun")).is_video
    assert sniffed(movie(b"soun")).content_type == "audio/mp4"
    with pytest.raises(NotMedia, match="no brand"):
        sniffed(movie(b"vide", brand=b"heic"))
    with pytest.raises(NotMedia, match="no sound or picture"):
        sniffed(movie(b"text"))
    with pytest.raises(NotMedia, match="moov"):
        sniffed(box(b"ftyp", b"isom" + bytes(4) + b"isom") + box(b"mdat", bytes(64)))
    with pytest.raises(NotMedia, match="not a recording"):  # ftyp must come first
        sniffed(box(b"free", bytes(8)) + movie(b"vide")[: -len(box(b"free", bytes(8)))])
    lying = bytearray(movie(b"vide"))
    moov = lying.index(b"moov") - 4
    lying[moov : moov + 4] = struct.pack(">I", len(lying))  # a box that claims more than the file holds
    with pytest.raises(NotMedia, match="runs past"):
        sniffed(bytes(lying))


def test_boxes_nested_without_end_are_refused() -> None:
    nested = box(b"hdlr", bytes(8) + b"vide" + bytes(12))
    for _ in range(20):
        nested = box(b"trak", nested)
    with pytest.raises(NotMedia, match="too deep"):
        sniffed(box(b"ftyp", b"isom" + bytes(4) + b"isom") + box(b"moov", nested))


def test_a_file_built_to_be_slow_stops_at_the_ceiling(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(media, "MAX_STEPS", 1000)
    many = box(b"ftyp", b"isom" + bytes(4) + b"isom") + box(b"free") * 5000 + movie(b"vide")[24:]
    with pytest.raises(NotMedia, match="too many steps"):
        sniffed(many)


def test_the_other_containers_are_checked_too() -> None:
    wav = (RECORDINGS / "voice.wav").read_bytes()
    with pytest.raises(NotMedia):
        sniffed(wav[:4] + struct.pack("<I", len(wav) * 2) + wav[8:])  # a RIFF size past the end
    ogg = bytearray((RECORDINGS / "voice.ogg").read_bytes())
    ogg[30] ^= 0xFF  # the first page no longer matches its checksum
    with pytest.raises(NotMedia, match="checksum"):
        sniffed(bytes(ogg))
    webm = (RECORDINGS / "browser.webm").read_bytes()
    with pytest.raises(NotMedia, match="doctype"):
        sniffed(webm.replace(b"webm", b"html", 1))
    mp3 = (RECORDINGS / "voice.mp3").read_bytes()
    start = mp3.index(b"\xff\xf3") if b"\xff\xf3" in mp3 else mp3.index(b"\xff\xe3")
    with pytest.raises(NotMedia):
        sniffed(mp3[: start + 4] + b"<html>" * 20_000)  # one frame header, then a web page


def test_an_amr_voice_note_is_known_frame_by_frame() -> None:
    frame = bytes([7 << 3]) + bytes(31)  # 12.2 kbit/s: a table of contents byte and 31 bytes
    assert sniffed(b"#!AMR\n" + frame * 50).content_type == "audio/amr"
    with pytest.raises(NotMedia):
        sniffed(b"#!AMR\n" + frame + bytes([0xFF]) * 400)  # padding bits set: not a frame


class CountingStream(io.BytesIO):
    largest = 0

    def read(self, size: int | None = -1, /) -> bytes:
        data = super().read(size)
        self.largest = max(self.largest, len(data))
        return data


def test_a_large_recording_is_read_a_block_at_a_time() -> None:
    data = movie(b"vide")[:-72] + struct.pack(">I", 8 + 5 * media.COPY_BLOCK) + b"mdat" + bytes(5 * media.COPY_BLOCK)
    stream = CountingStream(data)
    found = media.sniff(stream, len(data))
    assert stream.largest < 4096  # headers only
    media.clean(stream, found, io.BytesIO())
    assert stream.largest == media.COPY_BLOCK


def test_a_page_that_declares_no_cap_takes_no_file_larger_than_a_photo(settings: Any) -> None:
    """An upload is read when the form is, perhaps before anyone checked who is asking: on a page
    that declares nothing, no stranger's file grows on the disk past MAX_UPLOAD_MEGABYTES."""
    from types import SimpleNamespace

    from porch.core.upload_handlers import CappedUploadHandler, TooBig

    settings.MAX_UPLOAD_MEGABYTES = 1
    request = SimpleNamespace(resolver_match=None)
    handler = CappedUploadHandler(request)  # type: ignore[arg-type]
    handler.new_file("file", "big.bin", "application/octet-stream", None)
    chunk = bytes(512 * 1024)
    passed = [handler.receive_data_chunk(chunk, start) for start in range(0, 3 * len(chunk), len(chunk))]
    assert passed[:2] == [chunk, chunk] and passed[2] is None
    complete = handler.file_complete(3 * len(chunk))
    assert isinstance(complete, TooBig) and complete.size == 3 * len(chunk)
