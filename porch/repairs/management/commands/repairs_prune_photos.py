from typing import Any

from django.core.management.base import BaseCommand

from porch.repairs.photos import unattached_photos_delete


class Command(BaseCommand):
    help = "Delete photos of repair reports never sent, older than two days (run it daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Deleted {unattached_photos_delete()} photos of reports never sent.")
