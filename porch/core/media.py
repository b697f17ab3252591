"""Sound and video recordings, checked by what their bytes are (ADR 0030): never by the file's
name or the type the browser sent. And a copy of each without the metadata we can take out
safely.

What a file is comes from its structure, walked from start to end: an MP4, MOV, M4A or 3GP
file's boxes (a valid `ftyp` first with a brand we know, every box inside its parent, one
`moov` with a sound or picture track); a WAV file's RIFF chunks (a `fmt ` we know, then
`data`); an MP3's frames (each header valid and leading to the next, after any ID3 tag); Ogg
pages (each `OggS` with its lengths adding up, the first a sound stream we know, its checksum
right); WebM and Matroska's EBML elements (the header's doctype, then the segment, its tracks
and clusters); AMR frames. A file that does not hold together is refused, whatever it is called.

Only headers are read (box, chunk, page, element and frame headers), never a sample of sound
or picture, with a ceiling on steps and nesting, so a hostile file costs a bounded walk with
the standard library's `struct`: no decoder, no decompression, no C parser. That is why,
unlike images and PDFs (porch.core.uploads), recordings need no confined child process. The
file is read through a seekable stream (Django's temporary file for a large upload), a header
at a time, never whole into memory.

What the copy leaves out (clean): in MP4, MOV, M4A and 3GP, the user data, metadata and
vendors' boxes (`udta`, `meta`, `uuid`: where phones keep the place a video was filmed, the
phone's make and model, and XMP) are blanked in place (renamed `free` and zeroed, so no offset
moves and the file plays as before), and the dates in the movie, track and media headers are
zeroed; in WAV, every chunk but `fmt `, `fact` and `data` (LIST INFO, bext, iXML, XMP) becomes
zeroed `JUNK`; in MP3, ID3 tags are dropped; in Ogg (Opus, Vorbis, Speex), the comment packet
is written over with one of the same length that holds none, and its pages' checksums made
again; in WebM and Matroska, tags, attachments and the title become Void and the date of the
recording is zeroed. Anything after the end of the structure is dropped. Not removed: timed
metadata tracks inside MP4 and MOV (the GPS tracks of action cameras and dash cameras), whose
samples lie among the sound and pictures, and the comments of FLAC in Ogg, which phones do not
make.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO

# Most steps (boxes, chunks, pages, elements, frames) one file may take to walk: a real 50 MB
# recording takes tens of thousands, an MP3 of the lowest bitrate under 750,000, five hours of
# AMR voice note (50 frames a second) a million. A file built to be slow is refused at the
# ceiling, after about a second and a half of the worker's time.
MAX_STEPS = 1_000_000
# Deepest nesting of boxes or elements we follow: the ones we need are four levels down.
MAX_DEPTH = 8
# Most pieces of metadata one file may have us blank: real files have a handful.
MAX_PATCHES = 10_000
# A recording that stopped may end in a frame or page cut short, or a tag: so much after the
# last whole frame or page is dropped rather than refused.
MAX_TAIL = 64 * 1024
COPY_BLOCK = 1024 * 1024


class NotMedia(Exception):
    """The bytes are not a recording we take; the words say why (for logs and tests, never shown)."""


@dataclass(frozen=True)
class Media:
    """What a recording is, and the plan for its clean copy: the bytes of the upload to keep
    (start, end), then, at offsets of the upload within them, what to write over and what to
    zero."""

    content_type: str
    extension: str
    is_video: bool
    keep: tuple[int, int]
    patches: tuple[tuple[int, bytes], ...] = ()
    zeroed: tuple[tuple[int, int], ...] = ()

    @property
    def label(self) -> str:
        return "video" if self.is_video else "sound recording"


def sniff(stream: IO[bytes], size: int) -> Media:
    """What the recording is, and what a clean copy of it keeps; NotMedia if the bytes are
    not one of the recordings we take."""
    if size < 12:
        raise NotMedia("too short to be a recording")
    head = _read_at(stream, 0, 64)
    for matches, walk in _FORMATS:
        if matches(head):
            return walk(_Reader(stream, size))
    raise NotMedia("not a recording we know")


def clean(stream: IO[bytes], media: Media, out: IO[bytes]) -> int:
    """Write the clean copy to `out` (seekable, empty), left at its start; return its size."""
    start, end = media.keep
    stream.seek(start)
    left = end - start
    while left:
        block = stream.read(min(COPY_BLOCK, left))
        if not block:
            raise NotMedia("the file ended while it was copied")
        out.write(block)
        left -= len(block)
    for offset, data in media.patches:
        out.seek(offset - start)
        out.write(data)
    for zero_start, zero_end in media.zeroed:
        out.seek(zero_start - start)
        for offset in range(zero_start, zero_end, COPY_BLOCK):
            out.write(bytes(min(COPY_BLOCK, zero_end - offset)))
    out.seek(0)
    return end - start


# --- Reading ----------------------------------------------------------------------------------


def _read_at(stream: IO[bytes], offset: int, length: int) -> bytes:
    stream.seek(offset)
    return stream.read(length)


class _Reader:
    """Random access to the upload, each read a step counted against MAX_STEPS."""

    def __init__(self, stream: IO[bytes], size: int) -> None:
        self.stream, self.size, self.steps = stream, size, 0

    def step(self, count: int = 1) -> None:
        self.steps += count
        if self.steps > MAX_STEPS:
            raise NotMedia("too many steps")

    def at(self, offset: int, length: int) -> bytes:
        """Exactly `length` bytes from `offset`, or NotMedia: the file ends too soon."""
        self.step()
        data = _read_at(self.stream, offset, length) if offset + length <= self.size else b""
        if len(data) != length:
            raise NotMedia(f"cut short at {offset}")
        return data

    def upto(self, offset: int, length: int) -> bytes:
        """Up to `length` bytes from `offset` (fewer at the end of the file)."""
        return self.at(offset, max(0, min(length, self.size - offset)))


@dataclass
class _Plan:
    """What the walk found to take out of the copy."""

    patches: list[tuple[int, bytes]] = field(default_factory=list)
    zeroed: list[tuple[int, int]] = field(default_factory=list)

    def write(self, offset: int, data: bytes) -> None:
        self.patches.append((offset, data))
        self._count()

    def zero(self, start: int, end: int) -> None:
        if end > start:
            self.zeroed.append((start, end))
            self._count()

    def _count(self) -> None:
        if len(self.patches) + len(self.zeroed) > MAX_PATCHES:
            raise NotMedia("too much metadata")

    def media(self, content_type: str, extension: str, is_video: bool, keep: tuple[int, int]) -> Media:
        return Media(content_type, extension, is_video, keep, tuple(self.patches), tuple(self.zeroed))


def _frames(
    reader: _Reader, start: int, header_length: int, frame_length: Callable[[bytes], int | None]
) -> tuple[int, int]:
    """Walk frames from `start`, a block at a time, while each header is valid and its frame
    whole: (where the last whole frame ends, how many frames)."""
    offset, frames = start, 0
    while offset < reader.size:
        block = reader.upto(offset, COPY_BLOCK)
        position, stopped, count = 0, False, 0
        while position + header_length <= len(block):
            length = frame_length(block[position : position + header_length])
            if length is None:
                stopped = True
                break
            if position + length > len(block):
                break
            position, count = position + length, count + 1
        reader.step(count)
        frames += count
        offset += position
        at_the_end = offset + (len(block) - position) >= reader.size
        if stopped or position == 0 or at_the_end:
            break
    return offset, frames


# --- MP4, MOV, M4A, 3GP (ISO base media file format and QuickTime) -----------------------------

# Brands of the ftyp box that recordings from phones and cameras carry (a HEIC or AVIF photo's
# brands are not among them).
# fmt: off
ISO_BRANDS = frozenset({
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"mp71", b"avc1", b"hvc1",
    b"M4A ", b"M4B ", b"M4V ", b"M4VH", b"M4VP", b"qt  ", b"3gp4", b"3gp5", b"3gp6", b"3gp7", b"3gp8",
    b"3gp9", b"3gr6", b"3gs6", b"3gs7", b"3ge6", b"3ge7", b"3gg6", b"3g2a", b"3g2b", b"3g2c", b"mmp4",
    b"MSNV", b"dash", b"XAVC", b"f4v ", b"f4a ", b"kddi", b"cmfc", b"cmf2",
})
# fmt: on
# Boxes whose children we walk, down to each track's handler (what the track is).
ISO_CONTAINERS = frozenset({b"moov", b"trak", b"mdia", b"edts"})
# Metadata we blank wherever we meet it: user data, metadata, vendors' boxes (XMP among them).
ISO_METADATA = frozenset({b"udta", b"meta", b"uuid", b"XMP_"})
# Headers that carry the moment of filming: their dates are zeroed.
ISO_DATED = frozenset({b"mvhd", b"tkhd", b"mdhd"})
# Filler, whose contents are zeroed too: an editor may "remove" metadata by renaming its box.
ISO_FILLER = frozenset({b"free", b"skip", b"wide"})
# Most boxes side by side in one parent: a phone's file has a handful at the top, a long
# fragmented recording a few thousand.
ISO_MAX_BOXES = 100_000


def _is_iso(head: bytes) -> bool:
    return head[4:8] == b"ftyp"


def _walk_iso(reader: _Reader) -> Media:
    plan, tracks, movies = _Plan(), set[bytes](), 0
    boxes = _iso_boxes(reader, 0, reader.size)
    _, start, end, header = next(boxes)  # the ftyp box (_is_iso): a file must say what it is first
    brands = _iso_brands(reader, start + header, end)
    if not brands & ISO_BRANDS:
        raise NotMedia("no brand we know")
    for kind, start, end, header in boxes:
        if kind == b"moov":
            movies += 1
            _iso_walk_container(reader, start + header, end, plan, tracks, depth=1)
        elif kind in ISO_METADATA or kind in ISO_FILLER:
            _iso_blank(plan, kind, start, end, header)
    if movies != 1:
        raise NotMedia("not exactly one moov box")
    if not tracks & {b"vide", b"soun"}:
        raise NotMedia("no sound or picture track")
    is_video = b"vide" in tracks
    content_type, extension = _iso_type(brands, is_video)
    return plan.media(content_type, extension, is_video, (0, reader.size))


def _iso_boxes(reader: _Reader, start: int, end: int) -> Iterator[tuple[bytes, int, int, int]]:
    """(type, start, end, header length) of each box between start and end, which they must
    fill exactly: a box that runs past its parent, or a gap too small for a box, is refused."""
    offset, count = start, 0
    while offset < end:
        count += 1
        if end - offset < 8 or count > ISO_MAX_BOXES:
            raise NotMedia(f"a box cut short at {offset}")
        size, kind = struct.unpack(">I4s", reader.at(offset, 8))
        header = 8
        if size == 1:
            (size,) = struct.unpack(">Q", reader.at(offset + 8, 8))
            header = 16
        elif size == 0:  # "to the end": the last box of the file
            size = end - offset
        if size < header or offset + size > end:
            raise NotMedia(f"the box at {offset} runs past its parent")
        if not all(32 <= byte < 127 or byte == 0xA9 for byte in kind):  # 0xA9: QuickTime's ©
            raise NotMedia(f"the box at {offset} has no type")
        yield kind, offset, offset + size, header
        offset += size


def _iso_brands(reader: _Reader, start: int, end: int) -> set[bytes]:
    """The major brand and the compatible brands (the minor version between them is skipped)."""
    length = end - start
    if length < 8 or length % 4 or length > 4096:
        raise NotMedia("the ftyp box is malformed")
    body = reader.at(start, length)
    return {body[0:4]} | {body[index : index + 4] for index in range(8, length, 4)}


def _iso_walk_container(reader: _Reader, start: int, end: int, plan: _Plan, tracks: set[bytes], *, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise NotMedia("boxes nested too deep")
    for kind, box_start, box_end, header in _iso_boxes(reader, start, end):
        body = box_start + header
        if kind in ISO_METADATA or kind in ISO_FILLER:
            _iso_blank(plan, kind, box_start, box_end, header)
        elif kind in ISO_CONTAINERS:
            _iso_walk_container(reader, body, box_end, plan, tracks, depth=depth + 1)
        elif kind == b"hdlr" and box_end - body >= 12:
            tracks.add(reader.at(body + 8, 4))  # after the version, flags and pre_defined
        elif kind in ISO_DATED:
            _iso_undate(reader, plan, body, box_end)


def _iso_blank(plan: _Plan, kind: bytes, start: int, end: int, header: int) -> None:
    """A metadata box becomes `free` and its contents zeros; its size stays, so no offset moves."""
    if kind not in ISO_FILLER:
        plan.write(start + header - 4, b"free")
    plan.zero(start + header, end)


def _iso_undate(reader: _Reader, plan: _Plan, body: int, end: int) -> None:
    """A movie, track or media header's creation and modification times: after the version and
    flags, two 4-byte times (version 0) or two 8-byte times (version 1)."""
    version = reader.at(body, 1)[0]
    length = 16 if version == 1 else 8
    if body + 4 + length > end:
        raise NotMedia("a header box cut short")
    plan.zero(body + 4, body + 4 + length)


def _iso_type(brands: set[bytes], is_video: bool) -> tuple[str, str]:
    if b"qt  " in brands:
        return "video/quicktime", ".mov"
    if any(brand.startswith(b"3g2") for brand in brands):
        return ("video/3gpp2" if is_video else "audio/3gpp2"), ".3g2"
    if any(brand.startswith(b"3g") for brand in brands):
        return ("video/3gpp" if is_video else "audio/3gpp"), ".3gp"
    return ("video/mp4", ".mp4") if is_video else ("audio/mp4", ".m4a")


# --- WAV (RIFF) --------------------------------------------------------------------------------

# PCM, IEEE float, A-law, mu-law, IMA ADPCM, GSM 6.10, MPEG layer III, extensible.
WAVE_FORMATS = frozenset({0x0001, 0x0003, 0x0006, 0x0007, 0x0011, 0x0031, 0x0055, 0xFFFE})
WAVE_KEPT_CHUNKS = frozenset({b"fmt ", b"fact", b"data"})


def _is_wav(head: bytes) -> bool:
    return head[0:4] == b"RIFF" and head[8:12] == b"WAVE"


def _walk_wav(reader: _Reader) -> Media:
    (riff_size,) = struct.unpack("<I", reader.at(4, 4))
    end = riff_size + 8
    if end > reader.size:
        raise NotMedia("the RIFF size is larger than the file")
    plan, seen, offset = _Plan(), set[bytes](), 12
    while offset < end:
        if end - offset < 8:
            raise NotMedia("a chunk header cut short")
        kind, length = struct.unpack("<4sI", reader.at(offset, 8))
        body_end = offset + 8 + length
        if body_end > end:
            raise NotMedia(f"the chunk at {offset} runs past the end")
        if kind == b"fmt ":
            _wav_check_format(reader, offset + 8, length)
        elif kind == b"data" and b"fmt " not in seen:
            raise NotMedia("sound data before its format")
        elif kind not in WAVE_KEPT_CHUNKS:
            plan.write(offset, b"JUNK")
            plan.zero(offset + 8, body_end)
        seen.add(kind)
        offset = min(body_end + (length & 1), end)  # a chunk is padded to an even length
    if b"data" not in seen:
        raise NotMedia("no sound data")
    return plan.media("audio/wav", ".wav", False, (0, end))


def _wav_check_format(reader: _Reader, start: int, length: int) -> None:
    if length < 16:
        raise NotMedia("the format chunk is too short")
    tag, channels, rate = struct.unpack("<HHI", reader.at(start, 8))
    if tag not in WAVE_FORMATS or not 1 <= channels <= 32 or not 1_000 <= rate <= 768_000:
        raise NotMedia("a sound format we do not know")


# --- MP3 (MPEG-1, 2 and 2.5 audio, layer III) --------------------------------------------------

MP3_BITRATES = {
    3: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),  # MPEG-1
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),  # MPEG-2
    0: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),  # MPEG-2.5
}
MP3_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
# Whole frames in a row, each leading to the next, before the bytes count as sound: a run of
# three valid headers at the right distances does not happen by chance.
MIN_FRAMES = 3


def _is_mp3(head: bytes) -> bool:
    return head[0:3] == b"ID3" or _mp3_frame_length(head[0:4]) is not None


def _mp3_frame_length(header: bytes) -> int | None:
    """The length of the layer III frame this header starts, or None if it starts none."""
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return None
    version, layer = (header[1] >> 3) & 3, (header[1] >> 1) & 3
    bitrate_index, rate_index, padding = header[2] >> 4, (header[2] >> 2) & 3, (header[2] >> 1) & 1
    if version == 1 or layer != 1 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    bitrate, rate = MP3_BITRATES[version][bitrate_index] * 1000, MP3_RATES[version][rate_index]
    return (144 if version == 3 else 72) * bitrate // rate + padding


def _walk_mp3(reader: _Reader) -> Media:
    start = _mp3_after_tags(reader)
    end, frames = _frames(reader, start, 4, _mp3_frame_length)
    if frames < MIN_FRAMES:
        raise NotMedia("fewer than three MPEG audio frames in a row")
    if reader.size - end > MAX_TAIL:
        raise NotMedia("more than a tag after the last frame")
    return _Plan().media("audio/mpeg", ".mp3", False, (start, end))


def _mp3_after_tags(reader: _Reader) -> int:
    """Where the frames start: after any ID3v2 tags (a tag's length is four 7-bit bytes) and
    the zeros some writers pad them with."""
    offset = 0
    while reader.upto(offset, 3) == b"ID3":
        header = reader.at(offset, 10)
        major, flags, length = header[3], header[5], header[6:10]
        if major not in (2, 3, 4) or header[4] == 0xFF or any(byte & 0x80 for byte in length):
            raise NotMedia("a malformed ID3 tag")
        size = (length[0] << 21) | (length[1] << 14) | (length[2] << 7) | length[3]
        offset += 10 + size + (10 if major == 4 and flags & 0x10 else 0)
    padding = reader.upto(offset, 4096)
    return offset + len(padding) - len(padding.lstrip(b"\x00"))


# --- Ogg (Opus, Vorbis, FLAC, Speex) ---------------------------------------------------------

OGG_CODECS = (b"OpusHead", b"\x01vorbis", b"\x7fFLAC", b"Speex   ")


def _ogg_crc_table() -> tuple[int, ...]:
    """Ogg's CRC-32: polynomial 0x04C11DB7, not reflected, starting from zero (not zlib's)."""
    table = []
    for byte in range(256):
        value = byte << 24
        for _ in range(8):
            value = ((value << 1) ^ 0x04C11DB7) if value & 0x80000000 else value << 1
        table.append(value & 0xFFFFFFFF)
    return tuple(table)


_OGG_CRC = _ogg_crc_table()


def _ogg_crc(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ _OGG_CRC[(crc >> 24) ^ byte]
    return crc


def _is_ogg(head: bytes) -> bool:
    return head[0:4] == b"OggS"


# The most of an Ogg comment packet we rewrite (it is checksummed a byte at a time); a voice
# note's is under a kilobyte, and one with a picture in it is not a recording of an incident.
OGG_MAX_COMMENTS = 4 * 1024 * 1024


@dataclass
class _OggComments:
    """The second packet of the first stream (its comments), as it is found page by page: where
    its bytes lie in the file, and the pages that hold them."""

    codec: bytes = b""
    serial: bytes = b""
    packet: int = 0  # which packet of the stream the next segment belongs to
    ranges: list[tuple[int, int]] = field(default_factory=list)
    pages: list[tuple[int, int]] = field(default_factory=list)

    def page(self, offset: int, header: bytes, table: bytes) -> None:
        if header[14:18] != self.serial or self.packet > 1:
            return
        position, held = offset + 27 + len(table), False
        for lacing in table:
            if self.packet == 1:
                self.ranges.append((position, position + lacing))
                held = True
            position += lacing
            if lacing < 255:  # a packet ends with a segment shorter than 255 bytes
                self.packet += 1
        if held:
            self.pages.append((offset, position - offset))


def _walk_ogg(reader: _Reader) -> Media:
    offset = pages = 0
    comments = _OggComments()
    while offset < reader.size:
        header = reader.upto(offset, 27)
        if len(header) < 27 or header[0:4] != b"OggS" or header[4] != 0:
            break
        table = reader.upto(offset + 27, header[26])
        length = 27 + len(table) + sum(table)
        if len(table) < header[26] or offset + length > reader.size:
            break
        if pages == 0:
            comments.codec = _ogg_check_first_page(reader.at(offset, length), header[26])
            comments.serial = header[14:18]
        comments.page(offset, header, table)
        offset, pages = offset + length, pages + 1
    if pages == 0:
        raise NotMedia("no whole Ogg page")
    if reader.size - offset > MAX_TAIL:
        raise NotMedia("more than a page cut short after the last page")
    plan = _Plan()
    _ogg_blank_comments(reader, plan, comments)
    return plan.media("audio/ogg", ".ogg", False, (0, offset))


def _ogg_blank_comments(reader: _Reader, plan: _Plan, comments: _OggComments) -> None:
    """Write over the comment packet (title, place, date, the encoder's name) one of the same
    length that holds none: a vendor string of spaces and no comments. The pages keep their
    lengths, so only their checksums change. Opus, Vorbis and Speex; FLAC in Ogg, which phones
    do not make, keeps its comments."""
    length = sum(end - start for start, end in comments.ranges)
    if length > OGG_MAX_COMMENTS:
        raise NotMedia("too much metadata")
    if comments.codec not in OGG_COMMENT_FORMS or not comments.ranges:
        return
    magic, tail = OGG_COMMENT_FORMS[comments.codec]
    vendor = length - len(magic) - 8 - len(tail)
    start, end = comments.ranges[0]
    if vendor < 0 or reader.at(start, min(len(magic), end - start)) != magic[: end - start]:
        raise NotMedia("the comment packet is not what its codec writes")
    blank = magic + struct.pack("<I", vendor) + b" " * vendor + bytes(4) + tail  # no comments
    written, position = [], 0
    for start, end in comments.ranges:
        written.append((start, blank[position : position + end - start]))
        plan.write(*written[-1])
        position += end - start
    # Pages and segments both in file order, each segment inside its page: one pass over both,
    # not every segment for every page (a packet cut into thousands of pages would make that
    # a walk of tens of millions of steps, none counted against MAX_STEPS).
    index = 0
    for page_start, page_length in comments.pages:
        page = bytearray(reader.at(page_start, page_length))
        while index < len(written) and written[index][0] < page_start + page_length:
            offset, data = written[index]
            page[offset - page_start : offset - page_start + len(data)] = data
            index += 1
        page[22:26] = bytes(4)
        plan.write(page_start + 22, struct.pack("<I", _ogg_crc(bytes(page))))


# Each codec's comment packet: what it starts with, and what ends it (Vorbis's framing bit).
OGG_COMMENT_FORMS: dict[bytes, tuple[bytes, bytes]] = {
    b"OpusHead": (b"OpusTags", b""),
    b"\x01vorbis": (b"\x03vorbis", b"\x01"),
    b"Speex   ": (b"", b""),
}


def _ogg_check_first_page(page: bytes, segments: int) -> bytes:
    """Check the page that begins the stream; return which codec it is."""
    if not page[5] & 0x02:
        raise NotMedia("the first Ogg page does not begin a stream")
    if struct.unpack("<I", page[22:26])[0] != _ogg_crc(page[:22] + bytes(4) + page[26:]):
        raise NotMedia("the first Ogg page's checksum is wrong")
    for codec in OGG_CODECS:
        if page[27 + segments :].startswith(codec):
            return codec
    raise NotMedia("not a sound stream we know")


# --- WebM and Matroska (EBML) ----------------------------------------------------------------

EBML, EBML_DOCTYPE = 0x1A45DFA3, 0x4282
SEGMENT, CLUSTER = 0x18538067, 0x1F43B675
TRACKS, TRACK_ENTRY, TRACK_TYPE = 0x1654AE6B, 0xAE, 0x83
INFO, DATE_UTC, TITLE = 0x1549A966, 0x4461, 0x7BA9
TAGS, ATTACHMENTS = 0x1254C367, 0x1941A469
VOID, CRC32 = 0xEC, 0xBF
VIDEO_TRACK, AUDIO_TRACK = 1, 2
# What a segment holds (seek head, info, tracks, clusters, cues, chapters, tags, attachments):
# a cluster of unknown size (live recordings write them) ends at the next of these.
SEGMENT_CHILDREN = frozenset({0x114D9B74, INFO, TRACKS, CLUSTER, 0x1C53BB6B, 0x1043A770, TAGS, ATTACHMENTS})
# What becomes Void: tags (titles, names, places, dates), attachments (any file at all), the title.
EBML_REMOVED = frozenset({TAGS, ATTACHMENTS, TITLE})
UNKNOWN = -1


def _is_ebml(head: bytes) -> bool:
    return head[0:4] == b"\x1a\x45\xdf\xa3"


@dataclass(frozen=True)
class _Element:
    id: int
    start: int
    body: int
    end: int  # UNKNOWN for an unknown size


def _ebml_number(reader: _Reader, offset: int, *, is_id: bool) -> tuple[int, int]:
    """An EBML variable-length number at offset: (value, length). An element id keeps its
    marker bit and is at most 4 bytes; a size of all ones is UNKNOWN."""
    first = reader.at(offset, 1)[0]
    length = 9 - first.bit_length()
    if first == 0 or (is_id and length > 4):
        raise NotMedia(f"a malformed number at {offset}")
    value = int.from_bytes(reader.at(offset, length), "big")
    if is_id:
        return value, length
    value &= (1 << (7 * length)) - 1
    return (UNKNOWN if value == (1 << (7 * length)) - 1 else value), length


def _ebml_element(reader: _Reader, offset: int, parent_end: int) -> _Element:
    element_id, id_length = _ebml_number(reader, offset, is_id=True)
    size, size_length = _ebml_number(reader, offset + id_length, is_id=False)
    body = offset + id_length + size_length
    end = UNKNOWN if size == UNKNOWN else body + size
    if body > parent_end or (end != UNKNOWN and end > parent_end):
        raise NotMedia(f"the element at {offset} runs past its parent")
    return _Element(element_id, offset, body, end)


def _walk_ebml(reader: _Reader) -> Media:
    header = _ebml_element(reader, 0, reader.size)
    if header.id != EBML or header.end == UNKNOWN:
        raise NotMedia("no EBML header")
    webm = _ebml_doctype(reader, header) == b"webm"
    segment = _ebml_element(reader, header.end, reader.size)
    if segment.id != SEGMENT:
        raise NotMedia("no segment after the EBML header")
    end = reader.size if segment.end == UNKNOWN else segment.end
    plan, tracks, offset = _Plan(), set[int](), segment.body
    while offset < end:
        element = _ebml_element(reader, offset, end)
        if element.id not in SEGMENT_CHILDREN | {VOID, CRC32}:
            raise NotMedia(f"an element we do not know in the segment at {offset}")
        if element.end == UNKNOWN:
            if element.id != CLUSTER:
                raise NotMedia("an unknown size outside a cluster")
            offset = _ebml_cluster_end(reader, element, end)
            continue
        if element.id == TRACKS:
            tracks |= _ebml_track_types(reader, element)
        elif element.id == INFO:
            _ebml_clean_info(reader, plan, element)
        elif element.id in EBML_REMOVED:
            _ebml_void(plan, element)
        offset = element.end
    if not tracks & {VIDEO_TRACK, AUDIO_TRACK}:
        raise NotMedia("no sound or picture track")
    is_video = VIDEO_TRACK in tracks
    content_type = f"{'video' if is_video else 'audio'}/{'webm' if webm else 'x-matroska'}"
    extension = ".webm" if webm else (".mkv" if is_video else ".mka")
    return plan.media(content_type, extension, is_video, (0, end))


def _ebml_children(reader: _Reader, parent: _Element, depth: int = 1) -> Iterator[_Element]:
    if depth > MAX_DEPTH:
        raise NotMedia("elements nested too deep")
    offset = parent.body
    while offset < parent.end:
        child = _ebml_element(reader, offset, parent.end)
        if child.end == UNKNOWN:
            raise NotMedia("an unknown size inside an element")
        yield child
        offset = child.end


def _ebml_doctype(reader: _Reader, header: _Element) -> bytes:
    for child in _ebml_children(reader, header):
        if child.id == EBML_DOCTYPE:
            doctype = reader.at(child.body, min(child.end - child.body, 64)).rstrip(b"\x00")
            if doctype in (b"webm", b"matroska"):
                return doctype
            raise NotMedia("a doctype we do not know")
    raise NotMedia("no doctype")


def _ebml_cluster_end(reader: _Reader, cluster: _Element, end: int) -> int:
    """Where a cluster of unknown size ends: at the next element of the segment's own level."""
    offset = cluster.body
    while offset < end:
        element_id, _ = _ebml_number(reader, offset, is_id=True)
        if element_id in SEGMENT_CHILDREN:
            return offset
        child = _ebml_element(reader, offset, end)
        if child.end == UNKNOWN:
            raise NotMedia("an unknown size inside a cluster")
        offset = child.end
    return end


def _ebml_track_types(reader: _Reader, tracks: _Element) -> set[int]:
    found: set[int] = set()
    for entry in _ebml_children(reader, tracks):
        if entry.id != TRACK_ENTRY:
            continue
        for child in _ebml_children(reader, entry, depth=2):
            if child.id == TRACK_TYPE and 1 <= child.end - child.body <= 8:
                found.add(int.from_bytes(reader.at(child.body, child.end - child.body), "big"))
    return found


def _ebml_clean_info(reader: _Reader, plan: _Plan, info: _Element) -> None:
    """The segment's title becomes Void; the date it was recorded is zeroed."""
    for child in _ebml_children(reader, info):
        if child.id == DATE_UTC:
            plan.zero(child.body, child.end)
        elif child.id in EBML_REMOVED:
            _ebml_void(plan, child)


def _ebml_void(plan: _Plan, element: _Element) -> None:
    """Write a Void element of exactly this element's length over it: the Void id, its size in
    as many bytes as fill the rest (up to 8), then zeros."""
    total = element.end - element.start
    size_length = min(8, total - 1)
    zeros = total - 1 - size_length
    size = (1 << (7 * size_length)) | zeros  # the length's marker bit, then the length
    plan.write(element.start, bytes([VOID]) + size.to_bytes(size_length, "big"))
    plan.zero(element.start + 1 + size_length, element.end)


# --- AMR (narrowband and wideband) -----------------------------------------------------------

# Frame lengths by frame type, the table of contents byte included (0: not a type we take).
AMR_NB = (13, 14, 16, 18, 20, 21, 27, 32, 6, 0, 0, 0, 0, 0, 0, 1)
AMR_WB = (18, 24, 33, 37, 41, 47, 51, 59, 61, 6, 0, 0, 0, 0, 1, 1)


def _is_amr(head: bytes) -> bool:
    return head.startswith((b"#!AMR\n", b"#!AMR-WB\n"))


def _walk_amr(reader: _Reader) -> Media:
    wideband = reader.at(0, 9) == b"#!AMR-WB\n"
    lengths, start = (AMR_WB, 9) if wideband else (AMR_NB, 6)

    def frame_length(toc: bytes) -> int | None:
        # The table of contents byte: padding bit, 4 bits of frame type, quality bit, 2 padding bits.
        length = lengths[(toc[0] >> 3) & 0x0F]
        return None if toc[0] & 0x83 or not length else length

    end, frames = _frames(reader, start, 1, frame_length)
    if frames < MIN_FRAMES:
        raise NotMedia("fewer than three AMR frames")
    if reader.size - end > MAX_TAIL:
        raise NotMedia("more than a frame cut short after the last frame")
    content_type, extension = ("audio/amr-wb", ".awb") if wideband else ("audio/amr", ".amr")
    return _Plan().media(content_type, extension, False, (0, end))


# Tried in this order: each knows its format by the first bytes, then walks it.
_FORMATS: tuple[tuple[Callable[[bytes], bool], Callable[[_Reader], Media]], ...] = (
    (_is_iso, _walk_iso),
    (_is_wav, _walk_wav),
    (_is_ogg, _walk_ogg),
    (_is_ebml, _walk_ebml),
    (_is_amr, _walk_amr),
    (_is_mp3, _walk_mp3),
)
