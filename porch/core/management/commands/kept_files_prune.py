from typing import Any

from django.core.management.base import BaseCommand

from porch.core.kept_files import kept_files_prune


class Command(BaseCommand):
    help = "Delete files kept for forms never sent again, older than two days (run it daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Deleted {kept_files_prune()} files kept for forms never sent again.")
