"""Load the feed files in a folder, in order, in this process: for the nightly run from an
import folder (cron), and for a first full load. Each file becomes a batch like an upload
(checked whole, previewed); with --apply each is then applied unless a second person must
approve it, before the next file is read, so tenancies always find the homes they are of.
Files done are moved to a `done` folder beside them, so the next run does not take them again."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from porch.feed import pipeline
from porch.feed.entities import ORDER
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

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["folder"]
        if not folder.is_dir():
            raise CommandError(f"No folder at {folder}.")
        for path in _in_order(folder):
            self._load(path, apply=options["apply"])
            if not options["keep"]:
                (folder / "done").mkdir(exist_ok=True)
                path.rename(folder / "done" / path.name)

    def _load(self, path: Path, *, apply: bool) -> None:
        began = time.perf_counter()
        entity = _entity_of(path)
        with path.open("rb") as stream:
            batch = batch_receive(
                entity=entity,
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
        took = time.perf_counter() - began
        self.stdout.write(f"{path.name}: {batch.get_status_display()} ({counts}) in {took:.1f} s")
        if batch.status == FeedBatch.Status.REFUSED:
            self.stderr.write(f"  {batch.reason}")


def _entity_of(path: Path) -> str:
    for entity in ORDER:
        if path.name.startswith(entity):
            return entity
    raise CommandError(f"{path.name}: the name must start with one of {', '.join(ORDER)}.")


def _in_order(folder: Path) -> list[Path]:
    files = [path for path in folder.iterdir() if path.is_file() and path.suffix in FORMATS]
    return sorted(files, key=lambda path: (ORDER.index(_entity_of(path)), path.name))
