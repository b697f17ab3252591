"""Reading a feed file one row at a time, refusing a malformed or cut-short file whole.

The file is streamed (never read whole into memory). `check` reads it through once before
anything is planned, so a file damaged anywhere, even on its last line, is refused before a
single row is looked at; the later passes read it the same way."""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from porch.feed.columns import Layout


class FileRefused(Exception):
    """The whole file is refused; the message says why, for the person who sent it."""


@dataclass(frozen=True)
class Row:
    line: int  # where the row starts in the file (1 is a CSV file's header)
    values: dict[str, str | None]


def rows(stream: IO[bytes], fmt: str, layout: Layout) -> Iterator[Row]:
    """Every data row, in order. Raises FileRefused at the first sign of a damaged file."""
    text = _TextLines(stream)
    return _csv_rows(text, layout) if fmt == "csv" else _json_rows(text, layout)


def count(stream: IO[bytes], fmt: str, layout: Layout) -> int:
    """Read the whole file through, checking its shape; the number of data rows."""
    total = 0
    for _ in rows(stream, fmt, layout):
        total += 1
    if total == 0:
        raise FileRefused("The file has no rows after its header.")
    return total


class _TextLines:
    """The file's lines as text (UTF-8, a byte order mark allowed), noting whether the last one
    ended with a line break: a file that stops part-way through a line was cut short."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self.line = 0

    def __iter__(self) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="strict")
        pending = ""
        for chunk in iter(lambda: self._stream.read(1 << 16), b""):
            try:
                pending += decoder.decode(chunk)
            except UnicodeDecodeError:
                raise FileRefused(
                    f"The file is not UTF-8 text (near line {self.line + 1}). Save it as CSV UTF-8 and send it again."
                ) from None
            *whole, pending = pending.split("\n")
            for line in whole:
                self.line += 1
                yield line + "\n"
        if pending:
            raise FileRefused(
                f"The file stops part-way through line {self.line + 1}: it may have been cut short. "
                "Send the whole file again."
            )


def _header(names: list[str], layout: Layout) -> list[str]:
    header = [name.strip().lower() for name in names]
    if len(set(header)) != len(header):
        raise FileRefused("A column name appears twice in the header.")
    unknown = [name for name in header if name not in layout.names]
    if unknown:
        raise FileRefused(
            f"The header has columns a {layout.entity} file does not: {', '.join(unknown)}. Is this the right file?"
        )
    missing = [name for name in layout.required if name not in header]
    if missing:
        raise FileRefused(f"The header is missing the columns: {', '.join(missing)}.")
    return header


def _csv_rows(text: _TextLines, layout: Layout) -> Iterator[Row]:
    reader = csv.reader(text, strict=True)
    try:
        header = _header(next(reader), layout)
    except StopIteration:
        raise FileRefused("The file is empty.") from None
    except csv.Error as error:
        raise FileRefused(f"The header cannot be read as CSV: {error}.") from None
    start = text.line + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise FileRefused(f"Line {start} cannot be read as CSV ({error}): the file may be damaged.") from None
        if not any(cell.strip() for cell in cells):
            start = text.line + 1
            continue  # a blank line
        if len(cells) != len(header):
            raise FileRefused(
                f"Line {start} has {len(cells)} values where the header has {len(header)}: the file may be damaged."
            )
        yield Row(start, dict(zip(header, cells, strict=True)))
        start = text.line + 1


def _json_rows(text: _TextLines, layout: Layout) -> Iterator[Row]:
    for line in text:
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            raise FileRefused(f"Line {text.line} is not a JSON object: the file may be damaged.") from None
        if not isinstance(record, dict) or not all(isinstance(v, str | None) for v in record.values()):
            raise FileRefused(f"Line {text.line} is not a JSON object of text values.")
        unknown = [name for name in record if name not in layout.names]
        if unknown:
            raise FileRefused(f"Line {text.line} has fields a {layout.entity} file does not: {', '.join(unknown)}.")
        yield Row(text.line, record)
