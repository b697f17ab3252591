from typing import Any

from django.core.management.base import BaseCommand

from porch.audit.anchors import write_anchor


class Command(BaseCommand):
    help = "Seal the newest row of every audit chain together (run it every minute; ADR 0013)."

    def handle(self, *args: Any, **options: Any) -> None:
        anchor = write_anchor()
        self.stdout.write(f"Anchor {anchor.pk} sealed {len(anchor.heads)} chains: {anchor.seal}")
