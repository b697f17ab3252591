"""Reading a feed file one row at a time, refusing a malformed or cut-short file whole.

The file is streamed (never read whole into memory). `check` reads it through once before
anything is planned, so a file damaged anywhere, even on its last line, is refused before a
single row is looked at; the later passes read it the same way."""

from __future__ import annotations

import codecs
import csv
import json
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from itertools import batched
from pathlib import Path
from typing import IO

from porch.feed.columns import BadValue, Layout

# A file where more rows than this repeat an earlier row's reference is not what was meant.
MOST_REPEATS = 10_000


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


@dataclass
class Survey:
    """What reading a whole file through found: its rows, and each row that repeats an
    earlier row's reference (its line, and the earlier row's)."""

    rows: int = 0
    repeats: dict[int, int] = field(default_factory=dict)


def survey(stream: IO[bytes], fmt: str, layout: Layout) -> Survey:
    """Read the whole file through, checking its shape: its rows, and the rows that repeat a
    reference. Every later pass refuses those rows, however it is split or resumed."""
    found = Survey()
    with _KeyBook() as book:
        for chunk in batched(_keys(rows(stream, fmt, layout), layout), 10_000):
            found.rows += len(chunk)
            book.add(chunk)
        found.repeats = book.repeats()
    if found.rows == 0:
        raise FileRefused("The file has no rows after its header.")
    return found


def _keys(found: Iterable[Row], layout: Layout) -> Iterator[tuple[str, int]]:
    key = next(column for column in layout.columns if column.name == layout.key)
    for row in found:
        try:
            yield key.value(row.values.get(layout.key)), row.line
        except BadValue:
            yield "", row.line  # refused for its reference when it is read; never a repeat


class _KeyBook:
    """Every row's reference, kept on disk in a scratch SQLite file, not in memory: a file of
    five million transactions has five million references."""

    def __enter__(self) -> _KeyBook:
        self._folder = tempfile.TemporaryDirectory(prefix="porch-feed-")
        self._db = sqlite3.connect(Path(self._folder.name) / "keys.sqlite3")
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.execute("CREATE TABLE keys (key TEXT NOT NULL, line INTEGER NOT NULL)")
        return self

    def __exit__(self, *exc: object) -> None:
        with closing(self._db):
            self._folder.cleanup()

    def add(self, keys: Iterable[tuple[str, int]]) -> None:
        self._db.executemany("INSERT INTO keys VALUES (?, ?)", keys)

    def repeats(self) -> dict[int, int]:
        self._db.execute("CREATE INDEX keys_key ON keys (key, line)")
        doubled = self._db.execute(
            "SELECT key FROM keys WHERE key != '' GROUP BY key HAVING COUNT(*) > 1 LIMIT ?", (MOST_REPEATS + 1,)
        ).fetchall()
        if len(doubled) > MOST_REPEATS:
            raise FileRefused(
                f"More than {MOST_REPEATS:,} references are on more than one row: each reference comes "
                "once a file. Check the export and send it again."
            )
        first: dict[str, int] = {}
        repeats: dict[int, int] = {}
        for key, line in self._db.execute(
            "SELECT key, line FROM keys WHERE key IN (SELECT value FROM json_each(?)) ORDER BY key, line",
            (json.dumps([key for (key,) in doubled]),),
        ):
            if key in first:
                repeats[line] = first[key]
            else:
                first[key] = line
        if len(repeats) > MOST_REPEATS:
            raise FileRefused(
                f"More than {MOST_REPEATS:,} rows repeat the reference of an earlier row: each reference comes "
                "once a file. Check the export and send it again."
            )
        return repeats


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
