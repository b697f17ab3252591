"""Write docs/feed.md from the feed's layouts."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from porch.feed.docs import feed_doc


class Command(BaseCommand):
    help = "Write docs/feed.md from the column layouts the feed reads."

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(settings.BASE_DIR) / "docs" / "feed.md"
        path.write_text(feed_doc(), encoding="utf-8")
        self.stdout.write(f"Wrote {path}")
