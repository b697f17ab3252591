"""Load the feed files in a folder, in order: for the nightly run from an import folder (cron),
and for a first full load. Each file becomes a batch like an upload (checked whole, previewed);
with --apply each is then applied unless a second person must approve it, before any file that
is sent after it (docs/feed.md: "Send after") is read, so tenancies always find their homes.
Files done are moved to a `done` folder beside them, so the next run does not take them again.

With --lanes 2, files that do not wait for each other load side by side, each in a process of
its own (a machine's second core does the people while the first does the homes and rents)."""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from porch.feed import pipeline
from porch.feed.entities import ORDER, entity_for
from porch.feed.models import FeedBatch
from porch.feed.services import batch_receive

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".json": "jsonl"}


class Command(BaseCommand):
    help = "Load the feed files in a folder (properties*.csv, people*.csv, ...; see docs/feed.md) in order."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--apply", action="store_true", help="Apply each batch once previewed, unless it needs a second person."
        )
        parser.add_argument("--keep", action="store_true", help="Leave the files where they are.")
        parser.add_argument(
            "--lanes", type=int, default=1, help="How many files may load at once (one process each; 1 to 4)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["folder"]
        if not folder.is_dir():
            raise CommandError(f"No folder at {folder}.")
        if not 1 <= options["lanes"] <= 4:
            raise CommandError("--lanes is from 1 to 4.")
        if options["lanes"] > 1 and connections["default"].vendor != "postgresql":
            raise CommandError("--lanes needs PostgreSQL: SQLite takes one writer at a time.")
        files = _in_order(folder)
        if options["lanes"] == 1:
            for path in files:
                self._done(folder, path, load(path, apply=options["apply"]), keep=options["keep"])
            return
        failed = self._in_lanes(folder, files, options)
        if failed:
            raise CommandError(f"Not loaded, left in the folder: {', '.join(failed)}.")

    def _in_lanes(self, folder: Path, files: list[Path], options: dict[str, Any]) -> list[str]:
        """Load the files in lanes; the names of those that failed (and of those waiting on them,
        never started). The others are finished and reported whatever happens to one."""
        connections.close_all()  # each process opens its own
        context = multiprocessing.get_context("fork")
        failed: list[str] = []
        with ProcessPoolExecutor(max_workers=options["lanes"], mp_context=context) as lanes:
            running: dict[Future[Said], Path] = {}
            waiting = list(files)
            first = _first_for_what_waits_on_it(files)
            while waiting or running:
                ready = [p for p in waiting if _may_start(p, waiting, running.values())]
                for path in sorted(ready, key=first, reverse=True)[: options["lanes"] - len(running)]:
                    waiting.remove(path)
                    running[lanes.submit(load, path, apply=options["apply"])] = path
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    path = running.pop(future)
                    try:
                        self._done(folder, path, future.result(), keep=options["keep"])
                    except Exception as error:
                        self.stderr.write(f"{path.name}: stopped by an error: {error!r}")
                        failed.append(path.name)
                        stranded = [p for p in waiting if _waits_on(p, path)]
                        waiting = [p for p in waiting if p not in stranded]
                        failed += [p.name for p in stranded]
        return failed

    def _done(self, folder: Path, path: Path, said: Said, *, keep: bool) -> None:
        self.stdout.write(said.line)
        if said.reason:
            self.stderr.write(f"  {said.reason}")
        if not keep:
            (folder / "done").mkdir(exist_ok=True)
            path.rename(folder / "done" / path.name)


@dataclass(frozen=True)
class Said:
    """What became of a file: a line for the log, and why it was refused, for stderr."""

    line: str
    reason: str = ""


def load(path: Path, *, apply: bool) -> Said:
    """Receive, check, preview and (with apply) apply one file; what became of it, in a line."""
    began = time.perf_counter()
    with path.open("rb") as stream:
        batch = batch_receive(
            entity=_entity_of(path),
            fmt=FORMATS[path.suffix],
            filename=path.name,
            stream=stream,
            source=FeedBatch.Source.FOLDER,
        )
    pipeline.check(batch.pk)
    batch.refresh_from_db()
    if apply and batch.status == FeedBatch.Status.PREVIEWED:
        FeedBatch.objects.filter(pk=batch.pk).update(apply_when_previewed=True)
        if pipeline.applied_when_previewed(batch.pk):
            pipeline.apply(batch.pk)
        batch.refresh_from_db()
    counts = ", ".join(f"{name} {number:,}" for name, number in batch.counts.items())
    line = f"{path.name}: {batch.get_status_display()} ({counts}) in {time.perf_counter() - began:.1f} s"
    return Said(line, batch.reason if batch.status == FeedBatch.Status.REFUSED else "")


def _first_for_what_waits_on_it(files: list[Path]) -> Any:
    """Which ready file to start first: the one with the most to read down the longest line of
    files waiting on it (the homes before the people, when the rents wait on the homes)."""
    line: dict[Path, int] = {}
    for path in reversed(files):  # files sent after it come later in the order
        after = [p for p in files if _entity_of(path) in entity_for(_entity_of(p)).layout.load_after]
        line[path] = path.stat().st_size + max((line[p] for p in after), default=0)
    return line.__getitem__


def _waits_on(path: Path, other: Path) -> bool:
    """Whether path is sent after other's entity (or is a later file of the same entity), directly
    or through files between."""
    entity, before = _entity_of(path), _entity_of(other)
    return entity == before or before in _all_before(entity)


def _all_before(entity: str) -> set[str]:
    found = set(entity_for(entity).layout.load_after)
    for earlier in list(found):
        found |= _all_before(earlier)
    return found


def _may_start(path: Path, waiting: list[Path], running: Any) -> bool:
    """Nothing it is sent after is still waiting or loading, and no earlier file of its own entity."""
    entity = _entity_of(path)
    before = set(entity_for(entity).layout.load_after)
    ahead = [p for p in waiting if p != path and waiting.index(p) < waiting.index(path)]
    return not any(_entity_of(p) in before or _entity_of(p) == entity for p in [*ahead, *running])


def _entity_of(path: Path) -> str:
    for entity in ORDER:
        if path.name.startswith(entity):
            return entity
    raise CommandError(f"{path.name}: the name must start with one of {', '.join(ORDER)}.")


def _in_order(folder: Path) -> list[Path]:
    files = [path for path in folder.iterdir() if path.is_file() and path.suffix in FORMATS]
    return sorted(files, key=lambda path: (ORDER.index(_entity_of(path)), path.name))
