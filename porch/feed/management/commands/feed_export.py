"""Write the housing record here as feed files (docs/feed.md): the sample set, or a bench load."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from porch.feed.export import files_write


class Command(BaseCommand):
    help = "Write one CSV feed file per entity for the homes here (all of them, or the first --homes)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--homes", type=int, default=None, help="Only the first N homes, and their tenancies and people."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        written = files_write(options["folder"], homes=options["homes"])
        for entity, rows in written.items():
            self.stdout.write(f"{entity}.csv: {rows:,} rows")
