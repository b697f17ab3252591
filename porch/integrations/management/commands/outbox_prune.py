"""Here, not in porch.outbox: how far the connections reading the outbox have got is theirs
(porch.integrations), and the outbox sits below them and cannot ask."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from porch.integrations.services import outbox_collected_by_all
from porch.outbox.services import PRUNE_BATCH, events_prune


class Command(BaseCommand):
    help = (
        "Remove updates to the housing management system delivered (or collected) more than "
        "OUTBOX_KEEP_DAYS days ago, never one waiting, given up on, or not yet collected by a "
        "connection that reads the outbox (run it daily)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", type=int, default=PRUNE_BATCH, help=f"How many to remove at a time ({PRUNE_BATCH})."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        pruned = events_prune(
            keep_days=settings.OUTBOX_KEEP_DAYS,
            collected_by_all=outbox_collected_by_all(),
            batch=max(options["batch"], 1),
        )
        before = timezone.localtime(pruned.before)
        self.stdout.write(f"Removed {pruned.removed} updates delivered or collected before {before:%d %B %Y, %H:%M}.")
        if pruned.kept_for_collectors:
            self.stdout.write(
                f"Kept {pruned.kept_for_collectors} older ones that a connection reading the outbox has not "
                "collected yet (a connection that no longer collects updates should lose the outbox scope)."
            )
